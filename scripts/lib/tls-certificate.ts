/**
 * The certificate a server actually presents, read with node:tls — the Node path of the domain probes
 * (worker/src/domains/probes.ts `certificate` option) for `npm run` scripts: a Worker cannot see a peer certificate
 * and asks Certificate Transparency instead, which knows what was issued, not what is served. The handshake does
 * not verify the chain (an expired or self-signed certificate must still be read, to be reported); the probe's
 * signal ends a connection that does not complete.
 */
import { connect, type PeerCertificate } from 'node:tls';
import type { CertificateProbe } from '../../worker/src/domains/probes.ts';

/** `target`: where to connect for a host (default: the host itself, port 443), e.g. a test server or a fixed address. */
export function tlsCertificateProbe(target: (host: string) => { host: string; port: number } = (host) => ({ host, port: 443 })): CertificateProbe {
  return (host, signal) =>
    new Promise((resolve, reject) => {
      const to = target(host);
      const socket = connect({ host: to.host, port: to.port, servername: host, rejectUnauthorized: false });
      const onAbort = () => {
        socket.destroy();
        reject(signal.reason as Error);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      const done = () => signal.removeEventListener('abort', onAbort);
      socket.once('secureConnect', () => {
        const cert: PeerCertificate | Record<string, never> = socket.getPeerCertificate();
        socket.end();
        done();
        if (!cert || !('valid_to' in cert) || !cert.valid_to) return resolve(null);
        const notAfter = Date.parse(cert.valid_to);
        if (!Number.isFinite(notAfter)) return reject(new Error(`证书到期时间无法识别：${cert.valid_to}`));
        const issuer = Object.entries(cert.issuer ?? {})
          .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
          .join(', ');
        resolve({ notAfter: new Date(notAfter).toISOString(), issuer: issuer || null });
      });
      socket.once('error', (e: Error) => {
        done();
        reject(e);
      });
    });
}

/**
 * The domain probes over real sockets, against local stub servers this test starts (the machine reaches nothing
 * outside): a DoH resolver speaking the JSON API, a Certificate Transparency search, TLS servers presenting an
 * expired and a valid certificate, and servers that accept a connection and never answer. Each answer and each
 * failure becomes the host's status row and, through the rules, its alert; nothing waits past its timeout.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainProblems, type RegistrySite } from '@ywtc/cms-schema';
import { probeDomains } from '../../../worker/src/domains/probes.ts';
import { tlsCertificateProbe } from '../tls-certificate.ts';

const fixture = (f: string) => readFileSync(join(import.meta.dirname, 'fixtures/tls', f));
const servers: (Server | TcpServer)[] = [];
const sockets = new Set<import('node:net').Socket>();
const listen = async <S extends Server | TcpServer>(s: S): Promise<number> => {
  servers.push(s);
  // Stalled connections are the point of some stubs: they are ended by hand when the test is over.
  s.on('connection', (socket: import('node:net').Socket) => sockets.add(socket));
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
};

let doh = '';
let ct = '';
const tlsPorts: Record<string, number> = {};
const dohSeen: string[] = [];

beforeAll(async () => {
  doh = `http://127.0.0.1:${await listen(
    createHttpServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const name = url.searchParams.get('name')!;
      dohSeen.push(`${req.headers.accept} ${name} ${url.searchParams.get('type')}`);
      if (name === 'slow.test.gov.cn') return; // never answers
      res.setHeader('content-type', 'application/dns-json');
      if (name === 'broken.test.gov.cn') return res.end('<html>502 Bad Gateway</html>');
      if (name === 'gone.test.gov.cn') return res.end(JSON.stringify({ Status: 3, Answer: [] }));
      if (name === 'flaky.test.gov.cn') return res.end(JSON.stringify({ Status: 2 }));
      const answer =
        url.searchParams.get('type') === 'A' ? [{ name, type: 1, TTL: 120, data: '192.0.2.8' }] : [{ name, type: 28, TTL: 120, data: '2001:db8::8' }];
      res.end(JSON.stringify({ Status: 0, TC: false, Question: [{ name, type: 1 }], Answer: answer }));
    }),
  )}/dns-query`;
  ct = `http://127.0.0.1:${await listen(
    createHttpServer((req, res) => {
      const q = new URL(req.url!, 'http://x').searchParams.get('q');
      res.setHeader('content-type', 'application/json');
      if (q === 'valid.test.gov.cn')
        return res.end(
          JSON.stringify([
            { issuer_name: 'CN=YWTC Test CA', name_value: 'valid.test.gov.cn', not_before: '2025-01-01T00:00:00', not_after: '2099-12-31T00:00:00' },
          ]),
        );
      if (q === 'slow.test.gov.cn') {
        res.write('['); // starts, then stalls mid-body
        return;
      }
      if (q === 'broken.test.gov.cn') return res.end('{"not": "a list"}');
      res.end('[]');
    }),
  )}/`;
  for (const name of ['expired', 'valid'])
    tlsPorts[`${name}.test.gov.cn`] = await listen(createTlsServer({ key: fixture(`${name}.key`), cert: fixture(`${name}.crt`) }, (s) => s.end()));
  // Accepts the connection and never speaks TLS.
  tlsPorts['slow.test.gov.cn'] = await listen(createTcpServer(() => {}));
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

const site = (id: string, host: string): RegistrySite => ({
  id,
  kind: 'department',
  parentId: 'test',
  divisionCode: '450000',
  domains: [host],
  idCode: `450000${String(id.length).padStart(4, '0')}`,
  icp: '桂ICP备12000001号',
  psb: '桂公网安备 45000002000001号',
});

describe('domain probes over real sockets', () => {
  it('DoH and the CT search: answers, NXDOMAIN, SERVFAIL, malformed answers and stalls each become a row', async () => {
    const hosts = ['valid.test.gov.cn', 'gone.test.gov.cn', 'flaky.test.gov.cn', 'broken.test.gov.cn', 'slow.test.gov.cn'];
    const t0 = Date.now();
    const run = await probeDomains({ DOH_URL: doh, CT_SEARCH_URL: ct }, hosts, { timeoutMs: 400, store: false });
    expect(Date.now() - t0).toBeLessThan(2500);
    const by = new Map(run.statuses.map((s) => [s.host, s]));
    expect(by.get('valid.test.gov.cn')).toMatchObject({
      dnsStatus: 'NOERROR',
      dnsAnswers: [
        { type: 'A', data: '192.0.2.8', ttl: 120 },
        { type: 'AAAA', data: '2001:db8::8', ttl: 120 },
      ],
      certNotAfter: '2099-12-31T00:00:00.000Z',
      certIssuer: 'CN=YWTC Test CA',
      certSource: 'ct',
    });
    expect(by.get('gone.test.gov.cn')).toMatchObject({ dnsStatus: 'NXDOMAIN', certNotAfter: null, certError: null, certSource: 'ct' });
    expect(by.get('flaky.test.gov.cn')).toMatchObject({ dnsStatus: 'SERVFAIL' });
    expect(by.get('broken.test.gov.cn')).toMatchObject({
      dnsStatus: 'ERROR',
      dnsError: 'DNS 查询：应答不是有效的 JSON',
      certError: '证书透明度查询：证书透明度应答格式不符',
    });
    expect(by.get('slow.test.gov.cn')).toMatchObject({ dnsStatus: 'ERROR', dnsError: 'DNS 查询超时（0.4 秒）', certError: '证书透明度查询超时（0.4 秒）' });
    expect(dohSeen).toContain('application/dns-json valid.test.gov.cn AAAA');

    const rules = domainProblems(
      hosts.map((h, i) => site(`s${'x'.repeat(i)}`, h)),
      run.statuses,
    )
      .filter((p) => /^(dns|cert)-/.test(p.rule))
      .map((p) => `${p.host} ${p.rule}`);
    expect(rules).toEqual([
      'gone.test.gov.cn dns-failing',
      'gone.test.gov.cn cert-missing',
      'flaky.test.gov.cn dns-failing',
      'flaky.test.gov.cn cert-missing',
      'broken.test.gov.cn dns-unknown',
      'broken.test.gov.cn cert-unknown',
      'slow.test.gov.cn dns-unknown',
      'slow.test.gov.cn cert-unknown',
    ]);
  });

  it('node:tls reads the certificate a server presents: expired, valid, or a handshake that never completes', async () => {
    const certificate = tlsCertificateProbe((host) => ({ host: '127.0.0.1', port: tlsPorts[host] ?? 1 }));
    const run = await probeDomains(
      { DOH_URL: doh, CT_SEARCH_URL: ct },
      ['expired.test.gov.cn', 'valid.test.gov.cn', 'slow.test.gov.cn', 'closed.test.gov.cn'],
      {
        certificate,
        timeoutMs: 400,
        store: false,
      },
    );
    const by = new Map(run.statuses.map((s) => [s.host, s]));
    expect(by.get('expired.test.gov.cn')).toMatchObject({ certNotAfter: '2021-01-01T00:00:00.000Z', certIssuer: 'CN=YWTC Test CA', certSource: 'tls' });
    expect(by.get('valid.test.gov.cn')).toMatchObject({ certNotAfter: '2099-12-31T00:00:00.000Z', certSource: 'tls' });
    expect(by.get('slow.test.gov.cn')).toMatchObject({ certNotAfter: null, certError: '证书读取超时（0.4 秒）' });
    expect(by.get('closed.test.gov.cn')!.certError).toMatch(/^证书读取失败：.*ECONNREFUSED/);
    const alerts = domainProblems([site('e', 'expired.test.gov.cn')], run.statuses, { now: new Date('2026-06-01T00:00:00Z') }).filter((p) =>
      p.rule.startsWith('cert-'),
    );
    expect(alerts.map((p) => [p.rule, p.severity, p.message])).toEqual([['cert-expired', 'error', 'expired.test.gov.cn：证书已于 2021-01-01 过期']]);
  });
});

/**
 * Where the domain probes ask (variables, so production can point them at the resolver and the Certificate
 * Transparency search it trusts, and tests at local stubs): `DOH_URL`, a DNS-over-HTTPS endpoint speaking the JSON
 * API (`application/dns-json`), and `CT_SEARCH_URL`, a crt.sh-compatible search answering `?q=<name>&output=json`.
 * Validated with zod: https, or http to a loopback address (a local stub).
 */
import { z } from 'zod';

const endpoint = (name: string) =>
  z.url({ message: `${name} 须为网址` }).refine((u) => {
    const url = new URL(u);
    return url.protocol === 'https:' || (url.protocol === 'http:' && /^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname));
  }, `${name} 须为 https 地址（本机测试可用 http://127.0.0.1）`);

export const ProbeConfigSchema = z.object({
  DOH_URL: endpoint('DOH_URL').default('https://cloudflare-dns.com/dns-query'),
  CT_SEARCH_URL: endpoint('CT_SEARCH_URL').default('https://crt.sh/'),
});
export type ProbeConfig = z.infer<typeof ProbeConfigSchema>;

/** The probes' variables as the Worker (or a Node script) has them; what is missing takes the default. */
export interface ProbeVars {
  DOH_URL?: unknown;
  CT_SEARCH_URL?: unknown;
}

export function probeConfig(vars: ProbeVars): { ok: true; config: ProbeConfig } | { ok: false; error: string } {
  const r = ProbeConfigSchema.safeParse({ DOH_URL: vars.DOH_URL || undefined, CT_SEARCH_URL: vars.CT_SEARCH_URL || undefined });
  return r.success ? { ok: true, config: r.data } : { ok: false, error: r.error.issues.map((i) => i.message).join('；') };
}

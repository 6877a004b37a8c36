/**
 * DNS and certificate probes of the sites' hosts, written for production and runnable anywhere `fetch` is:
 *
 * - DNS over HTTPS, JSON API (`GET <DOH_URL>?name=<host>&type=A|AAAA`, `Accept: application/dns-json`, RFC 8427
 *   answers as Cloudflare and Google give them): the response code (NOERROR, NXDOMAIN, SERVFAIL …) and the A, AAAA
 *   and CNAME answers.
 * - Certificate expiry. A Worker cannot see the certificate a server presents (fetch exposes no peer certificate),
 *   so the Worker asks Certificate Transparency: every publicly trusted certificate is logged, and a crt.sh-style
 *   search (`<CT_SEARCH_URL>?q=<name>&output=json`) lists those naming the host, or a wildcard over it. The newest
 *   one in force is taken as the one served — a site that renewed but still serves the old certificate is caught
 *   by the Node path, which reads the peer certificate itself (scripts/lib/tls-certificate.ts, passed in as
 *   `certificate`).
 *
 * Bounded: each request has its own timeout (AbortSignal.timeout, raced against the body as well), answers are
 * read up to a size limit, and at most `concurrency` hosts are probed at once (a Worker may hold 6 connections
 * open). Every failure — timeout, HTTP error, malformed JSON, a missing configuration — becomes the host's status
 * row (dns_status ERROR, cert_error), never an exception out of the run.
 */
import { z } from 'zod';
import { DomainSchema, DomainStatusSchema, type DnsAnswer, type DnsStatus, type DomainStatus } from '@ywtc/cms-schema';
import { probeConfig, type ProbeVars } from './config.ts';
import { storeStatuses } from './status-store.ts';

export interface Certificate {
  notAfter: string;
  issuer: string | null;
}
/** Reads the certificate of a host (null: the host has none); throws when the probe itself fails. */
export type CertificateProbe = (host: string, signal: AbortSignal) => Promise<Certificate | null>;

export interface ProbeOptions {
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  /** Per request, in ms (default 5 s). */
  timeoutMs?: number;
  /** Hosts probed at once (default 6). */
  concurrency?: number;
  now?: () => Date;
  /** How certificates are read (default: the Certificate Transparency search at CT_SEARCH_URL). */
  certificate?: CertificateProbe;
  /** Whether to write the rows to D1 `domain_status` (default true; a Node script without the store passes false). */
  store?: boolean;
}

export interface ProbeRun {
  statuses: DomainStatus[];
  /** Hosts refused before probing (not host names), with why. */
  skipped: { host: string; reason: string }[];
  /** null when the rows were stored (or storing was not asked for); else why not. */
  storeError: string | null;
  ms: number;
}

const MAX_ANSWER_BYTES = 256 * 1024;
const MAX_CT_BYTES = 2 * 1024 * 1024;
const RCODES: Record<number, DnsStatus> = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED' };
const RR_TYPES: Record<number, DnsAnswer['type']> = { 1: 'A', 28: 'AAAA', 5: 'CNAME' };

const DohAnswerSchema = z.object({
  Status: z.int().min(0).max(65535),
  Answer: z.array(z.object({ type: z.int(), TTL: z.int().min(0).optional(), data: z.string().max(300) })).optional(),
});
const CtEntrySchema = z.object({
  issuer_name: z.string().max(500).optional(),
  name_value: z.string().max(20_000),
  not_before: z.string(),
  not_after: z.string(),
});

class ProbeError extends Error {}

/** A failure as the status row says it: short, in Chinese, naming what timed out or what was wrong. */
function reasonOf(e: unknown, what: string, timeoutMs: number): string {
  const name = (e as { name?: string } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `${what}超时（${timeoutMs / 1000} 秒）`;
  if (e instanceof ProbeError) return `${what}：${e.message}`;
  return `${what}失败：${String((e as Error)?.message ?? e).slice(0, 200)}`;
}

/** `work` with its own timeout: the signal aborts the request, and the race ends a body that stalls mid-way. */
async function timed<T>(timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const signal = AbortSignal.timeout(timeoutMs);
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort);
  });
  try {
    return await Promise.race([work(signal), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Like Promise.all, but waits for every request to end before failing with the first error: a host's probe is over
 * only when none of its requests is still open, so the concurrency bound holds.
 */
async function settledAll<T>(work: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** The body as text, refusing more than `max` bytes (an answer that big is not what was asked for). */
async function boundedText(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      throw new ProbeError(`应答超过 ${Math.round(max / 1024)} KB`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) all.set(c, (at += c.byteLength) - c.byteLength);
  return new TextDecoder().decode(all);
}

async function getJson(fetcher: typeof fetch, url: URL, accept: string, signal: AbortSignal, max: number): Promise<unknown> {
  const res = await fetcher(url.toString(), { headers: { accept }, signal, redirect: 'manual' });
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => {});
    throw new ProbeError(`HTTP ${res.status}`);
  }
  const body = await boundedText(res, max);
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new ProbeError('应答不是有效的 JSON');
  }
}

/** One DoH question. */
async function dohQuery(fetcher: typeof fetch, endpoint: string, host: string, type: 'A' | 'AAAA', signal: AbortSignal) {
  const url = new URL(endpoint);
  url.searchParams.set('name', host);
  url.searchParams.set('type', type);
  const parsed = DohAnswerSchema.safeParse(await getJson(fetcher, url, 'application/dns-json', signal, MAX_ANSWER_BYTES));
  if (!parsed.success) throw new ProbeError('应答格式不符合 DNS JSON');
  const status = RCODES[parsed.data.Status] ?? 'ERROR';
  const answers = (parsed.data.Answer ?? []).flatMap((a) => (RR_TYPES[a.type] ? [{ type: RR_TYPES[a.type]!, data: a.data, ttl: a.TTL ?? 0 }] : []));
  return { status, answers };
}

/** A and AAAA of a host: the response code of the A question (NXDOMAIN is the name's, not the type's), all answers. */
async function dnsOf(fetcher: typeof fetch, endpoint: string, host: string, timeoutMs: number) {
  try {
    const [a, aaaa] = await settledAll((['A', 'AAAA'] as const).map((type) => timed(timeoutMs, (signal) => dohQuery(fetcher, endpoint, host, type, signal))));
    const seen = new Set<string>();
    const answers = [...a!.answers, ...aaaa!.answers].filter((x) => !seen.has(`${x.type} ${x.data}`) && seen.add(`${x.type} ${x.data}`)).slice(0, 64);
    return { dnsStatus: a!.status, dnsAnswers: answers, dnsError: a!.status === 'ERROR' ? 'DNS 应答码无法识别' : null };
  } catch (e) {
    return { dnsStatus: 'ERROR' as const, dnsAnswers: [], dnsError: reasonOf(e, 'DNS 查询', timeoutMs) };
  }
}

/** crt.sh writes instants without a zone; they are UTC. */
const ctInstant = (s: string) => Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(s) ? s : `${s}Z`);
const covers = (name: string, host: string) =>
  name === host || (name.startsWith('*.') && host.endsWith(name.slice(1)) && !host.slice(0, -(name.length - 1)).includes('.'));

/**
 * The certificate in force for `host` per Certificate Transparency: entries naming it exactly or by a wildcard one
 * level up, begun by `now`; the latest expiry wins. Null when there is none.
 */
export function ctCertificateProbe(fetcher: typeof fetch, endpoint: string, now: () => Date): CertificateProbe {
  return async (host, signal) => {
    const names = [host, ...(host.split('.').length > 3 ? [`*.${host.split('.').slice(1).join('.')}`] : [])];
    const lists = await settledAll(
      names.map(async (q) => {
        const url = new URL(endpoint);
        url.searchParams.set('q', q);
        url.searchParams.set('output', 'json');
        const data = await getJson(fetcher, url, 'application/json', signal, MAX_CT_BYTES);
        const parsed = z.array(CtEntrySchema).safeParse(data);
        if (!parsed.success) throw new ProbeError('证书透明度应答格式不符');
        return parsed.data;
      }),
    );
    const t = now().getTime();
    let best: Certificate | null = null;
    for (const e of lists.flat()) {
      const from = ctInstant(e.not_before);
      const to = ctInstant(e.not_after);
      if (!Number.isFinite(from) || !Number.isFinite(to) || from > t) continue;
      if (!e.name_value.split('\n').some((n) => covers(n.trim().toLowerCase(), host))) continue;
      if (!best || to > Date.parse(best.notAfter)) best = { notAfter: new Date(to).toISOString(), issuer: e.issuer_name?.slice(0, 300) ?? null };
    }
    return best;
  };
}

async function certOf(probe: CertificateProbe, source: 'ct' | 'tls', host: string, timeoutMs: number) {
  try {
    const cert = await timed(timeoutMs, (signal) => probe(host, signal));
    return { certNotAfter: cert?.notAfter ?? null, certIssuer: cert?.issuer ?? null, certSource: source, certError: null };
  } catch (e) {
    return { certNotAfter: null, certIssuer: null, certSource: null, certError: reasonOf(e, source === 'ct' ? '证书透明度查询' : '证书读取', timeoutMs) };
  }
}

/** Runs `fn` over `items`, at most `n` at a time, results in input order. */
export async function inPool<T, R>(items: readonly T[], n: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
  return out;
}

/**
 * Probes `hosts` (DNS and certificate of each) and, unless told not to, writes one `domain_status` row per host.
 * Never throws: a bad configuration or an unreachable service shows in the rows, a failed write in `storeError`.
 */
export async function probeDomains(env: { DB?: D1Database } & ProbeVars, hosts: readonly string[], opts: ProbeOptions = {}): Promise<ProbeRun> {
  const t0 = Date.now();
  const now = opts.now ?? (() => new Date());
  const timeoutMs = opts.timeoutMs ?? 5000;
  const fetcher = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const skipped: ProbeRun['skipped'] = [];
  const valid = [...new Set(hosts.map((h) => h.trim().toLowerCase()))].filter((h) => {
    const ok = DomainSchema.safeParse(h).success;
    if (!ok) skipped.push({ host: h.slice(0, 253), reason: '不是 .gov.cn 下的合法主机名' });
    return ok;
  });
  const cfg = probeConfig(env);
  const certificate = opts.certificate ?? (cfg.ok ? ctCertificateProbe(fetcher, cfg.config.CT_SEARCH_URL, now) : null);
  const source = opts.certificate ? 'tls' : 'ct';
  const one = async (host: string): Promise<DomainStatus> => {
    const [dns, cert] = await Promise.all([
      cfg.ok ? dnsOf(fetcher, cfg.config.DOH_URL, host, timeoutMs) : { dnsStatus: 'ERROR' as const, dnsAnswers: [], dnsError: `配置无效：${cfg.error}` },
      certificate
        ? certOf(certificate, source, host, timeoutMs)
        : { certNotAfter: null, certIssuer: null, certSource: null, certError: `配置无效：${cfg.ok ? '' : cfg.error}` },
    ]);
    return DomainStatusSchema.parse({ host, checkedAt: now().toISOString(), ...dns, ...cert });
  };
  const statuses = await inPool(valid, opts.concurrency ?? 6, (h) =>
    one(h).catch((e: unknown) => ({
      host: h,
      checkedAt: now().toISOString(),
      dnsStatus: 'ERROR' as const,
      dnsAnswers: [],
      dnsError: reasonOf(e, '检查', timeoutMs).slice(0, 300),
      certNotAfter: null,
      certIssuer: null,
      certSource: null,
      certError: null,
    })),
  );
  let storeError: string | null = null;
  if (opts.store !== false && statuses.length > 0 && !env.DB) storeError = '检查结果未能保存：没有数据库';
  else if (opts.store !== false && statuses.length > 0)
    storeError = await storeStatuses(env.DB!, statuses).then(
      () => null,
      (e: unknown) => (console.error('domain status could not be written', String(e)), `检查结果未能保存：${String((e as Error)?.message ?? e).slice(0, 200)}`),
    );
  return { statuses, skipped, storeError, ms: Date.now() - t0 };
}

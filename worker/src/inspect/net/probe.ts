/**
 * 首页可用性 (issue 14): the national rule probes a site's home page at least 20 times a day for a week; a probe
 * that takes longer than 15 s or fails counts as not answering, and ≥ 5 % failed vetoes the site (PROBE in
 * cms-schema). The Cron Trigger (platform/scheduled.ts) probes the sites that are due each minute — each about once
 * an hour, so ≥ 24 a day — and keeps eight days of probes in inspection_probes; the inspector reads a site's week
 * with `availability`, which also gives the home page's timing for 页面打开过慢.
 */
import { PROBE } from '@ywtc/cms-schema';
import { INSPECTOR_USER_AGENT } from './links.ts';
import { networkFailure, statusReason, timeoutReason } from './reasons.ts';

export interface ProbeResult {
  /** A 2xx whose whole body arrived within the timeout. */
  ok: boolean;
  status: number | null;
  /** To the last byte of the body (to the failure, or the timeout, when there is none). */
  ms: number;
  reason: string;
}

export interface ProbeOptions {
  fetch?: typeof fetch;
  /** Default: the national 15 s. */
  timeoutMs?: number;
}

/** Loads a page as a visitor would (redirects followed, the whole body read) and times it to the last byte. */
export async function probe(url: string, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const f = opts.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = opts.timeoutMs ?? PROBE.timeoutMs;
  const signal = AbortSignal.timeout(timeoutMs);
  const started = Date.now();
  let status: number | null = null;
  try {
    // no-cache: the probe asks whether the site answers now, not what a cache kept of it.
    const res = await f(url, { signal, redirect: 'follow', headers: { 'user-agent': INSPECTOR_USER_AGENT, 'cache-control': 'no-cache' } });
    status = res.status;
    if (!res.ok) {
      res.body?.cancel().catch(() => {});
      return { ok: false, status, ms: Date.now() - started, reason: statusReason(status) };
    }
    if (res.body) {
      // Chunks are dropped as they come: the timing is the point, and a huge page costs no memory.
      const reader = res.body.getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read());
    }
    return { ok: true, status, ms: Date.now() - started, reason: statusReason(status) };
  } catch (e) {
    const ms = Date.now() - started;
    if (signal.aborted) return { ok: false, status, ms, reason: timeoutReason(timeoutMs) };
    return { ok: false, status, ms, reason: networkFailure(e).reason };
  }
}

/** A site is due when its last probe is older than this: with the cron every minute, about 25 probes a day. */
export const PROBE_INTERVAL_MS = 55 * 60_000;
/** Sites probed by one cron call (probed at once, so the call takes at most one timeout): 14,400 a day at most. */
export const PROBES_PER_CALL = 10;
/** Probes are kept a day longer than the rule's week, so a run just after midnight still sees a whole week. */
export const PROBE_RETENTION_DAYS = PROBE.windowDays + 1;

const DAY_MS = 86_400_000;

export interface ProbeDueOptions extends ProbeOptions {
  /** Default PROBES_PER_CALL. */
  maxSites?: number;
  /** Default PROBE_INTERVAL_MS. */
  intervalMs?: number;
}

/**
 * Probes the sites whose last probe is older than the interval, those waiting longest first, at most `maxSites`,
 * and writes the probes (and drops those sites' probes past retention) in one batch. Returns how many it probed.
 */
export async function probeDueSites(env: { DB: D1Database }, sites: { id: string; url: string }[], now: Date, opts: ProbeDueOptions = {}): Promise<number> {
  if (!sites.length) return 0;
  const dueBefore = new Date(now.getTime() - (opts.intervalMs ?? PROBE_INTERVAL_MS)).toISOString();
  // One index seek per site (MAX over the key's prefix), not a scan of the week's probes.
  const { results } = await env.DB.prepare(
    'SELECT j.value AS id, (SELECT MAX(p.at) FROM inspection_probes p WHERE p.site_id = j.value) AS last FROM json_each(?) j',
  )
    .bind(JSON.stringify(sites.map((s) => s.id)))
    .all<{ id: string; last: string | null }>();
  const last = new Map(results.map((r) => [r.id, r.last]));
  const due = sites
    .filter((s) => {
      const at = last.get(s.id);
      return !at || at <= dueBefore;
    })
    .sort((a, b) => (last.get(a.id) ?? '').localeCompare(last.get(b.id) ?? ''))
    .slice(0, opts.maxSites ?? PROBES_PER_CALL);
  if (!due.length) return 0;
  const probed = await Promise.all(due.map((s) => probe(s.url, opts)));
  const at = now.toISOString();
  const keepFrom = new Date(now.getTime() - PROBE_RETENTION_DAYS * DAY_MS).toISOString();
  await env.DB.batch(
    due.flatMap((s, i) => {
      const r = probed[i]!;
      return [
        env.DB.prepare('INSERT OR REPLACE INTO inspection_probes (site_id, at, ok, status, ms) VALUES (?, ?, ?, ?, ?)').bind(
          s.id,
          at,
          r.ok ? 1 : 0,
          r.status,
          Math.round(r.ms),
        ),
        env.DB.prepare('DELETE FROM inspection_probes WHERE site_id = ? AND at < ?').bind(s.id, keepFrom),
      ];
    }),
  );
  return due.length;
}

/**
 * Where a site's home page is for a probe: SITE_ORIGIN_TEMPLATE with its primary domain. Names under `.localhost`
 * (the local cluster's) are loopback by RFC 6761 and browsers resolve them so, but the resolver of Node and workerd
 * here does not: such a site is reached through the preview prefix of the same Worker (`/_site/<domain>/` on the
 * loopback host), which serves the same published pages.
 */
export function homeUrlOf(originTemplate: string, domain: string): string {
  const url = new URL('/', originTemplate.replace('{domain}', domain));
  if (!url.hostname.endsWith('.localhost')) return url.href;
  return `${url.protocol}//127.0.0.1${url.port ? `:${url.port}` : ''}/_site/${encodeURIComponent(domain)}/`;
}

/**
 * The Cron Trigger's step: every registered site at its public address. Without SITE_ORIGIN_TEMPLATE the Worker
 * does not know where the sites are public (tests, a bare `wrangler dev`), and nothing is probed.
 */
export async function probeRegistry(env: { DB: D1Database; SITE_ORIGIN_TEMPLATE?: string }, now: Date, opts: ProbeDueOptions = {}): Promise<number> {
  const template = env.SITE_ORIGIN_TEMPLATE;
  if (!template) return 0;
  const { results } = await env.DB.prepare("SELECT id, json_extract(domains, '$[0]') AS domain FROM sites ORDER BY sort_order").all<{
    id: string;
    domain: string | null;
  }>();
  const sites = results.filter((r) => r.domain).map((r) => ({ id: r.id, url: homeUrlOf(template, r.domain!) }));
  return probeDueSites(env, sites, now, opts);
}

export interface Availability {
  probes: number;
  failed: number;
  /** failed / probes (0 without probes); ≥ PROBE.vetoFailureShare vetoes. */
  share: number;
  /** The slowest probe, failed ones included (a timeout counts at its limit). */
  slowest: number;
  /** The median time of the probes that answered (0 when none did): the home page's usual opening time. */
  medianMs: number;
}

/** A site's probes in the rule's window (PROBE.windowDays up to `now`). */
export async function availability(db: D1Database, siteId: string, now: Date): Promise<Availability> {
  const from = new Date(now.getTime() - PROBE.windowDays * DAY_MS).toISOString();
  const { results } = await db
    .prepare('SELECT ok, ms FROM inspection_probes WHERE site_id = ? AND at > ? AND at <= ?')
    .bind(siteId, from, now.toISOString())
    .all<{ ok: number; ms: number }>();
  const failed = results.filter((r) => !r.ok).length;
  const answered = results
    .filter((r) => r.ok)
    .map((r) => r.ms)
    .sort((a, b) => a - b);
  const mid = answered.length >> 1;
  const medianMs = !answered.length ? 0 : answered.length % 2 ? answered[mid]! : Math.round((answered[mid - 1]! + answered[mid]!) / 2);
  return {
    probes: results.length,
    failed,
    share: results.length ? failed / results.length : 0,
    slowest: results.reduce((m, r) => Math.max(m, r.ms), 0),
    medianMs,
  };
}

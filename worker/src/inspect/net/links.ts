/**
 * External links (issue 14, 不可用的外部链接): does each address still answer? Written for production, where it
 * runs in the Worker's Cron Trigger and in `npm run inspect`, against servers the platform does not control:
 *
 * - HEAD first (no body). A failed HEAD (4xx, 5xx) is asked again with GET, since servers refuse HEAD in many
 *   ways (405, 501, and 400/403/404 from some frameworks and firewalls) although GET works: a link counts as broken
 *   only by what GET gets. A body is never read: it is cancelled as soon as the status is known, so a huge file
 *   costs nothing.
 * - Redirects are followed by hand (`redirect: 'manual'`), with loop detection and a limit, so the answer says
 *   where a link ends and why it failed there.
 * - Every link has one deadline (`timeoutMs`) for its whole chain: a slow server is reported as a timeout and the
 *   run goes on. A host that cannot be reached at all (no DNS record, nothing listening, a bad certificate) or
 *   that timed out twice in a row is not asked again for its other links: they get the same answer.
 * - Politeness: at most `concurrency` requests at once, at most `perHost` to any one host, hosts taken in turn.
 * - A budget (`maxRequests`): Workers cap the subrequests of one invocation, so links beyond it are reported as
 *   not checked (null), never as broken.
 *
 * Only http and https are checked; other schemes (mailto:, javascript: …) are not checked (null).
 */
import { networkFailure, statusReason, timeoutReason } from './reasons.ts';

export interface LinkStatus {
  ok: boolean;
  /** The final response's status; null when none came (timeout, network failure). */
  status: number | null;
  /** From the first request to the final answer (or the failure). */
  ms: number;
  /** In Chinese, for the finding: `404 页面不存在`, `超时（10 秒）`, `重定向循环`, `无法连接（连接被拒绝）` … */
  reason: string;
  /** The address the chain ended at (the link itself when it did not redirect). */
  finalUrl: string;
}

export interface CheckLinksOptions {
  fetch?: typeof fetch;
  /** The deadline of one link, redirects included (default 10 s). */
  timeoutMs?: number;
  /** Requests in flight at once (default 6, the Workers limit of simultaneous open connections). */
  concurrency?: number;
  /** Requests in flight to one host (default 2). */
  perHost?: number;
  /** Redirects followed before the link counts as broken (default 5). */
  maxRedirects?: number;
  /** Requests this call may make (default: no limit); links left when it is spent are not checked (null). */
  maxRequests?: number;
  userAgent?: string;
}

export const LINK_DEFAULTS = { timeoutMs: 10_000, concurrency: 6, perHost: 2, maxRedirects: 5 } as const;
/** A browser-like token first: some government sites' firewalls turn away anything else. */
export const INSPECTOR_USER_AGENT = 'Mozilla/5.0 (compatible; YwtcInspector/1.0; government website inspection)';

/** HEAD not supported at all: the host's other links are asked with GET straight away. */
const HEAD_UNSUPPORTED = new Set([405, 501]);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Timeouts in a row after which a host's other links are not asked. */
const HOST_TIMEOUTS = 2;

interface Shared {
  fetch: typeof fetch;
  timeoutMs: number;
  maxRedirects: number;
  maxRequests: number;
  userAgent: string;
  used: number;
  /** Hosts that refused HEAD once: ask them with GET straight away. */
  noHead: Set<string>;
  /** Hosts that cannot be reached, with the answer their links get. */
  hostDown: Map<string, string>;
  hostTimeouts: Map<string, number>;
}

/** The address without its fragment (never sent to a server); `unsupported` when it is not http(s). */
function normalize(raw: string): { href: string } | 'unsupported' | 'invalid' {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return 'invalid';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'unsupported';
  url.hash = '';
  return { href: url.href };
}

/** Checks every address once (duplicates share the answer); the map has a key for every address given. */
export async function checkLinks(urls: readonly string[], opts: CheckLinksOptions = {}): Promise<Map<string, LinkStatus | null>> {
  const shared: Shared = {
    fetch: opts.fetch ?? ((input, init) => fetch(input, init)),
    timeoutMs: opts.timeoutMs ?? LINK_DEFAULTS.timeoutMs,
    maxRedirects: opts.maxRedirects ?? LINK_DEFAULTS.maxRedirects,
    maxRequests: opts.maxRequests ?? Infinity,
    userAgent: opts.userAgent ?? INSPECTOR_USER_AGENT,
    used: 0,
    noHead: new Set(),
    hostDown: new Map(),
    hostTimeouts: new Map(),
  };
  const results = new Map<string, LinkStatus | null>();
  const keyOf = new Map<string, string>();
  const unique = new Set<string>();
  const byHost = new Map<string, string[]>();
  for (const raw of urls) {
    const normal = normalize(raw);
    if (normal === 'unsupported') results.set(raw, null);
    else if (normal === 'invalid') results.set(raw, { ok: false, status: null, ms: 0, reason: '网址格式错误', finalUrl: raw });
    else {
      const key = normal.href;
      keyOf.set(raw, key);
      if (unique.has(key)) continue;
      unique.add(key);
      const host = new URL(key).host;
      const queue = byHost.get(host) ?? byHost.set(host, []).get(host)!;
      queue.push(key);
    }
  }
  const checked = await runPolitely(
    byHost,
    Math.max(1, opts.concurrency ?? LINK_DEFAULTS.concurrency),
    Math.max(1, opts.perHost ?? LINK_DEFAULTS.perHost),
    (url) =>
      checkOne(url, shared).catch((e: unknown) => {
        // A bug here must neither pass for a broken link nor stop the other links: this one is left unchecked.
        console.error('checking an external link failed', url, e);
        return null;
      }),
  );
  for (const [raw, key] of keyOf) results.set(raw, checked.get(key) ?? null);
  return results;
}

/**
 * Works off the hosts' queues with at most `concurrency` jobs at once and `perHost` per host, taking the hosts in
 * turn so that one host with many links neither waits for nor crowds out the others.
 */
async function runPolitely<T>(byHost: Map<string, string[]>, concurrency: number, perHost: number, job: (url: string) => Promise<T>): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  const pending = [...byHost].map(([host, queue]) => ({ host, queue, active: 0 }));
  let cursor = 0;
  let active = 0;
  const pick = () => {
    for (let i = 0; i < pending.length; i++) {
      const h = pending[(cursor + i) % pending.length]!;
      if (h.queue.length && h.active < perHost) {
        cursor = (cursor + i + 1) % pending.length;
        return h;
      }
    }
    return undefined;
  };
  await new Promise<void>((done) => {
    const pump = () => {
      for (let h = active < concurrency ? pick() : undefined; h; h = active < concurrency ? pick() : undefined) {
        const url = h.queue.shift()!;
        const host = h;
        active++;
        host.active++;
        void job(url)
          .then((r) => void out.set(url, r))
          .finally(() => {
            active--;
            host.active--;
            pump();
          });
      }
      if (active === 0) done();
    };
    pump();
  });
  return out;
}

/** One link through its redirects; null when the budget ran out before its answer. Never throws. */
async function checkOne(url: string, s: Shared): Promise<LinkStatus | null> {
  const started = Date.now();
  const signal = AbortSignal.timeout(s.timeoutMs);
  const seen = new Set([url]);
  let current = url;
  let redirects = 0;
  const result = (ok: boolean, status: number | null, reason: string): LinkStatus => ({ ok, status, ms: Date.now() - started, reason, finalUrl: current });
  for (;;) {
    const host = new URL(current).host;
    const down = s.hostDown.get(host);
    if (down) return result(false, null, down);
    let res: Response | null;
    try {
      const useGet = s.noHead.has(host);
      res = await request(current, useGet ? 'GET' : 'HEAD', signal, s);
      if (res && res.status >= 400 && !useGet) {
        // A failed HEAD is confirmed with GET before the link counts as broken: some servers answer HEAD wrongly.
        // Without budget for it, HEAD's answer stands.
        const confirmed = await request(current, 'GET', signal, s);
        if (confirmed && (HEAD_UNSUPPORTED.has(res.status) || confirmed.status < 400)) s.noHead.add(host);
        res = confirmed ?? res;
      }
    } catch (e) {
      if (signal.aborted) {
        const timeouts = (s.hostTimeouts.get(host) ?? 0) + 1;
        s.hostTimeouts.set(host, timeouts);
        const reason = timeoutReason(s.timeoutMs);
        if (timeouts >= HOST_TIMEOUTS) s.hostDown.set(host, `${reason}（该主机已连续 ${timeouts} 次超时，未再逐一请求）`);
        return result(false, null, reason);
      }
      const failure = networkFailure(e);
      if (failure.hostWide) s.hostDown.set(host, failure.reason);
      return result(false, null, failure.reason);
    }
    if (!res) return null;
    s.hostTimeouts.delete(host);
    const location = REDIRECTS.has(res.status) ? res.headers.get('location') : null;
    if (!location) {
      const ok = res.status < 400;
      return result(ok, res.status, statusReason(res.status) + (ok && redirects ? `（经 ${redirects} 次重定向）` : ''));
    }
    let next: string;
    try {
      const target = new URL(location, current);
      if (target.protocol !== 'http:' && target.protocol !== 'https:') return result(false, res.status, `${res.status} 重定向到不支持的地址`);
      target.hash = '';
      next = target.href;
    } catch {
      return result(false, res.status, `${res.status} 重定向地址格式错误`);
    }
    if (seen.has(next)) return result(false, res.status, '重定向循环');
    if (redirects >= s.maxRedirects) return result(false, res.status, `重定向次数过多（超过 ${s.maxRedirects} 次）`);
    seen.add(next);
    redirects++;
    current = next;
  }
}

/** One request within the budget (null when spent); its body is cancelled unread. */
async function request(url: string, method: 'HEAD' | 'GET', signal: AbortSignal, s: Shared): Promise<Response | null> {
  if (s.used >= s.maxRequests) return null;
  s.used++;
  const res = await s.fetch(url, { method, redirect: 'manual', signal, headers: { 'user-agent': s.userAgent, accept: '*/*' } });
  res.body?.cancel().catch(() => {});
  return res;
}

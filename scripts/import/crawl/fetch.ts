/**
 * The crawler's only way onto the network, so every request is polite: robots.txt obeyed (and its Crawl-delay), at
 * most `concurrency` requests in flight, requests to one host started at least `delayMs` apart, each bounded in time
 * (`timeoutMs`, body included) and size (`maxBytes`, the body streamed and dropped past the cap), redirects followed
 * only within the allowed hosts, 5xx / 429 / timeouts retried twice with a growing pause (or the server's
 * Retry-After, which then holds every request to that host). It never throws for a bad
 * page: the result says what went wrong, in Chinese, for the import report.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Politeness } from './config.ts';
import { decodeHtml } from './decode.ts';
import { ALLOW_ALL, DISALLOW_ALL, parseRobots, type RobotsRules } from './robots.ts';
import { hostAllowed } from './url.ts';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface FetchOk {
  ok: true;
  /** The address the bytes came from, after redirects. */
  url: string;
  requestedUrl: string;
  status: number;
  contentType: string;
  bytes: Uint8Array;
  ms: number;
}
export type FetchFailKind = 'redirect' | 'offsite' | 'robots' | 'not-found' | 'http' | 'too-large' | 'timeout' | 'network' | 'aborted';
export interface FetchFail {
  ok: false;
  url: string;
  status: number | null;
  kind: FetchFailKind;
  reason: string;
  ms: number;
}
export type FetchResult = FetchOk | FetchFail;

export interface FetcherOptions {
  politeness: Politeness;
  allowHosts: readonly string[];
  fetch?: FetchLike;
  signal?: AbortSignal;
  /** Pause before the first retry (doubled for the second); 1 s unless a test shortens it. */
  retryBaseMs?: number;
}

/** Crawl-delay may raise the per-host delay, but a robots.txt asking for an hour between pages is not obeyed to the letter. */
const MAX_CRAWL_DELAY_MS = 60_000;
const MAX_REDIRECTS = 5;
const RETRIES = 2;
/** A Retry-After longer than this is not waited for: the page is reported, and a later run can fetch it. */
const MAX_RETRY_AFTER_MS = 120_000;

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP date, as milliseconds from `now`; null if absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  const v = value?.trim();
  if (!v) return null;
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

class Semaphore {
  private free: number;
  private waiting: (() => void)[] = [];
  constructor(n: number) {
    this.free = n;
  }
  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

const mb = (n: number) => `${Math.round((n / 1_000_000) * 10) / 10} MB`;

export interface Fetcher {
  /** `follow(target)` may decline a redirect (the crawler already has the target): the result is then kind `redirect`, url the target. */
  get(url: string, accept?: string, follow?: (target: string) => boolean): Promise<FetchResult>;
  robots(url: string): Promise<RobotsRules>;
}

export function createFetcher(opts: FetcherOptions): Fetcher {
  const p = opts.politeness;
  const doFetch: FetchLike = opts.fetch ?? ((url, init) => fetch(url, init));
  const slots = new Semaphore(p.concurrency);
  const turns = new Map<string, Promise<void>>();
  const lastStart = new Map<string, number>();
  const robotsByOrigin = new Map<string, Promise<RobotsRules>>();
  const retryBase = opts.retryBaseMs ?? 1000;

  const pause = async (ms: number) => {
    if (ms <= 0) return;
    try {
      await sleep(ms, undefined, { signal: opts.signal });
    } catch {
      // aborted: the caller sees the signal and stops
    }
  };

  async function hostDelay(url: string): Promise<number> {
    if (!p.obeyRobots) return p.delayMs;
    const rules = await robots(url);
    return Math.max(p.delayMs, Math.min(rules.crawlDelayMs ?? 0, MAX_CRAWL_DELAY_MS));
  }

  /**
   * Requests to one host start in turn, each at least `delay` after the previous one actually started: measured on
   * the clock after waking, not reserved ahead, so a busy event loop that fires timers late never bunches them up.
   */
  async function takeTurn(host: string, delay: number): Promise<void> {
    const previous = turns.get(host) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    turns.set(
      host,
      previous.then(() => mine),
    );
    await previous;
    try {
      for (let wait = (lastStart.get(host) ?? -Infinity) + delay - performance.now(); wait > 0; wait = lastStart.get(host)! + delay - performance.now()) {
        await pause(Math.ceil(wait));
        if (opts.signal?.aborted) break;
      }
      lastStart.set(host, performance.now());
    } finally {
      done();
    }
  }

  /** No request to `host` starts for `ms` from now (a Retry-After), whoever asks next. */
  function holdHost(host: string, ms: number, delay: number) {
    lastStart.set(host, Math.max(lastStart.get(host) ?? -Infinity, performance.now() + ms - delay));
  }

  /** One HTTP exchange under the politeness rules; the body is read within the same timeout and size cap. */
  async function exchange(url: string, accept: string, delay: number): Promise<{ res: Response; bytes: Uint8Array | null; tooLarge: boolean }> {
    await slots.acquire();
    try {
      await takeTurn(new URL(url).host, delay);
      const signal = opts.signal ? AbortSignal.any([opts.signal, AbortSignal.timeout(p.timeoutMs)]) : AbortSignal.timeout(p.timeoutMs);
      const res = await doFetch(url, {
        redirect: 'manual',
        signal,
        headers: { 'user-agent': p.userAgent, accept, 'accept-language': 'zh-CN,zh;q=0.9' },
      });
      if (res.status < 200 || res.status >= 300) {
        await res.body?.cancel().catch(() => undefined);
        return { res, bytes: null, tooLarge: false };
      }
      const declared = Number(res.headers.get('content-length') ?? NaN);
      if (declared > p.maxBytes) {
        await res.body?.cancel().catch(() => undefined);
        return { res, bytes: null, tooLarge: true };
      }
      if (!res.body) return { res, bytes: new Uint8Array(0), tooLarge: false };
      const reader = res.body.getReader();
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > p.maxBytes) {
          await reader.cancel().catch(() => undefined);
          return { res, bytes: null, tooLarge: true };
        }
        chunks.push(value);
      }
      const bytes = new Uint8Array(total);
      let offset = 0;
      for (const c of chunks) {
        bytes.set(c, offset);
        offset += c.byteLength;
      }
      return { res, bytes, tooLarge: false };
    } finally {
      slots.release();
    }
  }

  function robots(url: string): Promise<RobotsRules> {
    const origin = new URL(url).origin;
    let rules = robotsByOrigin.get(origin);
    if (!rules) {
      rules = loadRobots(origin);
      robotsByOrigin.set(origin, rules);
    }
    return rules;
  }

  async function loadRobots(origin: string): Promise<RobotsRules> {
    const r = await fetchFollowing(`${origin}/robots.txt`, 'text/plain,*/*;q=0.1', p.delayMs, false);
    if (r.ok) return parseRobots(decodeHtml(r.bytes, r.contentType).text, p.userAgent);
    // RFC 9309: an unavailable robots.txt (4xx) allows everything; an unreachable one (5xx, network) allows nothing.
    if (r.kind === 'not-found' || (r.kind === 'http' && r.status !== null && r.status < 500) || r.kind === 'offsite' || r.kind === 'too-large')
      return ALLOW_ALL;
    return DISALLOW_ALL;
  }

  async function fetchFollowing(url: string, accept: string, delay: number, checkRobots: boolean, follow?: (target: string) => boolean): Promise<FetchResult> {
    const started = Date.now();
    const fail = (kind: FetchFailKind, reason: string, status: number | null = null, at = url): FetchFail => ({
      ok: false,
      url: at,
      status,
      kind,
      reason,
      ms: Date.now() - started,
    });
    let current = url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (!hostAllowed(current, opts.allowHosts)) return fail('offsite', hop ? `重定向到站外地址 ${current}` : '不在允许采集的域名内', null, url);
      if (checkRobots && p.obeyRobots) {
        const u = new URL(current);
        const rules = await robots(current);
        if (rules === DISALLOW_ALL) return fail('robots', `无法获取 ${u.origin}/robots.txt（服务器错误或无法连接），按规定暂不采集该站`);
        if (!rules.allows(u.pathname + u.search)) return fail('robots', hop ? `重定向目标 ${current} 被 robots.txt 禁止采集` : 'robots.txt 禁止采集');
      }
      let attempt = 0;
      for (;;) {
        if (opts.signal?.aborted) return fail('aborted', '采集已中止');
        let outcome: Awaited<ReturnType<typeof exchange>> | FetchFail;
        try {
          outcome = await exchange(current, accept, delay);
        } catch (e) {
          if (opts.signal?.aborted) return fail('aborted', '采集已中止');
          const timedOut = e instanceof DOMException && e.name === 'TimeoutError';
          outcome = timedOut ? fail('timeout', `${p.timeoutMs / 1000} 秒内未响应`) : fail('network', `无法连接：${e instanceof Error ? e.message : String(e)}`);
        }
        if ('ok' in outcome) {
          if (attempt++ < RETRIES) {
            await pause(retryBase * 2 ** (attempt - 1));
            continue;
          }
          return { ...outcome, reason: `${outcome.reason}（已重试 ${RETRIES} 次）` };
        }
        const { res, bytes, tooLarge } = outcome;
        const status = res.status;
        if (status >= 300 && status < 400 && res.headers.has('location')) {
          let next: string;
          try {
            next = new URL(res.headers.get('location')!, current).href;
          } catch {
            return fail('http', `重定向地址无效（${status}）`, status);
          }
          if (follow && !follow(next)) return { ...fail('redirect', `重定向到 ${next}`, status), url: next };
          current = next;
          break;
        }
        if (tooLarge) return fail('too-large', `页面超过 ${mb(p.maxBytes)} 上限，未采集`, status);
        if (bytes)
          return { ok: true, url: current, requestedUrl: url, status, contentType: res.headers.get('content-type') ?? '', bytes, ms: Date.now() - started };
        if (status === 404 || status === 410) return fail('not-found', `页面不存在（${status}）`, status);
        if (status >= 500 || status === 429) {
          // A busy server that says when to come back is believed — for this host, not just this request.
          const asked = retryAfterMs(res.headers.get('retry-after'));
          if (asked !== null && asked > MAX_RETRY_AFTER_MS)
            return fail('http', `服务器繁忙（${status}），要求 ${Math.ceil(asked / 1000)} 秒后再访问，超过等待上限，本次未采集`, status);
          if (attempt++ < RETRIES) {
            const wait = Math.max(retryBase * 2 ** (attempt - 1), asked ?? 0);
            holdHost(new URL(current).host, wait, delay);
            await pause(wait);
            continue;
          }
        }
        return fail('http', status >= 500 || status === 429 ? `服务器错误（${status}，已重试 ${RETRIES} 次）` : `服务器拒绝访问（${status}）`, status);
      }
    }
    return fail('http', `重定向超过 ${MAX_REDIRECTS} 次`);
  }

  return {
    robots,
    async get(url, accept = 'text/html,application/xhtml+xml,*/*;q=0.8', follow) {
      const delay = await hostDelay(url);
      return fetchFollowing(url, accept, delay, true, follow);
    },
  };
}

import { afterEach, describe, expect, it } from 'vitest';
import { PolitenessSchema, type Politeness } from '../crawl/config.ts';
import { createFetcher, retryAfterMs, type FetchLike } from '../crawl/fetch.ts';
import { serveFixtureSite, type FixtureServer, type LoggedRequest } from '../fixtures/serve.ts';
import type { FixtureResponse } from '../fixtures/site.ts';

const html = (s: string) => new TextEncoder().encode(`<!DOCTYPE html><title>${s}</title><p>${s}</p>`);
const page = (s: string): FixtureResponse => ({ status: 200, contentType: 'text/html; charset=utf-8', body: html(s) });
const politeness = (p: Partial<Politeness>): Politeness => ({ ...PolitenessSchema.parse({}), ...p });

let server: FixtureServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function serve(entries: [string, FixtureResponse][], latencyMs = 0) {
  server = await serveFixtureSite({ responses: new Map(entries) }, { latencyMs });
  return server;
}
const pagesOf = (log: LoggedRequest[]) => log.filter((r) => r.path.startsWith('/p'));
const gaps = (log: LoggedRequest[]) => log.slice(1).map((r, i) => r.start - log[i]!.start);

describe('polite fetching', () => {
  it('keeps at most `concurrency` requests in flight', async () => {
    const s = await serve(
      Array.from({ length: 8 }, (_, i) => [`/p${i}`, page(`p${i}`)]),
      120,
    );
    const f = createFetcher({ politeness: politeness({ concurrency: 2, delayMs: 0, obeyRobots: false }), allowHosts: [new URL(s.origin).host] });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => f.get(`${s.origin}/p${i}`)));
    expect(results.every((r) => r.ok)).toBe(true);
    const log = pagesOf(s.requests);
    const overlap = Math.max(...log.map((a) => log.filter((b) => b.start <= a.start && b.end > a.start).length));
    expect(overlap).toBe(2);
  });

  it('starts requests to one host `delayMs` apart, and sends its user agent', async () => {
    const s = await serve(Array.from({ length: 5 }, (_, i) => [`/p${i}`, page(`p${i}`)]));
    const f = createFetcher({ politeness: politeness({ concurrency: 4, delayMs: 120, obeyRobots: false }), allowHosts: [new URL(s.origin).host] });
    await Promise.all(Array.from({ length: 5 }, (_, i) => f.get(`${s.origin}/p${i}`)));
    const log = pagesOf(s.requests);
    expect(log).toHaveLength(5);
    // The first request also opens the connection, so it reaches the server late; spacing is measured after it.
    for (const g of gaps(log).slice(1)) expect(g).toBeGreaterThanOrEqual(110);
    expect(log.at(-1)!.start - log[0]!.start).toBeGreaterThanOrEqual(4 * 120 - 60);
    expect(new Set(log.map((r) => r.userAgent))).toEqual(new Set(['ywtc-import/1 (+https://admin.gxzf.gov.cn/import)']));
  });

  it("raises the delay to robots.txt's Crawl-delay and obeys its Disallow", async () => {
    const robots: FixtureResponse = {
      status: 200,
      contentType: 'text/plain',
      body: new TextEncoder().encode('User-agent: *\nCrawl-delay: 0.25\nDisallow: /p-private'),
    };
    const s = await serve([
      ['/robots.txt', robots],
      ...Array.from({ length: 3 }, (_, i): [string, FixtureResponse] => [`/p${i}`, page(`p${i}`)]),
      ['/p-private', page('x')],
    ]);
    const f = createFetcher({ politeness: politeness({ concurrency: 4, delayMs: 0 }), allowHosts: [new URL(s.origin).host] });
    const results = await Promise.all([0, 1, 2].map((i) => f.get(`${s.origin}/p${i}`)));
    expect(results.every((r) => r.ok)).toBe(true);
    for (const g of gaps(pagesOf(s.requests))) expect(g).toBeGreaterThanOrEqual(240);
    const refused = await f.get(`${s.origin}/p-private`);
    expect(refused).toMatchObject({ ok: false, kind: 'robots', reason: 'robots.txt 禁止采集' });
    expect(s.requests.filter((r) => r.path === '/robots.txt')).toHaveLength(1);
    expect(s.requests.some((r) => r.path === '/p-private')).toBe(false);
  });

  it('stops reading a body past maxBytes, streamed or declared', async () => {
    const big = new Uint8Array(300_000).fill(0x41);
    const s = await serve([
      ['/p-streamed', { status: 200, contentType: 'text/html', body: big }],
      ['/p-declared', { status: 200, contentType: 'text/html', body: big.subarray(0, 50_000) }],
      ['/p-small', page('small')],
    ]);
    const f = createFetcher({ politeness: politeness({ delayMs: 0, maxBytes: 20_000, obeyRobots: false }), allowHosts: [new URL(s.origin).host] });
    expect(await f.get(`${s.origin}/p-streamed`)).toMatchObject({ ok: false, kind: 'too-large', reason: '页面超过 0 MB 上限，未采集' });
    expect(await f.get(`${s.origin}/p-declared`)).toMatchObject({ ok: false, kind: 'too-large' });
    expect(await f.get(`${s.origin}/p-small`)).toMatchObject({ ok: true, status: 200 });
  });
});

describe('failures as results', () => {
  const allow = ['rd.example.gov.cn'];
  const base = politeness({ delayMs: 0, obeyRobots: false });
  /** A server answering every request with `answer`: what the fetcher made of it, and how often it asked. */
  const alwaysAnswering = async (answer: () => Response) => {
    let calls = 0;
    const result = await getWith(async () => (calls++, answer()), '/a');
    return { result, calls };
  };
  /** One page through a fetcher over `fetch`, retries 5 ms apart. */
  const getWith = (fetch: FetchLike, path: string) =>
    createFetcher({ politeness: base, allowHosts: allow, fetch, retryBaseMs: 5 }).get(`http://rd.example.gov.cn${path}`);

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-12-05T08:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Sat, 05 Dec 2026 08:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Sat, 05 Dec 2026 07:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });

  it('waits as long as a busy server’s Retry-After asks, holding every request to that host, and reports one it will not wait for', async () => {
    const t0 = performance.now();
    const calls: { path: string; at: number }[] = [];
    let busy = true;
    const server: FetchLike = async (url) => {
      const path = new URL(url).pathname;
      calls.push({ path, at: performance.now() - t0 });
      if (path === '/a' && busy) {
        busy = false;
        return new Response('busy', { status: 429, headers: { 'retry-after': '1' } });
      }
      return new Response(`<title>${path}</title>`, { headers: { 'content-type': 'text/html' } });
    };
    const f = createFetcher({ politeness: { ...base, concurrency: 2 }, allowHosts: allow, fetch: server, retryBaseMs: 5 });
    const a = f.get('http://rd.example.gov.cn/a');
    await new Promise((r) => setTimeout(r, 50));
    const b = f.get('http://rd.example.gov.cn/b');
    expect(await a).toMatchObject({ ok: true });
    expect(await b).toMatchObject({ ok: true });
    const [first, second] = calls.filter((c) => c.path === '/a');
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
    expect(calls.find((c) => c.path === '/b')!.at).toBeGreaterThanOrEqual(950);

    const closed = await alwaysAnswering(() => new Response('maintenance', { status: 503, headers: { 'retry-after': '3600' } }));
    expect(closed.calls).toBe(1);
    expect(closed.result).toMatchObject({ ok: false, kind: 'http', status: 503, reason: '服务器繁忙（503），要求 3600 秒后再访问，超过等待上限，本次未采集' });
  });

  it('retries 5xx twice, then reports', async () => {
    let calls = 0;
    const flaky: FetchLike = async () =>
      ++calls < 3 ? new Response('busy', { status: 503 }) : new Response('<title>ok</title>', { headers: { 'content-type': 'text/html' } });
    expect(await getWith(flaky, '/a')).toMatchObject({
      ok: true,
    });
    expect(calls).toBe(3);
    const down = await alwaysAnswering(() => new Response('down', { status: 500 }));
    expect(down.calls).toBe(3);
    expect(down.result).toMatchObject({ ok: false, kind: 'http', status: 500, reason: '服务器错误（500，已重试 2 次）' });
  });

  it('does not retry a 404', async () => {
    let calls = 0;
    const missing: FetchLike = async () => (calls++, new Response('no', { status: 404 }));
    expect(await createFetcher({ politeness: base, allowHosts: allow, fetch: missing }).get('http://rd.example.gov.cn/a')).toMatchObject({
      ok: false,
      kind: 'not-found',
      reason: '页面不存在（404）',
    });
    expect(calls).toBe(1);
  });

  it('times out a stalled server, retrying twice', async () => {
    let calls = 0;
    const stall: FetchLike = (_url, init) =>
      new Promise((_resolve, reject) => {
        calls++;
        init.signal!.addEventListener('abort', () => reject(init.signal!.reason as Error));
      });
    const r = await createFetcher({ politeness: { ...base, timeoutMs: 40 }, allowHosts: allow, fetch: stall, retryBaseMs: 5 }).get(
      'http://rd.example.gov.cn/a',
    );
    expect(r).toMatchObject({ ok: false, kind: 'timeout', reason: '0.04 秒内未响应（已重试 2 次）' });
    expect(calls).toBe(3);
  });

  it('follows redirects within the allowed hosts only', async () => {
    const seen: string[] = [];
    const fake: FetchLike = async (url) => {
      seen.push(url);
      if (url.endsWith('/old')) return new Response(null, { status: 301, headers: { location: '/new' } });
      if (url.endsWith('/out')) return new Response(null, { status: 302, headers: { location: 'http://other.example.com/x' } });
      return new Response('<title>新</title>', { headers: { 'content-type': 'text/html' } });
    };
    const f = createFetcher({ politeness: base, allowHosts: allow, fetch: fake });
    expect(await f.get('http://rd.example.gov.cn/old')).toMatchObject({
      ok: true,
      url: 'http://rd.example.gov.cn/new',
      requestedUrl: 'http://rd.example.gov.cn/old',
    });
    expect(await f.get('http://rd.example.gov.cn/out')).toMatchObject({ ok: false, kind: 'offsite', reason: '重定向到站外地址 http://other.example.com/x' });
    expect(seen.some((u) => u.includes('other.example.com'))).toBe(false);
  });

  it('treats an unreachable robots.txt as disallowing everything and a missing one as allowing everything', async () => {
    const fetched: string[] = [];
    const broken: FetchLike = async (url) => (
      fetched.push(url),
      url.endsWith('/robots.txt') ? new Response('err', { status: 503 }) : new Response('<title>x</title>')
    );
    const r = await createFetcher({ politeness: politeness({ delayMs: 0 }), allowHosts: allow, fetch: broken, retryBaseMs: 5 }).get(
      'http://rd.example.gov.cn/a',
    );
    expect(r).toMatchObject({ ok: false, kind: 'robots' });
    expect(fetched.every((u) => u.endsWith('/robots.txt'))).toBe(true);
    const none: FetchLike = async (url) => (url.endsWith('/robots.txt') ? new Response('no', { status: 404 }) : new Response('<title>x</title>'));
    expect(await createFetcher({ politeness: politeness({ delayMs: 0 }), allowHosts: allow, fetch: none }).get('http://rd.example.gov.cn/a')).toMatchObject({
      ok: true,
    });
  });
});

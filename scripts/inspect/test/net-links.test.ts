/**
 * The inspector's network code (worker/src/inspect/net) against a local stub server: the same code runs in the
 * Worker, and here in Node as under `npm run inspect`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLinks } from '../../../worker/src/inspect/net/links.ts';
import { probe } from '../../../worker/src/inspect/net/probe.ts';
import { closedPort, startStubServer, type StubServer } from './net-stub.ts';

let stub: StubServer;
beforeAll(async () => {
  stub = await startStubServer();
});
afterAll(() => stub.close());

const url = (path: string) => `${stub.origin}${path}`;

async function one(path: string, opts: Parameters<typeof checkLinks>[1] = {}) {
  const target = path.startsWith('http') ? path : url(path);
  const status = (await checkLinks([target], opts)).get(target);
  if (!status) throw new Error(`no answer for ${target}`);
  return status;
}

describe('checkLinks', () => {
  it('a page that answers is ok, asked with HEAD only', async () => {
    stub.requests.length = 0;
    expect(await one('/ok')).toMatchObject({ ok: true, status: 200, reason: '200 正常', finalUrl: url('/ok') });
    expect(stub.requests).toEqual(['HEAD /ok']);
  });

  it('404 and 500 are broken, with their meaning, as GET confirms', async () => {
    stub.requests.length = 0;
    expect(await one('/missing')).toMatchObject({ ok: false, status: 404, reason: '404 页面不存在' });
    expect(stub.requests).toEqual(['HEAD /missing', 'GET /missing']);
    expect(await one('/error')).toMatchObject({ ok: false, status: 500, reason: '500 服务器错误' });
  });

  it('a server refusing HEAD is asked with GET, and its other links with GET straight away', async () => {
    stub.requests.length = 0;
    const r = await checkLinks([url('/no-head'), url('/ok')], { perHost: 1 });
    expect(r.get(url('/no-head'))).toMatchObject({ ok: true, status: 200 });
    expect(r.get(url('/ok'))).toMatchObject({ ok: true, status: 200 });
    expect(stub.requests).toEqual(['HEAD /no-head', 'GET /no-head', 'GET /ok']);
  });

  it('a HEAD failure with the budget spent stands as the answer', async () => {
    expect(await one('/missing', { maxRequests: 1 })).toMatchObject({ ok: false, status: 404 });
  });

  it('follows a redirect chain to its end (fragments never sent)', async () => {
    const r = await one('/chain/1');
    expect(r).toMatchObject({ ok: true, status: 200, finalUrl: url('/ok'), reason: '200 正常（经 3 次重定向）' });
  });

  it('a redirect loop is broken, and so is a chain longer than the limit', async () => {
    expect(await one('/loop/a')).toMatchObject({ ok: false, status: 302, reason: '重定向循环' });
    expect(await one('/endless', { maxRedirects: 3 })).toMatchObject({ ok: false, status: 302, reason: '重定向次数过多（超过 3 次）' });
    expect(await one('/chain/1', { maxRedirects: 2 })).toMatchObject({ ok: false });
  });

  it('a server that never answers is a timeout, bounded by timeoutMs', async () => {
    const started = Date.now();
    const r = await one('/hang', { timeoutMs: 300 });
    expect(r).toMatchObject({ ok: false, status: null, reason: '超时（0.3 秒）' });
    expect(r.ms).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a huge body is not read: the answer comes at once and the connection is let go', async () => {
    const closedBefore = stub.hugeClosed();
    const started = Date.now();
    const r = await one('/huge', { timeoutMs: 5000 });
    expect(r).toMatchObject({ ok: true, status: 200 });
    expect(Date.now() - started).toBeLessThan(2000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sent = stub.hugeBytesSent();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stub.hugeBytesSent()).toBe(sent);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    expect(stub.hugeClosed()).toBe(closedBefore + 1);
  });

  it('a closed port is a connection failure, and the host is not asked again for its other links', async () => {
    const origin = `http://127.0.0.1:${await closedPort()}`;
    let asked = 0;
    const counting: typeof fetch = (input, init) => (asked++, fetch(input, init));
    const links = [`${origin}/a`, `${origin}/b`, `${origin}/c`];
    const r = await checkLinks(links, { fetch: counting, perHost: 1 });
    for (const l of links) expect(r.get(l)).toMatchObject({ ok: false, status: null, reason: '无法连接（连接被拒绝）' });
    expect(asked).toBe(1);
  });

  it('links beyond the request budget are not checked (null), not broken', async () => {
    const links = ['/ok', '/missing', '/error', '/chain/1'].map(url);
    const r = await checkLinks(links, { maxRequests: 3, concurrency: 1 });
    expect(r.get(links[0]!)).toMatchObject({ ok: true });
    expect(r.get(links[1]!)).toMatchObject({ ok: false, status: 404 });
    expect(r.get(links[2]!)).toBeNull();
    expect(r.get(links[3]!)).toBeNull();
  });

  it('duplicates are asked once; other schemes are not checked; malformed addresses are broken', async () => {
    stub.requests.length = 0;
    const links = [url('/ok'), url('/ok#top'), url('/ok'), 'mailto:a@b.cn', 'http://exa mple.com/'];
    const r = await checkLinks(links);
    expect(stub.requests).toEqual(['HEAD /ok']);
    expect(r.get(url('/ok#top'))).toMatchObject({ ok: true });
    expect(r.get('mailto:a@b.cn')).toBeNull();
    expect(r.get('http://exa mple.com/')).toMatchObject({ ok: false, reason: '网址格式错误' });
    expect(r.size).toBe(4);
  });

  it('keeps to the concurrency limits: per host, and overall', async () => {
    let inFlight = 0;
    let most = 0;
    const perHostMost = new Map<string, number>();
    const perHostNow = new Map<string, number>();
    const slow: typeof fetch = async (input) => {
      const host = new URL(input instanceof Request ? input.url : input).host;
      inFlight++;
      perHostNow.set(host, (perHostNow.get(host) ?? 0) + 1);
      most = Math.max(most, inFlight);
      perHostMost.set(host, Math.max(perHostMost.get(host) ?? 0, perHostNow.get(host)!));
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight--;
      perHostNow.set(host, perHostNow.get(host)! - 1);
      return new Response(null, { status: 200 });
    };
    const links = ['a', 'b', 'c', 'd'].flatMap((h) => Array.from({ length: 6 }, (_, i) => `https://${h}.example.cn/${i}`));
    const r = await checkLinks(links, { fetch: slow, concurrency: 5, perHost: 2 });
    expect([...r.values()].every((s) => s?.ok)).toBe(true);
    expect(most).toBe(5);
    expect(Math.max(...perHostMost.values())).toBe(2);
  });

  it('a host that timed out twice is not asked for its remaining links, and the run goes on', async () => {
    const links = [1, 2, 3, 4, 5].map((i) => url(`/hang?${i}`)).concat(url('/ok'));
    stub.requests.length = 0;
    const started = Date.now();
    const r = await checkLinks(links, { timeoutMs: 200, perHost: 1, concurrency: 1 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(stub.requests.filter((q) => q.startsWith('HEAD /hang'))).toHaveLength(2);
    expect(r.get(links[4]!)).toMatchObject({ ok: false, reason: expect.stringContaining('超时（0.2 秒）') });
  });
});

describe('probe', () => {
  it('a page that answers is ok, timed to its last byte', async () => {
    const r = await probe(url('/slow-body'));
    expect(r).toMatchObject({ ok: true, status: 200, reason: '200 正常' });
    expect(r.ms).toBeGreaterThanOrEqual(550);
  });

  it('slower than the timeout is not ok, with the time it took', async () => {
    const r = await probe(url('/slow-body'), { timeoutMs: 200 });
    expect(r).toMatchObject({ ok: false, status: 200, reason: '超时（0.2 秒）' });
    expect(r.ms).toBeGreaterThanOrEqual(180);
    expect(r.ms).toBeLessThan(550);
  });

  it('a 503 is not ok', async () => {
    expect(await probe(url('/unavailable'))).toMatchObject({ ok: false, status: 503, reason: '503 服务暂不可用' });
  });

  it('a closed port is not ok', async () => {
    expect(await probe(`http://127.0.0.1:${await closedPort()}/`)).toMatchObject({ ok: false, status: null, reason: '无法连接（连接被拒绝）' });
  });

  it('a redirect loop is not ok', async () => {
    expect(await probe(url('/loop/a'), { timeoutMs: 5000 })).toMatchObject({ ok: false, status: null, reason: '重定向循环或次数过多' });
  });

  it('follows a redirect to the page', async () => {
    expect(await probe(url('/chain/1'))).toMatchObject({ ok: true, status: 200 });
  });

  it('a server that never answers times out', async () => {
    expect(await probe(url('/hang'), { timeoutMs: 200 })).toMatchObject({ ok: false, status: null, reason: '超时（0.2 秒）' });
  });
});

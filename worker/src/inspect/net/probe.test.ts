/**
 * 首页可用性 in workerd with the real D1: which sites the cron probes each minute, what it stores and drops, and
 * the week a site's verdict is read from. Network answers come from an injected fetch (the HTTP side of `probe`
 * is tested against a local server in scripts/inspect/test/net-links.test.ts).
 */
import { env } from 'cloudflare:test';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROBE } from '@ywtc/cms-schema';
import { availability, homeUrlOf, PROBE_INTERVAL_MS, probeDueSites, probeRegistry } from './probe.ts';
import { scheduledWork } from '../../platform/scheduled.ts';
import { seedRegistry } from '../../testing/sites.ts';

const T0 = new Date('2026-03-02T08:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const days = (n: number) => new Date(T0.getTime() - n * 86_400_000);

/** Answers by host: `down.cn` refuses, `slow.cn` answers 503, the rest 200; records what was asked. */
function fakeNet() {
  const asked: string[] = [];
  const f: typeof fetch = async (input) => {
    const url = input instanceof Request ? input.url : String(input as string | URL);
    asked.push(url);
    const host = new URL(url).hostname;
    if (host === 'down.cn') throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    return new Response(host === 'slow.cn' ? 'busy' : '<!doctype html><title>首页</title>', { status: host === 'slow.cn' ? 503 : 200 });
  };
  return { asked, fetch: f };
}

const rows = async (siteId?: string) =>
  (
    await env.DB.prepare(`SELECT site_id, at, ok, status, ms FROM inspection_probes ${siteId ? 'WHERE site_id = ?' : ''} ORDER BY site_id, at`)
      .bind(...(siteId ? [siteId] : []))
      .all<{ site_id: string; at: string; ok: number; status: number | null; ms: number }>()
  ).results;

beforeEach(async () => {
  await env.DB.exec('DELETE FROM inspection_probes');
});

describe('probeDueSites', () => {
  const sites = [
    { id: 'a', url: 'https://a.cn/' },
    { id: 'b', url: 'https://down.cn/' },
    { id: 'c', url: 'https://slow.cn/' },
  ];

  it('probes the sites due, at most maxSites a call, those waiting longest first, each about once an interval', async () => {
    const net = fakeNet();
    expect(await probeDueSites(env, sites, T0, { fetch: net.fetch, maxSites: 2 })).toBe(2);
    expect(net.asked).toEqual(['https://a.cn/', 'https://down.cn/']);
    // A minute later only the one left over is due.
    expect(await probeDueSites(env, sites, minutes(1), { fetch: net.fetch, maxSites: 2 })).toBe(1);
    expect(net.asked.at(-1)).toBe('https://slow.cn/');
    expect(await probeDueSites(env, sites, minutes(30), { fetch: net.fetch, maxSites: 2 })).toBe(0);
    // Past the interval the first two are due again (before c, probed a minute later).
    const later = new Date(T0.getTime() + PROBE_INTERVAL_MS);
    expect(await probeDueSites(env, sites, later, { fetch: net.fetch, maxSites: 2 })).toBe(2);
    expect(net.asked.slice(-2)).toEqual(['https://a.cn/', 'https://down.cn/']);
    expect(await rows('a')).toHaveLength(2);
  });

  it('stores each probe: a 200 as answered, a refused connection and a 503 as failed', async () => {
    const net = fakeNet();
    await probeDueSites(env, sites, T0, { fetch: net.fetch });
    expect((await rows()).map((r) => [r.site_id, r.at, r.ok, r.status])).toEqual([
      ['a', T0.toISOString(), 1, 200],
      ['b', T0.toISOString(), 0, null],
      ['c', T0.toISOString(), 0, 503],
    ]);
  });

  it("drops a probed site's probes past the retention (eight days), keeps the week", async () => {
    await env.DB.batch(
      [days(9), days(7.5)].map((at) =>
        env.DB.prepare('INSERT INTO inspection_probes (site_id, at, ok, status, ms) VALUES (?, ?, 1, 200, 100)').bind('a', at.toISOString()),
      ),
    );
    await probeDueSites(env, sites.slice(0, 1), T0, { fetch: fakeNet().fetch });
    expect((await rows('a')).map((r) => r.at)).toEqual([days(7.5).toISOString(), T0.toISOString()]);
  });

  it('a probe slower than its timeout is stored as failed, with its time', async () => {
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason as Error)));
    await probeDueSites(env, sites.slice(0, 1), T0, { fetch: hanging, timeoutMs: 100 });
    const [row] = await rows('a');
    expect(row).toMatchObject({ ok: 0, status: null });
    expect(row!.ms).toBeGreaterThanOrEqual(90);
  });
});

describe('availability', () => {
  it("counts the week's probes, the failed share, the slowest and the median of those answered", async () => {
    const probes: [Date, number, number][] = [
      [days(8), 0, 15_000], // outside the week
      [days(6), 1, 300],
      [days(5), 1, 500],
      [days(4), 0, 15_000],
      [days(3), 1, 400],
      [days(2), 1, 900],
      [minutes(1), 0, 20_000], // after `now`
    ];
    await env.DB.batch(
      probes.map(([at, ok, ms]) =>
        env.DB.prepare('INSERT INTO inspection_probes (site_id, at, ok, status, ms) VALUES (?, ?, ?, ?, ?)').bind(
          'a',
          at.toISOString(),
          ok,
          ok ? 200 : null,
          ms,
        ),
      ),
    );
    expect(await availability(env.DB, 'a', T0)).toEqual({ probes: 5, failed: 1, share: 0.2, slowest: 15_000, medianMs: 450 });
    expect((await availability(env.DB, 'a', T0)).share).toBeGreaterThanOrEqual(PROBE.vetoFailureShare);
    expect(await availability(env.DB, 'nobody', T0)).toEqual({ probes: 0, failed: 0, share: 0, slowest: 0, medianMs: 0 });
  });
});

describe('the cron step', () => {
  beforeAll(async () => {
    await seedRegistry();
  });

  it("probes every registered site's home page at its public address (primary domain)", async () => {
    const net = fakeNet();
    expect(await probeRegistry({ DB: env.DB, SITE_ORIGIN_TEMPLATE: 'https://{domain}' }, T0, { fetch: net.fetch })).toBe(2);
    expect(net.asked.sort()).toEqual(['https://www.gxzf.gov.cn/', 'https://www.nanning.gov.cn/']);
    expect((await rows()).map((r) => [r.site_id, r.ok])).toEqual([
      ['gxzf', 1],
      ['nanning', 1],
    ]);
  });

  it('without SITE_ORIGIN_TEMPLATE nothing is probed, and the scheduled work reports the step', async () => {
    const net = fakeNet();
    expect(await probeRegistry({ DB: env.DB }, T0, { fetch: net.fetch })).toBe(0);
    expect(net.asked).toEqual([]);
    const report = await scheduledWork({ ...env, SITE_ORIGIN_TEMPLATE: undefined } as typeof env, T0, () => {});
    expect(report.homeProbes).toBe(0);
  });

  it('a local cluster site is reached through the preview prefix on the loopback host', () => {
    expect(homeUrlOf('http://{domain}.localhost:8787', 'www.gxzf.gov.cn')).toBe('http://127.0.0.1:8787/_site/www.gxzf.gov.cn/');
    expect(homeUrlOf('https://{domain}', 'www.gxzf.gov.cn')).toBe('https://www.gxzf.gov.cn/');
  });
});

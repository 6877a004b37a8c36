/**
 * The DNS and certificate probes in workerd against stubs of a DoH resolver (JSON API) and a Certificate
 * Transparency search: answers, NXDOMAIN, malformed JSON, HTTP errors and a resolver that never answers each become
 * a status row and, through the rules, the right alert; the run is bounded (timeouts, concurrency) and never throws,
 * not even when D1 refuses the write. Also 立即检查 on /admin/domains.
 */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { SiteSchema, TABLES, insertSql, toRow } from '@ywtc/cms-schema';
import { SITES, seedRegistry } from '../testing/sites.ts';
import { addAccount, login } from '../testing/accounts.ts';
import { inPool, probeDomains } from './probes.ts';
import { hostsDue } from './status-store.ts';
import { loadDomainRegistry, registryProblems } from './rules.ts';

const NOW = new Date('2026-06-01T00:00:00Z');
const day = (n: number) => new Date(NOW.getTime() + n * 86_400_000).toISOString().slice(0, 19); // crt.sh writes UTC without a zone
const STUB_ENV = { DOH_URL: 'https://doh.stub.test/dns-query', CT_SEARCH_URL: 'https://ct.stub.test/' };

type Behaviour = { dns: 'ok' | 'nxdomain' | 'bad-json' | 'stall' | 'no-address'; ct: { name: string; from: number; to: number }[] | 'http-502' | 'stall' };
const HOSTS: Record<string, Behaviour> = {
  'www.nanning.gov.cn': {
    dns: 'ok',
    ct: [
      { name: 'www.nanning.gov.cn', from: -500, to: -135 },
      { name: 'www.nanning.gov.cn\nwww.nanning.gov.cn.cdn.example', from: -165, to: 200 },
      { name: 'www.nanning.gov.cn', from: 30, to: 400 }, // not yet in force
      { name: 'other.gov.cn', from: -10, to: 900 },
    ],
  },
  'nanning.gov.cn': { dns: 'nxdomain', ct: [{ name: 'nanning.gov.cn', from: -400, to: -1 }] },
  'fgw.nanning.gov.cn': { dns: 'bad-json', ct: [{ name: '*.nanning.gov.cn', from: -85, to: 5 }] },
  'www.gxzf.gov.cn': { dns: 'stall', ct: 'http-502' },
  'jyj.nanning.gov.cn': { dns: 'no-address', ct: 'stall' },
};

/** The stubs: a DoH resolver and a CT search answering per host as above; they count the requests in flight. */
function stubs() {
  let inFlight = 0;
  let peak = 0;
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    peak = Math.max(peak, ++inFlight);
    // A request ends for the prober when its signal aborts: counted out right then, not some ticks later.
    let open = true;
    const end = () => {
      if (open) inFlight--;
      open = false;
    };
    const stall = () =>
      new Promise<Response>((_, reject) =>
        init?.signal?.addEventListener('abort', () => {
          end();
          reject(new DOMException('The operation timed out.', 'TimeoutError'));
        }),
      );
    try {
      await new Promise((r) => setTimeout(r, 5));
      if (url.hostname === 'doh.stub.test') {
        expect(new Headers(init?.headers).get('accept')).toBe('application/dns-json');
        const name = url.searchParams.get('name')!;
        const b = HOSTS[name];
        if (!b || b.dns === 'nxdomain') return Response.json({ Status: 3, Question: [{ name, type: 1 }] });
        if (b.dns === 'bad-json') return new Response('{"Status": 0, "Answer": [', { headers: { 'content-type': 'application/dns-json' } });
        if (b.dns === 'stall') return await stall();
        if (b.dns === 'no-address') return Response.json({ Status: 0, Answer: [{ name, type: 5, TTL: 60, data: 'cdn.example.net.' }] });
        const cname = { name, type: 5, TTL: 300, data: 'portal.nanning.gov.cn.' };
        return Response.json({
          Status: 0,
          Answer: url.searchParams.get('type') === 'A' ? [cname, { name: 'portal.nanning.gov.cn.', type: 1, TTL: 300, data: '203.0.113.10' }] : [cname],
        });
      }
      // The CT search: a host's own failure for its own name; otherwise every logged certificate naming `q`.
      const q = url.searchParams.get('q')!;
      expect(url.searchParams.get('output')).toBe('json');
      if (HOSTS[q]?.ct === 'http-502') return new Response('bad gateway', { status: 502 });
      if (HOSTS[q]?.ct === 'stall') return await stall();
      const logged = Object.values(HOSTS).flatMap((b) => (Array.isArray(b.ct) ? b.ct : []));
      return Response.json(
        logged
          .filter((c) => c.name.split('\n').includes(q))
          .map((c, i) => ({ id: i, issuer_name: 'C=CN, O=Test Trust, CN=Test DV CA', name_value: c.name, not_before: day(c.from), not_after: day(c.to) })),
      );
    } finally {
      end();
    }
  }) as typeof fetch;
  return { fetcher, peak: () => peak };
}

beforeAll(async () => {
  await seedRegistry();
  const depts = [
    SiteSchema.parse({
      ...SITES[1]!,
      id: 'nn-fgw',
      name: '南宁市发改委',
      kind: 'department',
      parentId: 'nanning',
      domains: ['fgw.nanning.gov.cn'],
      idCode: '4501000011',
    }),
    SiteSchema.parse({
      ...SITES[1]!,
      id: 'nn-jyj',
      name: '南宁市教育局',
      kind: 'department',
      parentId: 'nanning',
      domains: ['jyj.nanning.gov.cn'],
      idCode: '4501000012',
    }),
  ];
  await env.DB.batch([
    ...depts.map((s) => env.DB.prepare(insertSql(TABLES.sites)).bind(...toRow(TABLES.sites, s))),
    ...depts.map((s) => env.DB.prepare(insertSql(TABLES.siteHosts)).bind(s.domains[0], s.id)),
  ]);
});

describe('probeDomains', () => {
  it('turns every answer and every failure into a status row, and the rules into the right alerts', async () => {
    const stub = stubs();
    const run = await probeDomains({ DB: env.DB, ...STUB_ENV }, [...Object.keys(HOSTS), 'not a host', 'www.example.com'], {
      fetch: stub.fetcher,
      timeoutMs: 300,
      now: () => NOW,
    });
    expect(run.storeError).toBeNull();
    expect(run.skipped.map((s) => s.host)).toEqual(['not a host', 'www.example.com']);
    const by = new Map(run.statuses.map((s) => [s.host, s]));
    expect(by.get('www.nanning.gov.cn')).toMatchObject({
      dnsStatus: 'NOERROR',
      dnsAnswers: [
        { type: 'CNAME', data: 'portal.nanning.gov.cn.', ttl: 300 },
        { type: 'A', data: '203.0.113.10', ttl: 300 },
      ],
      certNotAfter: `${day(200)}.000Z`,
      certIssuer: 'C=CN, O=Test Trust, CN=Test DV CA',
      certSource: 'ct',
    });
    expect(by.get('nanning.gov.cn')).toMatchObject({ dnsStatus: 'NXDOMAIN', dnsAnswers: [], certNotAfter: `${day(-1)}.000Z` });
    expect(by.get('fgw.nanning.gov.cn')).toMatchObject({ dnsStatus: 'ERROR', certNotAfter: `${day(5)}.000Z` });
    expect(by.get('fgw.nanning.gov.cn')!.dnsError).toContain('不是有效的 JSON');
    expect(by.get('www.gxzf.gov.cn')).toMatchObject({
      dnsStatus: 'ERROR',
      dnsError: 'DNS 查询超时（0.3 秒）',
      certError: '证书透明度查询：HTTP 502',
      certNotAfter: null,
    });
    expect(by.get('jyj.nanning.gov.cn')).toMatchObject({ dnsStatus: 'NOERROR', certError: '证书透明度查询超时（0.3 秒）' });

    // Stored, and read back through the schema into the 清查's alerts.
    const registry = await loadDomainRegistry(env.DB);
    expect(registry.statuses.map((s) => s.host).sort()).toEqual(Object.keys(HOSTS).sort());
    const alerts = registryProblems(registry.sites, registry.statuses, { now: NOW })
      .map((p) => `${p.host} ${p.rule} ${p.severity}`)
      .sort();
    expect(alerts).toEqual(
      [
        'nanning.gov.cn dns-failing error',
        'nanning.gov.cn cert-expired error',
        'fgw.nanning.gov.cn dns-unknown warning',
        'fgw.nanning.gov.cn cert-expiring-urgent urgent',
        'www.gxzf.gov.cn dns-unknown warning',
        'www.gxzf.gov.cn cert-unknown warning',
        'jyj.nanning.gov.cn dns-no-address error',
        'jyj.nanning.gov.cn cert-unknown warning',
      ].sort(),
    );
  });

  it('probes at most `concurrency` hosts at once and keeps to its timeout', async () => {
    const stub = stubs();
    const t0 = Date.now();
    const run = await probeDomains({ DB: env.DB, ...STUB_ENV }, Object.keys(HOSTS), {
      fetch: stub.fetcher,
      timeoutMs: 200,
      concurrency: 1,
      now: () => NOW,
      store: false,
    });
    expect(run.statuses).toHaveLength(5);
    // One host at a time: its two DNS questions and two CT searches, never another host's.
    expect(stub.peak()).toBeLessThanOrEqual(4);
    // Two stalled hosts one after the other: two timeouts, far from a hang.
    expect(Date.now() - t0).toBeLessThan(3000);
    let active = 0;
    let peak = 0;
    await inPool([...Array(20).keys()], 3, async () => {
      peak = Math.max(peak, ++active);
      await new Promise((r) => setTimeout(r, 2));
      active--;
    });
    expect(peak).toBe(3);
  });

  it('never throws: a bad configuration is in every row, a refused write in storeError', async () => {
    const run = await probeDomains({ DB: env.DB, DOH_URL: 'ftp://doh.example', CT_SEARCH_URL: 'http://ct.example' }, ['www.nanning.gov.cn'], {
      now: () => NOW,
    });
    expect(run.statuses[0]).toMatchObject({ dnsStatus: 'ERROR', certNotAfter: null });
    expect(run.statuses[0]!.dnsError).toContain('DOH_URL 须为 https 地址');
    expect(run.statuses[0]!.certError).toContain('CT_SEARCH_URL');
    const brokenDb = new Proxy(env.DB, {
      get: (t, k) =>
        k === 'batch' ? () => Promise.reject(new Error('D1_ERROR: database is locked')) : (Reflect.get(t, k) as (...a: unknown[]) => unknown).bind(t),
    });
    const refused = await probeDomains({ DB: brokenDb, ...STUB_ENV }, ['www.nanning.gov.cn'], { fetch: stubs().fetcher, now: () => NOW });
    expect(refused.statuses).toHaveLength(1);
    expect(refused.storeError).toContain('检查结果未能保存');
  });

  it('hands the schedule the hosts never checked first, then those checked longest ago', async () => {
    await env.DB.prepare("UPDATE domain_status SET checked_at = '2026-01-01T00:00:00.000Z' WHERE host = 'jyj.nanning.gov.cn'").run();
    await env.DB.prepare("DELETE FROM domain_status WHERE host = 'www.nanning.gov.cn'").run();
    expect(await hostsDue(env.DB, 2)).toEqual(['www.nanning.gov.cn', 'jyj.nanning.gov.cn']);
  });
});

describe('立即检查', () => {
  it("probes the site's hosts from the report page and records the check", async () => {
    await addAccount('probe-admin', 'probe-admin', 'Probe-test-2026', [{ role: 'site-admin', siteId: 'nanning' }]);
    const s = await login('probe-admin', 'Probe-test-2026');
    const post = (siteId: string) =>
      SELF.fetch('http://127.0.0.1:8787/admin/domains/check', {
        method: 'POST',
        redirect: 'manual',
        headers: { Cookie: s.cookie, Origin: 'http://127.0.0.1:8787', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrf: s.csrf, siteId }),
      });
    expect((await post('gxzf')).status).toBe(403);
    expect((await post('Not an id')).status).toBe(400);
    await env.DB.prepare('DELETE FROM domain_status').run();
    // No resolver is reachable from here: the rows say so, and the page answers.
    const res = await post('nn-fgw');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/domains?site=nn-fgw&checked=1');
    expect(
      await env.DB.prepare('SELECT host, dns_status FROM domain_status')
        .all()
        .then((r) => r.results),
    ).toEqual([{ host: 'fgw.nanning.gov.cn', dns_status: expect.stringMatching(/^(ERROR|NOERROR|NXDOMAIN|SERVFAIL)$/) }]);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'domain.check' AND target = 'nn-fgw'").first('n')).toBe(1);
    const page = await (await SELF.fetch('http://127.0.0.1:8787/admin/domains?site=nn-fgw&checked=1', { headers: { Cookie: s.cookie } })).text();
    expect(page).toContain('检查完成：1 个域名');
  });
});

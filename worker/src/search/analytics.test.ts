/** Search analytics (counts per day, no personal data), click-through redirects and suggestions, in workerd with D1. */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { D1Backend } from '@ywtc/search';
import app from '../index.ts';
import { dayOf, looksPersonal } from './analytics.ts';
import { seedRegistry } from '../testing/sites.ts';
import { searchDoc as doc } from '../testing/search-docs.ts';

/** A request through the Worker, returning only once its after-response work (the log writes) is done. */
async function call(url: string, workerEnv: typeof env = env): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(url), workerEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
const search = (q: string, extra = '') => call(`http://127.0.0.1:8787/search?q=${encodeURIComponent(q)}${extra}`);

interface LogRow {
  day: string;
  query: string;
  searches: number;
  zero_results: number;
  clicks: number;
}
const logRows = async () => (await env.DB.prepare('SELECT * FROM search_query_days ORDER BY query').all<LogRow>()).results;
const logOf = async (query: string) => (await logRows()).find((r) => r.query === query);

beforeAll(async () => {
  await seedRegistry();
  await new D1Backend(env.DB).index([
    doc('p1', '住房公积金提取办法', 'gxzf'),
    doc('p2', '南宁市住房公积金缴存通知', 'nanning'),
    doc('p3', '失业保险金申领办法', 'gxzf'),
  ]);
});

describe('search log', () => {
  it('counts searches per day under the normalized query, once per search (not per page, not the JSON API)', async () => {
    for (const q of ['公积金', '公积金', ' 公积金！']) expect((await search(q)).status).toBe(200);
    expect((await search('公积金', '&page=2')).status).toBe(200);
    expect((await call(`http://127.0.0.1:8787/search.json?q=${encodeURIComponent('公积金')}`)).status).toBe(200);
    expect((await call(`http://www.nanning.gov.cn/search?q=${encodeURIComponent('公积金')}`)).status).toBe(200);
    expect(await logOf('公积金')).toEqual({ day: dayOf(Date.now()), query: '公积金', searches: 4, zero_results: 0, clicks: 0 });
  });

  it('stores counts only: the table has no column for who searched or when exactly', async () => {
    const { results } = await env.DB.prepare('PRAGMA table_info(search_query_days)').all<{ name: string }>();
    expect(results.map((c) => c.name).sort()).toEqual(['clicks', 'day', 'query', 'searches', 'zero_results']);
    expect((await logRows()).every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.day))).toBe(true);
  });

  it('does not log queries that look like an ID-card, phone or bank number or an e-mail address, but still searches them', async () => {
    const before = (await logRows()).length;
    for (const q of [
      '450102199001011234',
      '身份证 45010219900101123X 公积金',
      '13800138000',
      '手机 138 0013 8000',
      '6222 0212 3456 7890 123',
      'zhang.san@example.com 社保',
    ]) {
      const res = await search(q);
      expect(res.status, q).toBe(200);
    }
    expect((await logRows()).length).toBe(before);
    expect((await logRows()).filter((r) => /\d{11}|example/.test(r.query.replace(/\s/g, '')))).toEqual([]);
    // A 发文字号 or a year is not personal.
    expect(looksPersonal('桂政办发〔2021〕120号')).toBe(false);
    expect(looksPersonal('2023年 养老保险')).toBe(false);
  });

  it('does not log empty queries', async () => {
    await search('');
    await search('！！');
    expect((await logRows()).some((r) => r.query === '')).toBe(false);
  });

  it('counts zero-result searches', async () => {
    await search('火星移民补贴');
    await search('火星移民补贴');
    expect(await logOf('火星移民补贴')).toMatchObject({ searches: 2, zero_results: 2 });
    expect(await logOf('公积金')).toMatchObject({ zero_results: 0 });
  });

  it('answers the search even when the log cannot be written', async () => {
    const broken = new Proxy(env.DB, {
      get(target, prop) {
        if (prop === 'prepare')
          return (sql: string) => {
            if (sql.includes('search_query_days')) throw new Error('log table unavailable');
            return target.prepare(sql);
          };
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const res = await call(`http://127.0.0.1:8787/search?q=${encodeURIComponent('失业保险')}`, { ...env, DB: broken });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('失业保险金申领办法');
    expect(await logOf('失业保险')).toBeUndefined();
  });
});

describe('click-through', () => {
  it('links every result through /search/click, which counts the click and redirects', async () => {
    const page = await (await search('公积金')).text();
    const href = /href="(\/search\/click\?[^"]*d=p1[^"]*)"/.exec(page)?.[1];
    expect(href).toBeDefined();
    const url = href!.replaceAll('&amp;', '&');
    expect(new URL(url, 'http://x').searchParams.get('to')).toBe('/_site/www.gxzf.gov.cn/zcwj/p1.html');
    const before = (await logOf('公积金'))!.clicks;
    const res = await call(`http://127.0.0.1:8787${url}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/_site/www.gxzf.gov.cn/zcwj/p1.html');
    expect((await logOf('公积金'))!.clicks).toBe(before + 1);
  });

  it('follows paths on the same host and registered site hosts, on every kind of host', async () => {
    const cases: [string, string, string][] = [
      ['http://www.nanning.gov.cn', '/zcwj/p2.html', '/zcwj/p2.html'],
      ['http://127.0.0.1:8787/_site/www.nanning.gov.cn', '/_site/www.nanning.gov.cn/zcwj/p2.html', '/_site/www.nanning.gov.cn/zcwj/p2.html'],
      ['http://www.nanning.gov.cn', 'https://www.gxzf.gov.cn/zcwj/p1.html', 'https://www.gxzf.gov.cn/zcwj/p1.html'],
      ['http://www.nanning.gov.cn.localhost:8787', 'http://www.gxzf.gov.cn.localhost:8787/zcwj/p1.html', 'http://www.gxzf.gov.cn.localhost:8787/zcwj/p1.html'],
    ];
    for (const [origin, to, location] of cases) {
      const res = await call(`${origin}/search/click?q=${encodeURIComponent('公积金')}&d=p1&to=${encodeURIComponent(to)}`);
      expect(res.status, `${origin} → ${to}`).toBe(302);
      expect(res.headers.get('location')).toBe(location);
    }
  });

  it('refuses any other target with a 400 naming the field, and counts nothing', async () => {
    const before = (await logOf('公积金'))!.clicks;
    for (const to of [
      'https://evil.com/',
      '//evil.com',
      '/\\evil.com',
      '/.//evil.com',
      'javascript:alert(1)',
      'data:text/html,x',
      'https://www.gxzf.gov.cn@evil.com/',
      'https://www.gxzf.gov.cn.evil.com/',
      'http://evil.localhost/',
      'zcwj/p1.html',
      '/%0d%0a//evil.com'.replace('%0d%0a', '\r\n'),
      'ftp://www.gxzf.gov.cn/',
    ]) {
      const res = await call(`http://127.0.0.1:8787/search/click?q=${encodeURIComponent('公积金')}&d=p1&to=${encodeURIComponent(to)}`);
      expect(res.status, to).toBe(400);
      expect(res.headers.get('location'), to).toBeNull();
      expect(await res.text(), to).toContain('to');
    }
    const noDoc = await call(`http://127.0.0.1:8787/search/click?q=x&to=%2F`);
    expect(noDoc.status).toBe(400);
    expect(await noDoc.text()).toContain('（d）');
    expect((await logOf('公积金'))!.clicks).toBe(before);
  });
});

describe('suggestions', () => {
  it('suggests frequent queries that found something, and synonym terms, as the user types', async () => {
    await search('公积金贷款'); // searched once: not suggested to others
    await env.DB.prepare("INSERT INTO search_synonyms (terms) VALUES ('公积金|住房公积金')").run();
    const res = await call(`http://www.nanning.gov.cn/search/suggest.json?q=${encodeURIComponent('公积')}`);
    expect(res.status).toBe(200);
    const { suggestions } = (await res.json()) as { suggestions: string[] };
    expect(suggestions[0]).toBe('公积金');
    expect(suggestions).toContain('住房公积金');
    expect(suggestions).not.toContain('公积金贷款');
    expect(suggestions.length).toBeLessThanOrEqual(8);
    for (let i = 0; i < 3; i++) await search('火星移民补贴');
    const zero = (await (await call(`http://127.0.0.1:8787/search/suggest.json?q=${encodeURIComponent('火星')}`)).json()) as { suggestions: string[] };
    expect(zero.suggestions).toEqual([]); // searched often, but never found anything
    expect((await call(`http://127.0.0.1:8787/search/suggest.json?q=${'政'.repeat(101)}`)).status).toBe(400);
  });

  it('puts a datalist and its script on the search page, which works without them', async () => {
    const page = await (await search('公积金')).text();
    expect(page).toContain('<datalist id="q-suggest" data-src="/search/suggest.json">');
    expect(page).toContain('list="q-suggest"');
    expect(page).toContain('<form method="get"');
  });
});

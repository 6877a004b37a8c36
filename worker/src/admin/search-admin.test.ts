/** /admin/search (analytics, best bets, synonyms) and best bets in the results, in workerd with D1. */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { D1Backend, SearchDocumentSchema, type SearchDocument, type SearchResult } from '@ywtc/search';
import app from '../index.ts';
import { GXZF_FILES, publish, seedRegistry } from '../testing/sites.ts';

const doc = (id: string, title: string, siteId: string): SearchDocument => SearchDocumentSchema.parse({
  id, title, body: `${title}的正文。`, docNumber: null, keywords: [], summary: `${title}摘要`, kind: 'policy', issuer: '国务院', validity: '有效',
  publishedAt: '2021-06-01T00:00:00+08:00', placements: [{ siteId, path: `/zcwj/${id}.html` }],
});

const ADMIN = 'http://127.0.0.1:8787/admin/search';
const auth = { Authorization: `Basic ${btoa(`admin:${'t'.repeat(48)}`)}` };

async function call(url: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(url, init), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
/** A form post as a browser sends it from the admin page itself. */
const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = { ...auth, Origin: 'http://127.0.0.1:8787' }) =>
  call(`${ADMIN}${path}`, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString(), redirect: 'manual' });
const searchJson = async (query: string, host = 'http://127.0.0.1:8787') =>
  (await (await call(`${host}/search.json?${query}`)).json()) as SearchResult;
const ids = (r: SearchResult) => r.hits.map((h) => h.id);

beforeAll(async () => {
  await seedRegistry();
  await publish('nanning', { '/index.html': GXZF_FILES['/index.html'], '/404.html': GXZF_FILES['/404.html'] }, 'v1');
  await new D1Backend(env.DB).index([
    doc('g1', '住房公积金提取办法', 'gxzf'), doc('g2', '南宁市住房公积金缴存通知', 'nanning'), doc('g3', '住房公积金贷款政策解读', 'gxzf'),
    doc('u1', '失业保险金申领办法', 'gxzf'),
  ]);
});

describe('admin page access', () => {
  it('asks for credentials, and shows the page with them', async () => {
    const anon = await call(ADMIN);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toContain('Basic');
    const wrong = await call(ADMIN, { headers: { Authorization: `Basic ${btoa('admin:nope')}` } });
    expect(wrong.status).toBe(401);
    const res = await call(ADMIN, { headers: auth });
    expect(res.status).toBe(200);
    const body = await res.text();
    for (const part of ['<h1>搜索管理</h1>', '<svg role="img"', '<caption>近 30 天每日搜索次数', '热门搜索词', '无结果搜索词', '<label>文档 ID', '同义词词典']) expect(body).toContain(part);
    expect(body).not.toContain('<script');
  });

  it('is not on a site\'s public host', async () => {
    const res = await call('http://www.nanning.gov.cn/admin/search', { headers: auth });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('搜索管理');
    expect((await call('http://www.nanning.gov.cn/admin/search/pins', { method: 'POST', headers: auth })).status).toBe(405);
  });

  it('refuses a cross-origin post and one without credentials', async () => {
    expect((await post('/pins', { q: '公积金', documentId: 'g2' }, { ...auth, Origin: 'https://evil.example' })).status).toBe(403);
    expect((await post('/pins', { q: '公积金', documentId: 'g2' }, { Origin: 'http://127.0.0.1:8787' })).status).toBe(401);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM search_pins').first('n')).toBe(0);
  });
});

describe('best bets', () => {
  it('rejects a bad pin with a 400 naming the field', async () => {
    for (const [fields, field] of [
      [{ q: '公积金', documentId: 'no-such-doc' }, 'documentId'],
      [{ q: '', documentId: 'g2' }, 'q'],
      [{ q: '！？ ', documentId: 'g2' }, 'q'],
      [{ q: '公积金' }, 'documentId'],
      [{ q: '政'.repeat(101), documentId: 'g2' }, 'q'],
    ] as const) {
      const res = await post('/pins', fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(await res.text()).toContain(`（${field}）`);
    }
    expect(await env.DB.prepare('SELECT count(*) AS n FROM search_pins').first('n')).toBe(0);
  });

  it('puts pinned documents first on page 1 only, marked, without duplicates', async () => {
    const plain = await searchJson('q=公积金');
    expect(plain.total).toBe(3);
    expect(plain.hits.every((h) => h.match !== 'pinned')).toBe(true);
    const res = await post('/pins', { q: ' 公积金 ', documentId: 'g2' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/search?done=pin-added#pins');
    expect((await post('/pins', { q: '公积金', documentId: 'u1' })).status).toBe(303);

    const first = await searchJson('q=公积金&size=2');
    expect(ids(first).slice(0, 2)).toEqual(['g2', 'u1']);
    expect(first.hits.slice(0, 2).map((h) => h.match)).toEqual(['pinned', 'pinned']);
    expect(new Set(ids(first)).size).toBe(first.hits.length);
    // u1 does not match 公积金: one more result; g2 was found on page 1, so already counted.
    expect((await searchJson('q=公积金')).total).toBe(plain.total + 1);

    const all: string[] = [...ids(first)];
    for (let page = 2; page <= Math.ceil(plain.total / 2); page++) {
      const next = await searchJson(`q=公积金&size=2&page=${page}`);
      expect(next.hits.some((h) => h.match === 'pinned')).toBe(false);
      all.push(...ids(next));
    }
    expect(all.filter((id) => id === 'g2')).toHaveLength(1);
    expect(new Set(all)).toEqual(new Set(['g1', 'g2', 'g3', 'u1']));

    // The HTML page marks them; a site's own search shows only the pins that site shows.
    const html = await (await call(`http://127.0.0.1:8787/search?q=${encodeURIComponent('公积金')}`)).text();
    expect(html).toContain('<span class="badge pin">推荐</span>');
    const nanning = await searchJson('q=公积金', 'http://www.nanning.gov.cn');
    expect(ids(nanning)).toEqual(['g2']);
    expect(nanning.hits[0]!.match).toBe('pinned');
    // Filters apply to pins too.
    expect(ids(await searchJson('q=公积金&kind=interpretation'))).not.toContain('g2');
  });

  it('pins a document of the content store with its placements\' facts, so the filters apply to it', async () => {
    await env.DB.batch([
      env.DB.prepare("INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES ('nanning/tzgg', 'nanning', NULL, 'tzgg', '通知公告', 'notice', '通知公告栏目', '[]', 0)"),
      env.DB.prepare(`INSERT INTO documents (id, kind, title, body_html, summary, keywords, author, source, published_at, attachments, owner_site_id, is_demo, subject_words)
        VALUES ('n-2024-1', 'notice', '南宁市办事指南汇编', '<p>正文</p>', '汇编摘要', '[]', '办公室', '南宁市人民政府', '2024-03-01T09:00:00+08:00', '[]', 'nanning', 1, '[]')`),
      env.DB.prepare("INSERT INTO placements (document_id, site_id, column_id, pinned) VALUES ('n-2024-1', 'nanning', 'nanning/tzgg', 0)"),
    ]);
    expect((await post('/pins', { q: '办事指南', documentId: 'n-2024-1' })).status).toBe(303);
    const found = await searchJson('q=办事指南&level=city&region=4501&column=notice');
    expect(found.hits[0]).toMatchObject({ id: 'n-2024-1', match: 'pinned', title: '南宁市办事指南汇编', placements: [{ siteId: 'nanning', path: '/tzgg/n-2024-1.html' }] });
    for (const filter of ['level=county', 'region=4502', 'column=policy', 'year=2021']) expect((await searchJson(`q=办事指南&${filter}`)).total, filter).toBe(0);
    // 45 is the whole region: a Nanning placement is in it.
    expect((await searchJson('q=办事指南&region=45')).hits[0]).toMatchObject({ id: 'n-2024-1', match: 'pinned' });
    expect((await post('/pins/delete', { q: '办事指南', documentId: 'n-2024-1' })).status).toBe(303);
  });

  it('lists pins on the admin page and removes them', async () => {
    const page = await (await call(ADMIN, { headers: auth })).text();
    expect(page).toContain('南宁市住房公积金缴存通知');
    expect((await post('/pins', { q: '公积金', documentId: 'g2' })).status).toBe(400); // already pinned
    expect((await post('/pins/delete', { q: '公积金', documentId: 'g2' })).status).toBe(303);
    expect((await post('/pins/delete', { q: '公积金', documentId: 'u1' })).status).toBe(303);
    const after = await searchJson('q=公积金');
    expect(after.hits.some((h) => h.match === 'pinned')).toBe(false);
    expect(ids(after)).not.toContain('u1');
  });
});

describe('synonyms', () => {
  it('an added group changes search results at once, and removing it undoes that', async () => {
    expect((await searchJson('q=两险')).total).toBe(0);
    const bad = await post('/synonyms', { terms: '两险' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('（terms）');
    expect((await post('/synonyms', { terms: '两险|失业保险' })).status).toBe(303);
    expect((await post('/synonyms', { terms: '失业保险，两险' })).status).toBe(400); // the same group again
    expect(ids(await searchJson('q=两险'))).toEqual(['u1']);
    const page = await (await call(ADMIN, { headers: auth })).text();
    expect(page).toContain('两险、失业保险');
    expect((await post('/synonyms/delete', { terms: '两险|失业保险' })).status).toBe(303);
    expect((await searchJson('q=两险')).total).toBe(0);
  });
});

describe('analytics on the admin page', () => {
  it('shows hot and zero-result queries with click-through', async () => {
    for (const q of ['公积金', '公积金', '火星移民补贴']) await call(`http://127.0.0.1:8787/search?q=${encodeURIComponent(q)}`);
    await call(`http://127.0.0.1:8787/search/click?q=${encodeURIComponent('公积金')}&d=g1&to=%2F`);
    const page = await (await call(ADMIN, { headers: auth })).text();
    const hot = page.slice(page.indexOf('<table id="hot"'), page.indexOf('</table>', page.indexOf('<table id="hot"')));
    expect(hot).toMatch(/<th scope="row">公积金<\/th><td>[0-9]+<\/td><td>1<\/td>/);
    const zero = page.slice(page.indexOf('<table id="zero"'));
    expect(zero).toContain('<th scope="row">火星移民补贴</th><td>1</td>');
  });
});

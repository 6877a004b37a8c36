/** /admin/search (analytics, best bets, synonyms) as CMS work, and best bets in the results, in workerd with D1. */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { D1Backend, type SearchResult } from '@ywtc/search';
import app from '../index.ts';
import { GXZF_FILES, publish, seedRegistry } from '../testing/sites.ts';
import { searchDoc as doc } from '../testing/search-docs.ts';
import { addAccount, login, type Session } from '../testing/accounts.ts';

const ADMIN = 'http://127.0.0.1:8787/admin/search';
let admin: Session;
let siteAdmin: Session;
let editor: Session;
/** The headers of a browser signed in as `s` (the CSRF token goes in the form, as the page's forms send it). */
const as = (s: Session) => ({ Cookie: s.cookie });

async function call(url: string, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(url, init), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
/** A form post as a browser sends it from the admin page itself: the session cookie, and the page's CSRF token in the form. */
const post = (path: string, fields: Record<string, string>, s: Session | null = admin, headers: Record<string, string> = { Origin: 'http://127.0.0.1:8787' }) =>
  call(`${ADMIN}${path}`, {
    method: 'POST',
    headers: { ...headers, ...(s ? as(s) : {}), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...(s ? { csrf: s.csrf } : {}), ...fields }).toString(),
    redirect: 'manual',
  });
const auditActions = async () =>
  (await env.DB.prepare("SELECT action FROM audit_log WHERE action LIKE 'search.%' ORDER BY seq").all<{ action: string }>()).results.map((r) => r.action);
const searchJson = async (query: string, host = 'http://127.0.0.1:8787') => (await (await call(`${host}/search.json?${query}`)).json()) as SearchResult;
const ids = (r: SearchResult) => r.hits.map((h) => h.id);

beforeAll(async () => {
  await seedRegistry();
  await publish('nanning', { '/index.html': GXZF_FILES['/index.html'], '/404.html': GXZF_FILES['/404.html'] }, 'v1');
  await new D1Backend(env.DB).index([
    doc('g1', '住房公积金提取办法', 'gxzf'),
    doc('g2', '南宁市住房公积金缴存通知', 'nanning'),
    doc('g3', '住房公积金贷款政策解读', 'gxzf'),
    doc('u1', '失业保险金申领办法', 'gxzf'),
  ]);
  await addAccount('sa-admin', 'search-admin', 'Search-admin-2026', [{ role: 'platform-admin', siteId: null }]);
  await addAccount('sa-site', 'search-site', 'Search-site-2026', [{ role: 'site-admin', siteId: 'nanning' }]);
  await addAccount('sa-editor', 'search-editor', 'Search-editor-2026', [{ role: 'editor', siteId: 'nanning' }]);
  [admin, siteAdmin, editor] = await Promise.all([
    login('search-admin', 'Search-admin-2026'),
    login('search-site', 'Search-site-2026'),
    login('search-editor', 'Search-editor-2026'),
  ]);
});

describe('admin page access', () => {
  it('sends a visitor without a session to the login form, and shows the page to a platform admin', async () => {
    const anon = await call(ADMIN, { redirect: 'manual' });
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fsearch');
    const res = await call(ADMIN, { headers: as(admin) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const body = await res.text();
    for (const part of [
      '<h1>搜索管理</h1>',
      '<svg role="img"',
      '<caption>近 30 天每日搜索次数',
      '热门搜索词',
      '无结果搜索词',
      '<label>文档 ID',
      '同义词词典',
      'href="/admin/search" aria-current="page"',
    ])
      expect(body).toContain(part);
    expect(body).not.toMatch(/<script(?! src="\/admin\/assets\/)/);
    expect(body).not.toContain(' style=');
  });

  it('lets a site admin read the log but not change best bets or synonyms; an editor sees neither', async () => {
    const page = await call(ADMIN, { headers: as(siteAdmin) });
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('热门搜索词');
    expect(body).not.toContain('action="/admin/search/pins"');
    expect(body).toContain('只有平台管理员可以修改');
    expect((await post('/pins', { q: '公积金', documentId: 'g2' }, siteAdmin)).status).toBe(403);
    expect((await post('/synonyms', { terms: '两险|失业保险' }, siteAdmin)).status).toBe(403);
    expect((await call(ADMIN, { headers: as(editor) })).status).toBe(403);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM search_pins').first('n')).toBe(0);
    expect(await auditActions()).toEqual([]);
  });

  it("is not on a site's public host", async () => {
    const res = await call('http://www.nanning.gov.cn/admin/search', { headers: as(admin) });
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('搜索管理');
    expect((await call('http://www.nanning.gov.cn/admin/search/pins', { method: 'POST', headers: as(admin) })).status).toBe(405);
  });

  it('refuses a cross-origin post, one without the CSRF token, and one without a session', async () => {
    expect((await post('/pins', { q: '公积金', documentId: 'g2' }, admin, { Origin: 'https://evil.example' })).status).toBe(403);
    expect(
      (
        await call(`${ADMIN}/pins`, {
          method: 'POST',
          headers: { ...as(admin), 'Content-Type': 'application/x-www-form-urlencoded' },
          body: 'q=公积金&documentId=g2',
        })
      ).status,
    ).toBe(403);
    const anon = await post('/pins', { q: '公积金', documentId: 'g2' }, null);
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toMatch(/^\/admin\/login/);
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
    // Each change is in the audit log, by whom and what.
    expect(await auditActions()).toEqual(['search.pin-add', 'search.pin-add']);
    const entry = await env.DB.prepare("SELECT account_id, target FROM audit_log WHERE action = 'search.pin-add' ORDER BY seq LIMIT 1").first<{
      account_id: string;
      target: string;
    }>();
    expect(entry).toEqual({ account_id: 'sa-admin', target: '公积金 → g2' });

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

  it("pins a document of the content store with its placements' facts, so the filters apply to it", async () => {
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES ('nanning/tzgg', 'nanning', NULL, 'tzgg', '通知公告', 'notice', '通知公告栏目', '[]', 0)",
      ),
      env.DB
        .prepare(`INSERT INTO documents (id, kind, title, body_html, summary, keywords, author, source, published_at, attachments, owner_site_id, is_demo, subject_words)
        VALUES ('n-2024-1', 'notice', '南宁市办事指南汇编', '<p>正文</p>', '汇编摘要', '[]', '办公室', '南宁市人民政府', '2024-03-01T09:00:00+08:00', '[]', 'nanning', 1, '[]')`),
      env.DB.prepare("INSERT INTO placements (document_id, site_id, column_id, pinned) VALUES ('n-2024-1', 'nanning', 'nanning/tzgg', 0)"),
    ]);
    expect((await post('/pins', { q: '办事指南', documentId: 'n-2024-1' })).status).toBe(303);
    const found = await searchJson('q=办事指南&level=city&region=4501&column=notice');
    expect(found.hits[0]).toMatchObject({
      id: 'n-2024-1',
      match: 'pinned',
      title: '南宁市办事指南汇编',
      placements: [{ siteId: 'nanning', path: '/tzgg/n-2024-1.html' }],
    });
    for (const filter of ['level=county', 'region=4502', 'column=policy', 'year=2021'])
      expect((await searchJson(`q=办事指南&${filter}`)).total, filter).toBe(0);
    // 45 is the whole region: a Nanning placement is in it.
    expect((await searchJson('q=办事指南&region=45')).hits[0]).toMatchObject({ id: 'n-2024-1', match: 'pinned' });
    expect((await post('/pins/delete', { q: '办事指南', documentId: 'n-2024-1' })).status).toBe(303);
  });

  it('lists pins on the admin page and removes them', async () => {
    const page = await (await call(ADMIN, { headers: as(admin) })).text();
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
    const page = await (await call(ADMIN, { headers: as(admin) })).text();
    expect(page).toContain('两险、失业保险');
    expect((await post('/synonyms/delete', { terms: '两险|失业保险' })).status).toBe(303);
    expect((await searchJson('q=两险')).total).toBe(0);
    expect((await auditActions()).filter((a) => a.startsWith('search.synonyms'))).toEqual(['search.synonyms-add', 'search.synonyms-remove']);
    // Over the D1 backend the dictionary is served from D1 itself: nothing is left owed in the queue.
    expect(await env.DB.prepare('SELECT count(*) AS n FROM search_queue').first('n')).toBe(0);
  });
});

describe('analytics on the admin page', () => {
  it('shows hot and zero-result queries with click-through', async () => {
    for (const q of ['公积金', '公积金', '火星移民补贴']) await call(`http://127.0.0.1:8787/search?q=${encodeURIComponent(q)}`);
    await call(`http://127.0.0.1:8787/search/click?q=${encodeURIComponent('公积金')}&d=g1&to=%2F`);
    const page = await (await call(ADMIN, { headers: as(admin) })).text();
    const hot = page.slice(page.indexOf('<table id="hot"'), page.indexOf('</table>', page.indexOf('<table id="hot"')));
    expect(hot).toMatch(/<th scope="row">公积金<\/th><td>[0-9]+<\/td><td>1<\/td>/);
    const zero = page.slice(page.indexOf('<table id="zero"'));
    expect(zero).toContain('<th scope="row">火星移民补贴</th><td>1</td>');
  });
});

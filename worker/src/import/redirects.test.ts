/**
 * Old addresses of a migrated site in workerd: a mapped address (with its query, without it, with or without
 * index.html) answered by a 301 to the document's page on the site's primary domain, a column's old list page to the
 * new list, an unknown or withdrawn address by the 已迁移 404 page and a counted import_unmapped row, nothing at all
 * while the site is still being switched over, and hosts of the registry (or of no one) untouched. Then the report of
 * unmapped addresses: each staff member sees the rows of their own sites, filtered by site, and the CSV.
 */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { SiteSchema, TABLES, insertSql, toRow } from '@ywtc/cms-schema';
import { SITES, seedRegistry } from '../testing/sites.ts';
import { testDocument } from '../testing/documents.ts';
import { addAccount, login, type Session } from '../testing/accounts.ts';
import { candidatePaths, forgetOldHosts, recordUnmapped, shouldRecord } from './redirects.ts';

const OLD = 'www.nnjjjc.gov.cn';
const ADMIN = 'http://127.0.0.1:8787';
const PASSWORD = 'Redirect-test-2026';

const site = (id: string, name: string, domain: string, idCode: string, parent = SITES[1]!) =>
  SiteSchema.parse({ ...parent, id, name, kind: 'discipline-commission', parentId: parent.id, domains: [domain], idCode, sortOrder: 7 });

const redirect = (host: string, path: string, siteId: string, documentId: string | null, targetPath: string | null, source: string) =>
  env.DB.prepare('INSERT INTO import_redirects (host, path, site_id, document_id, target_path, source_id) VALUES (?, ?, ?, ?, ?, ?)').bind(
    host,
    path,
    siteId,
    documentId,
    targetPath,
    source,
  );

const fetchOld = (path: string, host = OLD) => SELF.fetch(`http://${host}${path}`, { redirect: 'manual' });
const unmapped = (host: string, path: string) =>
  env.DB.prepare('SELECT reason, hits, source_id FROM import_unmapped WHERE host = ? AND path = ?')
    .bind(host, path)
    .first<{ reason: string; hits: number; source_id: string }>();
/** The row is written after the answer (waitUntil): wait for it. */
async function eventually<T>(read: () => Promise<T | null>): Promise<T | null> {
  for (let i = 0; i < 50; i++) {
    const v = await read();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  return null;
}

beforeAll(async () => {
  await seedRegistry();
  const sites = [site('nnjw', '南宁市纪委监委网站', 'jw.nanning.gov.cn', '4501000021'), site('gxrd', '广西人大网', 'rd.gxzf.gov.cn', '4500000022', SITES[0]!)];
  const doc = testDocument('jw-doc1', 'nnjw', '2025-05-01T02:00:00.000Z', { title: '南宁市纪委监委通报典型问题' });
  const gone = testDocument('jw-gone', 'nnjw', '2025-05-02T02:00:00.000Z');
  await env.DB.batch([
    ...sites.map((s) => env.DB.prepare(insertSql(TABLES.sites)).bind(...toRow(TABLES.sites, s))),
    ...sites.map((s) => env.DB.prepare(insertSql(TABLES.siteHosts)).bind(s.domains[0], s.id)),
    env.DB.prepare(
      "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES ('nnjw/gzdt', 'nnjw', NULL, 'gzdt', '工作动态', 'news', '工作动态', '[]', 0)",
    ),
    env.DB.prepare(insertSql(TABLES.documents)).bind(...toRow(TABLES.documents, doc)),
    env.DB.prepare(insertSql(TABLES.documents)).bind(...toRow(TABLES.documents, gone)),
    env.DB.prepare("INSERT INTO placements (document_id, site_id, column_id, pinned) VALUES ('jw-doc1', 'nnjw', 'nnjw/gzdt', 0)"),
    env.DB.prepare(
      "INSERT INTO import_sources (id, name, site_ids, hidden, key_hash, key_secret, created_at) VALUES ('nnjw-old', '南宁市纪委监委原网站', '[\"nnjw\"]', 1, NULL, NULL, '2026-01-01T00:00:00.000Z'), ('gxrd-old', '广西人大原网站', '[\"gxrd\"]', 1, NULL, NULL, '2026-01-01T00:00:00.000Z')",
    ),
    redirect(OLD, '/content.jsp?id=123', 'nnjw', 'jw-doc1', null, 'nnjw-old'),
    redirect(OLD, '/xwzx/b.html', 'nnjw', 'jw-doc1', null, 'nnjw-old'),
    redirect(OLD, '/gzdt/index.html', 'nnjw', null, '/gzdt/', 'nnjw-old'),
    redirect(OLD, '/old/gone.html', 'nnjw', 'jw-gone', null, 'nnjw-old'),
    redirect('www.gxrd.gov.cn', '/a.html', 'gxrd', null, '/', 'gxrd-old'),
    // The crawler's rows: a link it did not import, on each old site.
    env.DB.prepare(
      "INSERT INTO import_unmapped (host, path, source_id, reason, hits, last_seen) VALUES (?, '/zt/2019/', 'nnjw-old', '采集：页面不是信息页', 0, '2026-01-02T00:00:00.000Z'), ('www.gxrd.gov.cn', '/old.asp?id=7', 'gxrd-old', '采集：链接失效', 3, '2026-01-03T00:00:00.000Z')",
    ).bind(OLD),
  ]);
});

describe('the candidate paths of a request', () => {
  it('tries the address as asked, then with index.html added or dropped, with the query before without it', () => {
    expect(candidatePaths('/content.jsp', '?id=1')).toEqual(['/content.jsp?id=1', '/content.jsp']);
    expect(candidatePaths('/gzdt/', '')).toEqual(['/gzdt/', '/gzdt/index.html']);
    expect(candidatePaths('/gzdt/index.html', '?p=2')).toEqual(['/gzdt/index.html?p=2', '/gzdt/?p=2', '/gzdt/index.html', '/gzdt/']);
  });
  it('writes an unmapped address at most once per isolate-minute', () => {
    const t = Date.UTC(2026, 0, 1, 0, 0, 30);
    expect(shouldRecord('h.gov.cn', '/x', t)).toBe(true);
    expect(shouldRecord('h.gov.cn', '/x', t + 20_000)).toBe(false);
    expect(shouldRecord('h.gov.cn', '/y', t + 20_000)).toBe(true);
    expect(shouldRecord('h.gov.cn', '/x', t + 40_000)).toBe(true);
  });
});

describe('a request to an old host of a migrated site', () => {
  it('is not redirected while the site is still being switched over (its pages are not live yet)', async () => {
    await env.DB.prepare(
      "INSERT INTO site_switchovers (site_id, state, started_at, updated_at) VALUES ('nnjw', 'inspected', '2026-01-01', '2026-01-01')",
    ).run();
    forgetOldHosts();
    const res = await fetchOld('/content.jsp?id=123');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('本平台上没有这个网站');
    await env.DB.prepare("UPDATE site_switchovers SET state = 'live' WHERE site_id = 'nnjw'").run();
    forgetOldHosts();
  });

  it('goes with a 301 to the document page on the primary domain, matched with its query', async () => {
    const res = await fetchOld('/content.jsp?id=123');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('http://jw.nanning.gov.cn/gzdt/jw-doc1.html');
    expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
    // Locally the .localhost suffix and the port stay.
    const local = await SELF.fetch(`http://${OLD}.localhost:8787/content.jsp?id=123`, { redirect: 'manual' });
    expect(local.headers.get('location')).toBe('http://jw.nanning.gov.cn.localhost:8787/gzdt/jw-doc1.html');
  });

  it('is matched without its query, and with or without index.html; a column page goes to the new list', async () => {
    expect((await fetchOld('/xwzx/b.html?from=weixin')).headers.get('location')).toBe('http://jw.nanning.gov.cn/gzdt/jw-doc1.html');
    for (const path of ['/gzdt/', '/gzdt/index.html', '/gzdt/index.html?page=2']) {
      const res = await fetchOld(path);
      expect([path, res.status, res.headers.get('location')]).toEqual([path, 301, 'http://jw.nanning.gov.cn/gzdt/']);
    }
    expect((await fetchOld('/a.html', 'www.gxrd.gov.cn')).headers.get('location')).toBe('http://rd.gxzf.gov.cn/');
  });

  it('that maps to nothing gets the 已迁移 page (404) linking to the new site, and is counted for the migration team', async () => {
    const res = await fetchOld('/content.jsp?id=999');
    expect(res.status).toBe(404);
    const page = await res.text();
    expect(page).toContain('该网页已迁移至新网站');
    expect(page).toContain('南宁市纪委监委网站');
    for (const href of ['http://jw.nanning.gov.cn/', 'http://jw.nanning.gov.cn/wzdt/', 'http://jw.nanning.gov.cn/search'])
      expect(page).toContain(`href="${href}"`);
    expect(await eventually(() => unmapped(OLD, '/content.jsp?id=999'))).toEqual({ reason: '旧网址未映射', hits: 1, source_id: 'nnjw-old' });
    // Again within the minute: the answer is the same, the row is not written again.
    expect((await fetchOld('/content.jsp?id=999')).status).toBe(404);
    await new Promise((r) => setTimeout(r, 100));
    expect((await unmapped(OLD, '/content.jsp?id=999'))?.hits).toBe(1);
    // The next minute's write counts on; the crawler's reason for a link is kept.
    await recordUnmapped(env.DB, { host: OLD, path: '/content.jsp?id=999', sourceId: 'nnjw-old', reason: '旧网址未映射' }, new Date());
    expect((await unmapped(OLD, '/content.jsp?id=999'))?.hits).toBe(2);
    expect((await fetchOld('/zt/2019/')).status).toBe(404);
    expect(await eventually(async () => ((await unmapped(OLD, '/zt/2019/'))?.hits === 1 ? unmapped(OLD, '/zt/2019/') : null))).toEqual({
      reason: '采集：页面不是信息页',
      hits: 1,
      source_id: 'nnjw-old',
    });
  });

  it('for a document taken off the site gets the same page, counted with its own reason', async () => {
    expect((await fetchOld('/old/gone.html')).status).toBe(404);
    expect((await eventually(() => unmapped(OLD, '/old/gone.html')))?.reason).toBe('旧网址对应的信息已撤下');
  });

  it('leaves the registry hosts and unknown hosts as they were', async () => {
    // The registry's own host with a path that exists only as an old address: the site answers, no redirect.
    const own = await SELF.fetch('http://jw.nanning.gov.cn/content.jsp?id=123', { redirect: 'manual' });
    expect(own.status).not.toBe(301);
    expect(own.headers.get('location')).toBeNull();
    const unknown = await fetchOld('/content.jsp?id=123', 'www.nowhere.gov.cn');
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('本平台上没有这个网站');
    await new Promise((r) => setTimeout(r, 100));
    expect(await env.DB.prepare("SELECT count(*) AS n FROM import_unmapped WHERE host IN ('www.nowhere.gov.cn', 'jw.nanning.gov.cn')").first()).toEqual({
      n: 0,
    });
  });
});

describe('the report of unmapped old addresses', () => {
  let platform: Session, cityAdmin: Session, jwEditor: Session, portalAdmin: Session;
  beforeAll(async () => {
    await addAccount('um-platform', 'um-platform', PASSWORD, [{ role: 'platform-admin', siteId: null }]);
    await addAccount('um-city', 'um-city', PASSWORD, [{ role: 'site-admin', siteId: 'nanning' }]);
    await addAccount('um-editor', 'um-editor', PASSWORD, [{ role: 'editor', siteId: 'nnjw' }]);
    await addAccount('um-gxzf-editor', 'um-gxzf-editor', PASSWORD, [{ role: 'editor', siteId: 'gxzf' }]);
    [platform, cityAdmin, jwEditor, portalAdmin] = (await Promise.all(
      ['um-platform', 'um-city', 'um-editor', 'um-gxzf-editor'].map((u) => login(u, PASSWORD)),
    )) as [Session, Session, Session, Session];
  });
  const get = (s: Session | null, path: string) => SELF.fetch(`${ADMIN}${path}`, { headers: s ? { Cookie: s.cookie } : {}, redirect: 'manual' });

  it('shows each staff member the rows of the sites they read, with counts, filtered by site', async () => {
    const all = await (await get(platform, '/admin/import/unmapped')).text();
    expect(all).toContain('/old.asp?id=7');
    expect(all).toContain('/content.jsp?id=999');
    expect(all).toMatch(/共 <strong>4<\/strong> 个地址，被访问 <strong>7<\/strong> 次/);
    const city = await (await get(cityAdmin, '/admin/import/unmapped')).text();
    expect(city).toContain('/content.jsp?id=999');
    expect(city).not.toContain('/old.asp?id=7');
    const editor = await (await get(jwEditor, '/admin/import/unmapped')).text();
    expect(editor).toContain('旧网址对应的信息已撤下');
    expect(editor).not.toContain('www.gxrd.gov.cn');
    // An editor of another site reads the report, but no row of these sites.
    const other = await (await get(portalAdmin, '/admin/import/unmapped')).text();
    expect(other).toContain('暂无未映射的旧网址');
    const filtered = await (await get(platform, '/admin/import/unmapped?site=gxrd')).text();
    expect(filtered).toContain('/old.asp?id=7');
    expect(filtered).not.toContain('/content.jsp?id=999');
  });

  it('refuses a malformed site (400, naming it), another unit’s site (403) and no session (login)', async () => {
    const bad = await get(platform, '/admin/import/unmapped?site=NOT%20A%20SITE');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('网站：');
    const foreign = await get(cityAdmin, '/admin/import/unmapped?site=gxrd');
    expect(foreign.status).toBe(403);
    expect(await foreign.text()).toContain('网站：没有该网站，或您无权查看');
    expect((await get(null, '/admin/import/unmapped')).status).toBe(303);
  });

  it('exports the viewer’s rows as CSV with a BOM and formulas defused', async () => {
    await env.DB.prepare(
      "INSERT INTO import_unmapped (host, path, source_id, reason, hits, last_seen) VALUES (?, '/=HYPERLINK(\"x\")', 'nnjw-old', '=1+1', 1, '2026-01-04T00:00:00.000Z')",
    )
      .bind(OLD)
      .run();
    const res = await get(cityAdmin, '/admin/import/unmapped.csv?site=nnjw');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const body = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true }).decode(await res.arrayBuffer());
    expect(body.startsWith('\uFEFF旧域名,路径,旧网址,原因,访问次数,最近访问,来源\r\n')).toBe(true);
    expect(body).toContain(`${OLD},/content.jsp?id=999,http://${OLD}/content.jsp?id=999,旧网址未映射,2,`);
    expect(body).toContain("'=1+1");
    expect(body).not.toContain('old.asp');
    expect((await get(cityAdmin, '/admin/import/unmapped.csv?site=gxrd')).status).toBe(403);
  });
});

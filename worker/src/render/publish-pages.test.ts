/**
 * Publish-to-live inside the Worker: a CMS publish re-renders the touched pages with the real Astro renderer
 * and commits them to R2 before it answers; a withdrawal takes the page off page, lists, feeds and search; a
 * 转载 updates the other site; a page update that fails stays queued and the Cron Trigger finishes it.
 */
import { SELF, createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentPath, publicationKeys as keys, type Pointer } from '@ywtc/cms-schema';
import worker from '../index.ts';
import { rebuildSite } from './whole-site.ts';
import { seedRegistry } from '../testing/sites.ts';
import { addAccount, login as loginAs, type Session } from '../testing/accounts.ts';

const ORIGIN = 'http://127.0.0.1:8787';
const ORIGIN_TEMPLATE = 'http://{domain}.localhost:8787';
const PASSWORD = 'Pages-test-2026';
const login = (username: string) => loginAs(username, PASSWORD);
const call = async (s: Session, method: string, path: string, body?: unknown) => {
  const res = await SELF.fetch(`${ORIGIN}/api/cms${path}`, {
    method,
    headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json', Origin: ORIGIN },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { pages?: { sites: number; pending: number } } };
};
const page = async (url: string) => {
  const res = await SELF.fetch(url, { headers: { 'Accept-Encoding': 'identity' } });
  return { status: res.status, text: await res.text() };
};
const NANNING = 'http://www.nanning.gov.cn';
const GXZF = 'http://www.gxzf.gov.cn';

let editor: Session, rv1: Session, rv2: Session, gxEditor: Session;
let serial = 0;
const draft = (kind: string, title: string, extra: Record<string, unknown> = {}) => ({
  kind,
  title,
  bodyHtml: `<p>${title}的正文，供测试。</p>`,
  source: '南宁市人民政府办公室',
  issuer: '南宁市人民政府办公室',
  docNumber: `南府规〔2026〕${++serial}号`,
  indexNumber: `450100001/2026-${String(serial).padStart(5, '0')}`,
  writtenOn: '2026-11-20',
  ...extra,
});

/** Editor writes, two reviewers approve, the editor publishes: the document id and the publish answer. */
async function publishThrough(column: string, kind: string, title: string, extra: Record<string, unknown> = {}) {
  const created = await call(editor, 'POST', '/documents', { siteId: 'nanning', columnId: column, draft: draft(kind, title, extra) });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect((await call(editor, 'POST', `/documents/${id}/submit`, {})).status).toBe(200);
  expect((await call(rv1, 'POST', `/documents/${id}/approve`, {})).status).toBe(200);
  expect((await call(rv2, 'POST', `/documents/${id}/approve`, {})).status).toBe(200);
  const published = await call(editor, 'POST', `/documents/${id}/publish`, {});
  expect(published.status).toBe(200);
  return { id, published: published.body };
}

beforeAll(async () => {
  await seedRegistry();
  const col = (id: string, site: string, slug: string, name: string, kind: string, order: number) =>
    env.DB.prepare(
      'INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?)',
    ).bind(id, site, slug, name, kind, name, '[]', order);
  await env.DB.batch([
    col('nanning/zcwj', 'nanning', 'zcwj', '政策文件', 'policy', 0),
    col('nanning/zcjd', 'nanning', 'zcjd', '政策解读', 'interpretation', 1),
    col('gxzf/zcwj', 'gxzf', 'zcwj', '政策文件', 'policy', 0),
  ]);
  await addAccount('ed', 'pg-editor', PASSWORD, [{ role: 'editor', siteId: 'nanning' }]);
  await addAccount('r1', 'pg-review1', PASSWORD, [{ role: 'reviewer', siteId: 'nanning', level: 1 }]);
  await addAccount('r2', 'pg-review2', PASSWORD, [{ role: 'reviewer', siteId: 'gxzf', level: 2 }]);
  await addAccount('gx', 'pg-gx-editor', PASSWORD, [{ role: 'editor', siteId: 'gxzf' }]);
  [editor, rv1, rv2, gxEditor] = (await Promise.all(['pg-editor', 'pg-review1', 'pg-review2', 'pg-gx-editor'].map(login))) as [
    Session,
    Session,
    Session,
    Session,
  ];
  // Both sites are live before anything is published through the CMS.
  expect(await rebuildSite(env, 'nanning', ORIGIN_TEMPLATE)).not.toBeNull();
  expect(await rebuildSite(env, 'gxzf', ORIGIN_TEMPLATE)).not.toBeNull();
}, 60_000);

describe('publish to live', () => {
  let policyId = '';
  const TITLE = '南宁市关于促进邕江两岸绿色发展的若干措施';

  it('a publish answers only once the page, its list, the home page, the library, feeds and search show it', async () => {
    // A copy of the list cached before (browser or CDN) is revalidated by ETag and replaced, never kept.
    const before = await SELF.fetch(NANNING + '/zcwj/');
    const oldEtag = before.headers.get('etag')!;
    expect(before.headers.get('cache-control')).toContain('no-cache');
    const { id, published } = await publishThrough('nanning/zcwj', 'policy', TITLE);
    const revalidated = await SELF.fetch(NANNING + '/zcwj/', { headers: { 'If-None-Match': oldEtag } });
    expect(revalidated.status).toBe(200);
    expect(revalidated.headers.get('etag')).not.toBe(oldEtag);
    policyId = id;
    expect(published.pages).toMatchObject({ sites: 1, pending: 0 });
    const docPage = await page(NANNING + documentPath('zcwj', id));
    expect(docPage.status).toBe(200);
    expect(docPage.text).toContain(`<h1`);
    expect(docPage.text).toContain(TITLE);
    for (const path of ['/zcwj/', '/', '/zcwjk/', '/rss.xml']) expect((await page(NANNING + path)).text, path).toContain(TITLE);
    expect((await page(NANNING + '/sitemap.xml')).text).toContain(`${id}.html`);
    const search = (await (await SELF.fetch(`${NANNING}/search.json?q=${encodeURIComponent('邕江两岸绿色发展')}`)).json()) as { hits: { id: string }[] };
    expect(search.hits.map((h) => h.id)).toContain(id);
    // Its share card is rendered in the Worker with the page, and the page points at it.
    const cardUrl = /<meta property="og:image" content="([^"]+)"/.exec(docPage.text)?.[1];
    expect(cardUrl).toBe(`http://www.nanning.gov.cn.localhost:8787/cards/${id}.png`);
    const card = await SELF.fetch(`${NANNING}/cards/${id}.png`);
    expect(card.headers.get('content-type')).toBe('image/png');
    const png = new Uint8Array(await card.arrayBuffer());
    expect(new DataView(png.buffer).getUint32(16)).toBe(1200);
    expect(new DataView(png.buffer).getUint32(20)).toBe(630);
    const pointer = (await (await env.PAGES.get(keys.pointer('nanning')))!.json()) as Pointer;
    expect(pointer.rendererHash).not.toContain('+nocards');
    const queued = await env.DB.prepare('SELECT count(*) AS n FROM render_queue').first<{ n: number }>();
    expect(queued!.n).toBe(0);
  });

  it('a 解读 goes live on its own page and on its policy page, which now links to it', async () => {
    const { id } = await publishThrough('nanning/zcjd', 'interpretation', '图解：邕江两岸绿色发展措施', {
      interprets: policyId,
      docNumber: null,
      indexNumber: null,
      writtenOn: null,
    });
    const policyPage = await page(NANNING + documentPath('zcwj', policyId));
    expect(policyPage.text).toContain('图解：邕江两岸绿色发展措施');
    expect(policyPage.text).toContain(`${id}.html`);
  });

  it("转载 shows it on the other site in that site's own template, and withdrawing takes it off both", async () => {
    const shared = await call(gxEditor, 'POST', `/documents/${policyId}/shares`, { siteId: 'gxzf', columnId: 'gxzf/zcwj' });
    expect(shared.status).toBe(201);
    expect(shared.body.pages).toMatchObject({ sites: 1, pending: 0 });
    const onGx = await page(GXZF + documentPath('zcwj', policyId));
    expect(onGx.status).toBe(200);
    expect(onGx.text).toContain('广西壮族自治区人民政府门户网站');
    expect((await page(GXZF + '/zcwj/')).text).toContain(TITLE);

    const withdrawn = await call(editor, 'POST', `/documents/${policyId}/withdraw`, { reason: '内容调整' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.pages).toMatchObject({ sites: 2, pending: 0 });
    for (const base of [NANNING, GXZF]) {
      expect((await page(base + documentPath('zcwj', policyId))).status, base).toBe(404);
      expect((await SELF.fetch(`${base}/cards/${policyId}.png`)).status, base + ' card').toBe(404);
      for (const path of ['/zcwj/', '/', '/rss.xml', '/sitemap.xml']) expect((await page(base + path)).text, base + path).not.toContain(TITLE);
    }
    const search = (await (await SELF.fetch(`${ORIGIN}/search.json?q=${encodeURIComponent('邕江两岸绿色发展的若干措施')}`)).json()) as {
      hits: { id: string }[];
    };
    expect(search.hits.map((h) => h.id)).not.toContain(policyId);
  });

  it('two publishes on one site at once both land (the loser of the pointer race builds on the winner)', async () => {
    const ids = await Promise.all(
      [0, 1].map(async (i) => {
        const created = await call(editor, 'POST', '/documents', {
          siteId: 'nanning',
          columnId: 'nanning/zcwj',
          draft: draft('policy', `同时发布的第${i + 1}份文件`),
        });
        expect(created.status).toBe(201);
        const id = created.body.id as string;
        expect((await call(editor, 'POST', `/documents/${id}/submit`, {})).status).toBe(200);
        expect((await call(rv1, 'POST', `/documents/${id}/approve`, {})).status).toBe(200);
        expect((await call(rv2, 'POST', `/documents/${id}/approve`, {})).status).toBe(200);
        return id;
      }),
    );
    const published = await Promise.all(ids.map((id) => call(editor, 'POST', `/documents/${id}/publish`, {})));
    for (const r of published) {
      expect(r.status).toBe(200);
      // Both answered only once their pages were live: nothing was left owed to the cron.
      expect(r.body).toMatchObject({ state: 'published', pages: { pending: 0 } });
    }
    const list = (await page(NANNING + '/zcwj/')).text;
    for (let i = 0; i < 2; i++) expect(list).toContain(`同时发布的第${i + 1}份文件`);
    for (const id of ids) expect((await page(NANNING + documentPath('zcwj', id))).status).toBe(200);
  });

  it('a scheduled document goes live with its pages when the Cron Trigger releases it', async () => {
    const created = await call(editor, 'POST', '/documents', { siteId: 'nanning', columnId: 'nanning/zcwj', draft: draft('policy', '定时发布的政策文件') });
    const id = created.body.id as string;
    await call(editor, 'POST', `/documents/${id}/submit`, {});
    await call(rv1, 'POST', `/documents/${id}/approve`, {});
    await call(rv2, 'POST', `/documents/${id}/approve`, {});
    const at = new Date(Date.now() + 5 * 60_000);
    expect((await call(editor, 'POST', `/documents/${id}/schedule`, { at: at.toISOString() })).status).toBe(200);
    expect((await page(NANNING + documentPath('zcwj', id))).status).toBe(404);
    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ scheduledTime: new Date(at.getTime() + 60_000), cron: '* * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect((await page(NANNING + documentPath('zcwj', id))).text).toContain('定时发布的政策文件');
    expect((await page(NANNING + '/zcwj/')).text).toContain('定时发布的政策文件');
  });

  it('blocks submission on links to pages of the cluster that do not exist (and only those)', async () => {
    const body = [
      '<p><a href="http://www.nanning.gov.cn/zcwj/">政策文件栏目</a>（存在）</p>',
      '<p><a href="https://www.gxzf.gov.cn/zcwj">自治区政策文件</a>（存在，不带斜杠）</p>',
      '<p><a href="http://www.nanning.gov.cn/zcwj/no-such-page.html">不存在的页面</a></p>',
      '<p><a href="/nowhere/">站内不存在的栏目</a></p>',
      `<p><a href="/attachments/${'0'.repeat(64)}.pdf">不存在的附件</a></p>`,
      '<p><a href="https://www.gov.cn/zhengce/">中国政府网</a>（外站，不检查）</p>',
    ].join('');
    const created = await call(editor, 'POST', '/documents', {
      siteId: 'nanning',
      columnId: 'nanning/zcwj',
      draft: draft('policy', '含有链接的通知', { bodyHtml: body }),
    });
    const id = created.body.id as string;
    const report = (await call(editor, 'GET', `/documents/${id}/checks`)).body as { errors: { code: string; excerpt: string }[] };
    expect(report.errors.filter((e) => e.code === 'broken-link').map((e) => e.excerpt)).toEqual([
      'http://www.nanning.gov.cn/zcwj/no-such-page.html',
      '/nowhere/',
      `/attachments/${'0'.repeat(64)}.pdf`,
    ]);
    expect((await call(editor, 'POST', `/documents/${id}/submit`, {})).status).toBe(400);
  });

  it('a page update that fails stays queued, the change itself stands, and the Cron Trigger finishes it', async () => {
    // Break the live version: its manifest is gone, so the publish cannot update the site.
    const pointer = (await (await env.PAGES.get(keys.pointer('nanning')))!.json()) as Pointer;
    const manifest = await (await env.PAGES.get(keys.manifest('nanning', pointer.version)))!.text();
    await env.PAGES.delete(keys.manifest('nanning', pointer.version));
    const { id, published } = await publishThrough('nanning/zcwj', 'policy', '暂时未能更新页面的文件');
    expect(published.state).toBe('published');
    expect(published.pages).toMatchObject({ sites: 0, pending: 1 });
    const task = await env.DB.prepare('SELECT attempts, last_error FROM render_queue WHERE document_id = ?')
      .bind(id)
      .first<{ attempts: number; last_error: string }>();
    expect(task).toMatchObject({ attempts: 1 });
    expect(task!.last_error).toContain('manifest');
    const editorPage = async () => (await SELF.fetch(`${ORIGIN}/admin/documents/${id}`, { headers: { Cookie: editor.cookie } })).text();
    expect(await editorPage()).toContain('data-testid="pages-pending"');

    await env.PAGES.put(keys.manifest('nanning', pointer.version), manifest);
    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ scheduledTime: new Date(), cron: '* * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect((await page(NANNING + documentPath('zcwj', id))).text).toContain('暂时未能更新页面的文件');
    expect((await env.DB.prepare('SELECT count(*) AS n FROM render_queue').first<{ n: number }>())!.n).toBe(0);
    expect(await editorPage()).not.toContain('pages-pending');
  });
});

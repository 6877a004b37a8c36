/**
 * The CMS editor screens in workerd with D1: the content list within the account's grants, the editor form
 * derived from DraftSchema, escaping, the review queue by level, revision diffs, and the page guard and CSP.
 */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { DraftSchema } from '@ywtc/cms-schema';
import { seedRegistry } from '../testing/sites.ts';
import { addAccount, login as loginAs, type Session, type TestGrant } from '../testing/accounts.ts';

const ORIGIN = 'http://127.0.0.1:8787';
const PASSWORD = 'Editor-pages-2026';
const XSS = '<img src=x onerror=alert(1)>';

const login = (id: string) => loginAs(`pages-${id}`, PASSWORD);
const call = (s: Session, method: string, path: string, body?: unknown) =>
  SELF.fetch(`${ORIGIN}/api/cms${path}`, {
    method,
    headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json', Origin: ORIGIN },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const get = (s: Session | null, path: string) => SELF.fetch(`${ORIGIN}${path}`, { headers: s ? { Cookie: s.cookie } : {}, redirect: 'manual' });
const page = async (s: Session, path: string) => {
  const res = await get(s, path);
  expect(res.status, path).toBe(200);
  return res.text();
};

let serial = 0;
const policy = (title: string, extra: Record<string, unknown> = {}) => ({
  kind: 'policy',
  title,
  bodyHtml: `<p>${title}的正文第一段。</p><p>第二段。</p>`,
  source: '南宁市人民政府办公室',
  issuer: '南宁市人民政府办公室',
  docNumber: `南府办〔2026〕${++serial}号`,
  indexNumber: `450100001/2026-${String(serial).padStart(5, '0')}`,
  writtenOn: '2026-01-20',
  ...extra,
});
async function create(s: Session, siteId: string, columnId: string, draft: Record<string, unknown>) {
  const res = await call(s, 'POST', '/documents', { siteId, columnId, draft });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { id: string; revision: number };
}

let editor: Session, otherEditor: Session, reviewer1: Session, reviewer2: Session;
let nanningDoc: string, xssDoc: string, reviewDoc: string;

beforeAll(async () => {
  await seedRegistry();
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES ('nanning/zcwj', 'nanning', NULL, 'zcwj', '政策文件', 'policy', '政策文件', '[]', 0)",
    ),
    env.DB.prepare(
      "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES ('gxzf/tzgg', 'gxzf', NULL, 'tzgg', '通知公告', 'notice', '通知公告', '[]', 0)",
    ),
  ]);
  const add = (id: string, grants: TestGrant[]) => addAccount(`pages-${id}`, `pages-${id}`, PASSWORD, grants);
  await add('ed', [{ role: 'editor', siteId: 'nanning' }]);
  await add('ed-gxzf', [{ role: 'editor', siteId: 'gxzf' }]);
  await add('rv1', [{ role: 'reviewer', siteId: 'nanning', level: 1 }]);
  await add('rv2', [{ role: 'reviewer', siteId: 'gxzf', level: 2 }]);
  [editor, otherEditor, reviewer1, reviewer2] = [await login('ed'), await login('ed-gxzf'), await login('rv1'), await login('rv2')];
  nanningDoc = (await create(editor, 'nanning', 'nanning/zcwj', policy('南宁市城市防汛工作方案'))).id;
  await create(otherEditor, 'gxzf', 'gxzf/tzgg', {
    kind: 'notice',
    title: '自治区节假日值班安排通知',
    bodyHtml: '<p>值班安排。</p>',
    source: '自治区人民政府办公厅',
  });
  xssDoc = (await create(editor, 'nanning', 'nanning/zcwj', policy(XSS, { summary: '"><script>alert(2)</script>' }))).id;
  reviewDoc = (await create(editor, 'nanning', 'nanning/zcwj', policy('南宁市待审核的政策文件'))).id;
  expect((await call(editor, 'POST', `/documents/${reviewDoc}/submit`, {})).status).toBe(200);
});

describe('CMS editor pages', () => {
  it('send visitors without a session to the login form, and forbid inline script by CSP', async () => {
    for (const path of [
      '/admin/documents',
      '/admin/documents/new',
      `/admin/documents/${nanningDoc}`,
      `/admin/documents/${nanningDoc}/revisions`,
      '/admin/review',
    ]) {
      const res = await get(null, path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get('location')).toMatch(/^\/admin\/login\?next=%2Fadmin/);
    }
    const res = await get(editor, `/admin/documents/${nanningDoc}`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain(`<meta name="csrf-token" content="${editor.csrf}">`);
    expect(html).toContain('<script src="/admin/assets/admin.js" defer></script>');
    expect(html).not.toMatch(/<script>|<style>|\son[a-z]+=/i);
    const js = await SELF.fetch(`${ORIGIN}/admin/assets/admin.js`);
    expect(js.headers.get('content-type')).toContain('javascript');
    const script = await js.text();
    expect(script).toContain('X-CSRF-Token');
    // The bundle of worker/src/admin/client (esbuild, one IIFE): no module syntax left for the browser to fetch.
    expect(script).not.toMatch(/^\s*(import|export)\s/m);
    expect(script.length).toBeGreaterThan(5000);
  });

  it("list only documents within the account's grants, and filter them", async () => {
    const mine = await page(editor, '/admin/documents');
    expect(mine).toContain('南宁市城市防汛工作方案');
    expect(mine).toContain(`href="/admin/documents/${nanningDoc}"`);
    expect(mine).not.toContain('自治区节假日值班安排通知');
    expect(mine).not.toMatch(/<option value="gxzf"/); // the site filter offers only sites the account may see
    const theirs = await page(otherEditor, '/admin/documents');
    expect(theirs).toContain('自治区节假日值班安排通知');
    expect(theirs).not.toContain('南宁市城市防汛工作方案');
    // Asking for another site's documents by URL shows nothing of it.
    expect(await page(otherEditor, '/admin/documents?site=nanning')).not.toContain('南宁市城市防汛工作方案');
    const inReview = await page(editor, '/admin/documents?state=review');
    expect(inReview).toContain('南宁市待审核的政策文件');
    expect(inReview).not.toContain('南宁市城市防汛工作方案');
    const byTitle = await page(editor, `/admin/documents?site=nanning&column=nanning%2Fzcwj&kind=policy&q=${encodeURIComponent('防汛')}`);
    expect(byTitle).toContain('南宁市城市防汛工作方案');
    expect(byTitle).not.toContain('南宁市待审核的政策文件');
    expect(byTitle).toMatch(/<option value="nanning\/zcwj" selected>/);
    expect(await page(editor, '/admin/documents?kind=notice')).toContain('没有符合条件的文档');
    // A document outside the grants is not found, not shown.
    expect((await get(otherEditor, `/admin/documents/${nanningDoc}`)).status).toBe(404);
  });

  it('paginate the list, 20 a page, keeping the filters in the links', async () => {
    const now = Date.now();
    await env.DB.batch(
      Array.from({ length: 25 }, (_, i) => [
        env.DB.prepare(
          "INSERT INTO cms_documents (id, site_id, column_id, state, level, depth, revision, published_at, scheduled_at, created_by, created_at, updated_at) VALUES (?, 'nanning', 'nanning/zcwj', 'draft', NULL, 2, 1, NULL, NULL, 'pages-ed', ?, ?)",
        ).bind(`page-doc-${i}`, new Date(now - i * 1000).toISOString(), new Date(now - i * 1000).toISOString()),
        env.DB.prepare("INSERT INTO cms_revisions (document_id, revision, data, hash, author_id, created_at) VALUES (?, 1, ?, ?, 'pages-ed', ?)").bind(
          `page-doc-${i}`,
          JSON.stringify({ kind: 'article', title: `分页测试文档${i}` }),
          '0'.repeat(64),
          new Date().toISOString(),
        ),
      ]).flat(),
    );
    const first = await page(editor, '/admin/documents?q=%E5%88%86%E9%A1%B5');
    expect(first).toContain('共 25 篇');
    expect((first.match(/data-testid="document-link"/g) ?? []).length).toBe(20);
    expect(first).toContain('href="/admin/documents?q=%E5%88%86%E9%A1%B5&amp;page=2"');
    const second = await page(editor, '/admin/documents?q=%E5%88%86%E9%A1%B5&page=2');
    expect((second.match(/data-testid="document-link"/g) ?? []).length).toBe(5);
    expect(second).toContain('分页测试文档24');
  });

  it('derive the editor form from DraftSchema: one labelled control per field, on the new and the edit page', async () => {
    const fields = Object.keys(DraftSchema.shape);
    expect(fields.length).toBeGreaterThan(15);
    for (const path of [`/admin/documents/${nanningDoc}`, '/admin/documents/new?site=nanning']) {
      const html = await page(editor, path);
      for (const f of fields) {
        expect(html, `${path} ${f}`).toMatch(new RegExp(`id="field-${f}"[^>]*data-field="${f}"`));
        expect(html, `${path} ${f}`).toMatch(new RegExp(`id="label-${f}"`));
        expect(html, `${path} ${f}`).toContain(`id="error-${f}"`);
      }
      expect(html).toMatch(/<label for="field-docNumber" id="label-docNumber">发文字号/);
      expect(html).toMatch(/<label for="field-title" id="label-title">标题<span class="req">（必填）/);
      expect(html).toContain('role="toolbar" aria-label="正文格式"');
      expect(html).toContain('<option value="policy" selected>政策文件</option>');
      // 办事指南要素: a group of the guide's own fields; 兴趣领域 and 服务场景 as check boxes.
      expect(html).toMatch(/id="field-guide\.materials" name="guide\.materials" data-field="guide\.materials" data-widget="lines"/);
      expect(html).toContain('<label for="field-guide.phone" id="label-guide.phone">联系电话<span class="req">（必填）</span></label>');
      expect(html).toContain('<input type="checkbox" value="shebao" name="interests"> 社会保障');
      expect(html).toContain('<input type="checkbox" value="hy-jhdj" name="guide.scenes"> 结婚登记');
    }
    const edit = await page(editor, `/admin/documents/${nanningDoc}`);
    expect(edit).toContain('value="南宁市城市防汛工作方案"');
    expect(edit).toContain('<p>南宁市城市防汛工作方案的正文第一段。</p>');
    expect(edit).toContain('data-action="save"');
    expect(edit).toContain('data-action="submit"');
    expect(edit).toContain('data-action="upload"');
    expect(edit).toMatch(/<progress id="upload-progress"/);
    expect(edit).not.toContain('data-action="approve"');
    const created = await page(editor, '/admin/documents/new?site=nanning');
    expect(created).toContain('<option value="nanning/zcwj" data-kind="policy" selected>政策文件</option>');
    expect(created).not.toContain('data-action="upload"');
    // An editor of another site is not offered this site.
    expect(await page(otherEditor, '/admin/documents/new?site=nanning')).not.toContain('id="document-form"');
  });

  it("show each account only the workflow steps it may take in the document's state", async () => {
    const forEditor = await page(editor, `/admin/documents/${reviewDoc}`);
    expect(forEditor).not.toMatch(/data-action="(submit|approve|reject|save)"/);
    expect(forEditor).toMatch(/id="field-title"[^>]* disabled/);
    const forReviewer = await page(reviewer1, `/admin/documents/${reviewDoc}`);
    expect(forReviewer).toContain('data-action="approve"');
    expect(forReviewer).toMatch(/<textarea id="reject-comment" data-for="reject" data-input="comment" required/);
    expect(forReviewer).not.toContain('data-action="submit"');
    expect(await page(reviewer2, `/admin/documents/${reviewDoc}`)).not.toContain('data-action="approve"'); // level 2, the document waits at 1
  });

  it('escape a title or summary carrying markup in the list, the editor and the work list', async () => {
    const escaped = '&lt;img src=x onerror=alert(1)&gt;';
    for (const path of ['/admin/documents', `/admin/documents/${xssDoc}`, '/admin']) {
      const html = await page(editor, path);
      expect(html, path).toContain(escaped);
      expect(html, path).not.toContain(XSS);
      expect(html, path).not.toContain('<script>alert(2)');
    }
    const edit = await page(editor, `/admin/documents/${xssDoc}`);
    expect(edit).toContain(`value="${escaped}"`);
    expect(edit).toContain('&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;</textarea>');
  });

  it('queue for review only what waits at a level the reviewer signs off', async () => {
    const first = await page(reviewer1, '/admin/review');
    expect(first).toContain('南宁市待审核的政策文件');
    expect(first).toContain(`<tr data-document-id="${reviewDoc}"`);
    expect(first).toContain('data-action="approve"');
    expect(first).toContain('data-action="reject"');
    expect(first).not.toContain('南宁市城市防汛工作方案'); // a draft
    expect(await page(reviewer2, '/admin/review')).toContain('没有等待您审核的文档');
    expect(await page(editor, '/admin/review')).toContain('没有等待您审核的文档');
    expect((await call(reviewer1, 'POST', `/documents/${reviewDoc}/approve`, {})).status).toBe(200);
    expect(await page(reviewer1, '/admin/review')).not.toContain('南宁市待审核的政策文件');
    const second = await page(reviewer2, '/admin/review');
    expect(second).toContain('南宁市待审核的政策文件');
    expect(second).toContain('第 2/2 级');
  });

  it("show two revisions' differences with <ins> and <del>, and offer restoring an earlier one", async () => {
    const doc = await create(editor, 'nanning', 'nanning/zcwj', policy('南宁市修订比较测试'));
    const draft = policy('南宁市修订比较测试（修改）', { bodyHtml: '<p>南宁市修订比较测试的正文第一段。</p><p>新增的第三段<b>&lt;b&gt;</b>。</p>' });
    expect((await call(editor, 'PUT', `/documents/${doc.id}`, { revision: 1, draft })).status).toBe(200);
    const html = await page(editor, `/admin/documents/${doc.id}/revisions?from=1&to=2`);
    expect(html).toContain('<ins>新增的第三段&lt;b&gt;。</ins>');
    expect(html).toContain('<del>第二段。</del>');
    expect(html).toMatch(/<h3>标题<\/h3><p>原：<del>南宁市修订比较测试<\/del><\/p><p>新：<ins>南宁市修订比较测试（修改）<\/ins>/);
    expect(html).toContain('<li>南宁市修订比较测试的正文第一段。</li>');
    expect(html).toContain('data-action="restore" data-from="1"');
    expect(html).toMatch(/name="from" value="1" id="from-1"[^>]* checked/);
    // Reversed, the same lines swap sides; a reviewer may look but not restore.
    expect(await page(editor, `/admin/documents/${doc.id}/revisions?from=2&to=1`)).toContain('<del>新增的第三段&lt;b&gt;。</del>');
    expect(await page(reviewer1, `/admin/documents/${doc.id}/revisions`)).not.toContain('data-action="restore"');
  });

  it('name every field zod finds wrong, for the form to mark each', async () => {
    const res = await call(editor, 'POST', '/documents', {
      siteId: 'nanning',
      columnId: 'nanning/zcwj',
      draft: { kind: 'policy', title: 'x', bodyHtml: '', source: '' },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { field: string; issues: { field: string; message: string }[] };
    expect(body.field).toBe('draft.title');
    expect(body.issues.map((i) => i.field)).toEqual(expect.arrayContaining(['draft.title', 'draft.source']));
  });
});

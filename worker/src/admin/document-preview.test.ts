/**
 * 预览 in workerd: a reviewer opens the revision waiting for them rendered in the site's own template, before
 * approving, and nothing is published by looking; an account without a role on the document's site, and an
 * anonymous reader, get no preview.
 */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { templateFor } from '@ywtc/themes';
import { seedRegistry } from '../testing/sites.ts';
import { addAccount, login, type Session } from '../testing/accounts.ts';

const ORIGIN = 'http://127.0.0.1:8787';
const PASSWORD = 'Preview-test-2026';
const api = (s: Session, method: string, path: string, body?: unknown) =>
  SELF.fetch(`${ORIGIN}/api/cms${path}`, {
    method,
    headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json', Origin: ORIGIN },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const preview = (id: string, s?: Session) =>
  SELF.fetch(`${ORIGIN}/admin/documents/${id}/preview`, { headers: s ? { Cookie: s.cookie } : {}, redirect: 'manual' });

let editor: Session, reviewer: Session, outsider: Session;
let id = '';
const TITLE = '自治区关于预览功能测试的通知';
beforeAll(async () => {
  await seedRegistry();
  await env.DB.prepare(
    "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES ('gxzf/tzgg', 'gxzf', NULL, 'tzgg', '通知公告', 'notice', '通知公告', '[]', 0)",
  ).run();
  await addAccount('pv-ed', 'pv-ed', PASSWORD, [{ role: 'editor', siteId: 'gxzf' }]);
  await addAccount('pv-rv', 'pv-rv', PASSWORD, [{ role: 'reviewer', siteId: 'gxzf', level: 1 }]);
  // A role on a site below: it does not reach the region's documents.
  await addAccount('pv-out', 'pv-out', PASSWORD, [{ role: 'reviewer', siteId: 'nanning', level: 1 }]);
  [editor, reviewer, outsider] = await Promise.all([login('pv-ed', PASSWORD), login('pv-rv', PASSWORD), login('pv-out', PASSWORD)]);
  const res = await api(editor, 'POST', '/documents', {
    siteId: 'gxzf',
    columnId: 'gxzf/tzgg',
    draft: { kind: 'notice', title: TITLE, bodyHtml: '<p>预览正文第一段。</p>', source: '广西壮族自治区人民政府办公厅' },
  });
  expect(res.status).toBe(201);
  id = ((await res.json()) as { id: string }).id;
  expect((await api(editor, 'POST', `/documents/${id}/submit`, {})).status).toBe(200);
});

describe('预览 of a pending revision', () => {
  it("is the document's page in the site's own template, for the reviewer, before approval, publishing nothing", async () => {
    const queue = await (await SELF.fetch(`${ORIGIN}/admin/review`, { headers: { Cookie: reviewer.cookie } })).text();
    expect(queue).toContain(`/admin/documents/${id}/preview`);
    const res = await preview(id, reviewer);
    expect(res.status).toBe(200);
    const page = await res.text();
    const site = await env.DB.prepare('SELECT theme_id FROM sites WHERE id = ?').bind('gxzf').first<{ theme_id: string }>();
    const t = templateFor(site!.theme_id);
    // The site's template: its family, header and home on <html>, its stylesheet from this renderer build.
    expect(page).toMatch(new RegExp(`<html[^>]*data-family="${t.family}"`));
    expect(page).toMatch(/<link rel="stylesheet" href="\/admin\/assets\/site\/_astro\/[^"]+\.css"/);
    expect(page).toContain(`<h1`);
    expect(page).toContain(TITLE);
    expect(page).toContain('预览正文第一段。');
    expect(page).toContain('id="preview-notice"');
    // No script may run in it (default-src 'none' and no script-src).
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).not.toContain('script-src');
    const css = /href="(\/admin\/assets\/site\/_astro\/[^"]+\.css)"/.exec(page)![1]!;
    expect((await SELF.fetch(`${ORIGIN}${css}`)).status).toBe(200);
    // Looking published nothing: no row in the content store, still waiting for the reviewer.
    expect(await env.DB.prepare('SELECT 1 FROM documents WHERE id = ?').bind(id).first()).toBeNull();
    expect(await env.DB.prepare('SELECT 1 FROM placements WHERE document_id = ?').bind(id).first()).toBeNull();
    expect((await env.DB.prepare('SELECT state FROM cms_documents WHERE id = ?').bind(id).first<{ state: string }>())!.state).toBe('review');
  });

  it('shows the revision as saved: a new revision is what the next preview shows', async () => {
    expect((await api(reviewer, 'POST', `/documents/${id}/reject`, { comment: '请补充第二段' })).status).toBe(200);
    const saved = await api(editor, 'PUT', `/documents/${id}`, {
      revision: 1,
      draft: { kind: 'notice', title: TITLE, bodyHtml: '<p>预览正文第一段。</p><p>补充的第二段。</p>', source: '广西壮族自治区人民政府办公厅' },
    });
    expect(saved.status).toBe(200);
    const res = await preview(id, editor);
    expect(res.headers.get('x-preview-revision')).toBe('2');
    expect(await res.text()).toContain('补充的第二段。');
  });

  it('is refused to an account without a role on the document’s site, and sends the anonymous to the login form', async () => {
    const refused = await preview(id, outsider);
    expect(refused.status).toBe(404);
    expect(await refused.text()).not.toContain(TITLE);
    const anonymous = await preview(id);
    expect([302, 303]).toContain(anonymous.status);
    expect(anonymous.headers.get('location')).toContain('/admin/login');
  });
});

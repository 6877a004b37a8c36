/** The CMS's admin pages in workerd: login by form, the work list by role, logout with the CSRF token. */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { GXZF_FILES, publish, seedRegistry } from '../testing/sites.ts';
import { addAccount } from '../testing/accounts.ts';

const ORIGIN = 'http://127.0.0.1:8787';
const PASSWORD = 'Admin-pages-2026';
const form = (fields: Record<string, string>) => new URLSearchParams(fields);

async function login(username: string) {
  const res = await SELF.fetch(`${ORIGIN}/admin/login`, {
    method: 'POST',
    body: form({ username, password: PASSWORD }),
    headers: { 'CF-Connecting-IP': `10.8.0.${username.length}` },
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/admin');
  return /^([^;]+)/.exec(res.headers.get('set-cookie')!)![1]!;
}
const page = async (cookie: string) => (await SELF.fetch(`${ORIGIN}/admin`, { headers: { Cookie: cookie }, redirect: 'manual' })).text();

beforeAll(async () => {
  await seedRegistry();
  await addAccount('p-editor', 'page-editor', PASSWORD, [{ role: 'editor', siteId: 'nanning' }]);
  await addAccount('p-reviewer', 'page-reviewer', PASSWORD, [{ role: 'reviewer', siteId: 'gxzf', level: 1 }]);
  await addAccount('p-other', 'page-other', PASSWORD, [{ role: 'editor', siteId: 'gxzf' }]);
  const now = new Date().toISOString();
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO cms_documents (id, site_id, column_id, state, level, depth, revision, published_at, scheduled_at, created_by, created_at, updated_at) VALUES ('wl-1', 'nanning', 'nanning/zcwj', 'review', 1, 2, 1, NULL, NULL, 'p-editor', ?, ?)",
    ).bind(now, now),
    env.DB.prepare(
      "INSERT INTO cms_revisions (document_id, revision, data, hash, author_id, created_at) VALUES ('wl-1', 1, '{\"title\":\"南宁市工作清单示例\"}', ?, 'p-editor', ?)",
    ).bind('0'.repeat(64), now),
  ]);
});

describe('admin pages', () => {
  it('send visitors to a labelled login form, and answer a wrong password on it', async () => {
    const res = await SELF.fetch(`${ORIGIN}/admin`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/admin\/login\?next=%2Fadmin/);
    const html = await (await SELF.fetch(`${ORIGIN}/admin/login`)).text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toMatch(/<label>用户名<input name="username"/);
    const wrong = await SELF.fetch(`${ORIGIN}/admin/login`, {
      method: 'POST',
      body: form({ username: 'page-editor', password: 'Nope-wrong-1' }),
      headers: { 'CF-Connecting-IP': '10.8.9.9' },
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('用户名或密码错误');
    expect((await SELF.fetch(`${ORIGIN}/admin/login`, { method: 'POST', body: form({ username: 'x' }) })).status).toBe(400);
  });

  it("show each role its work: the reviewer the document waiting at their level, the editor their site's, others nothing", async () => {
    expect(await page(await login('page-reviewer'))).toMatch(/待我审核[\s\S]*南宁市工作清单示例[\s\S]*我所管网站的文档/);
    const editor = await page(await login('page-editor'));
    expect(editor).toContain('没有等待您审核的文档');
    expect(editor).toMatch(/我所管网站的文档[\s\S]*南宁市工作清单示例/);
    const other = await page(await login('page-other'));
    expect(other).not.toContain('南宁市工作清单示例');
  });

  it("log out only with the session's CSRF token", async () => {
    const cookie = await login('page-editor');
    const csrf = /name="csrf" value="([^"]+)"/.exec(await page(cookie))![1]!;
    expect(
      (await SELF.fetch(`${ORIGIN}/admin/logout`, { method: 'POST', body: form({ csrf: 'guess' }), headers: { Cookie: cookie }, redirect: 'manual' })).status,
    ).toBe(403);
    const out = await SELF.fetch(`${ORIGIN}/admin/logout`, { method: 'POST', body: form({ csrf }), headers: { Cookie: cookie }, redirect: 'manual' });
    expect(out.status).toBe(303);
    expect((await SELF.fetch(`${ORIGIN}/admin`, { headers: { Cookie: cookie }, redirect: 'manual' })).status).toBe(303);
  });

  it("are not on a site's public host: the site answers with its own 404 page", async () => {
    await publish('gxzf', GXZF_FILES, 'admin-v1');
    const res = await SELF.fetch('http://www.gxzf.gov.cn/admin/login');
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).toContain('页面不存在');
    expect(body).not.toContain('内容管理');
  });
});

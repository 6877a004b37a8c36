/**
 * /admin on the platform hosts (the search admin at /admin/search has its own guard): the CMS's login and
 * work list, on the same sessions and rules as /api/cms. Forms carry the session's CSRF token.
 */
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { LoginSchema, can, type State } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { accountById, grantsOf } from '../cms/accounts.ts';
import { auditStatement } from '../cms/audit.ts';
import { parentMap } from '../cms/documents.ts';
import { noStore } from '../cms/http.ts';
import { authenticate } from '../cms/login.ts';
import { sameString } from '../cms/password.ts';
import { SESSION_COOKIE, clearedCookie, endSession, readSession, sessionCookie } from '../cms/session.ts';
import { loginPage, workPage, type WorkItem } from './cms-pages.ts';
import { ADMIN_CSP } from './admin-layout.ts';
import { adminAssets } from './admin-assets.ts';
import { documentPages } from './document-pages.ts';
import { sitePages } from './site-pages.ts';

export const cmsAdmin = new Hono<AppEnv>().basePath('/admin');

// Every CMS admin page: scripts and styles only from /admin/assets, nothing inline, never framed.
cmsAdmin.use('*', async (c, next) => {
  await next();
  c.res.headers.set('Content-Security-Policy', ADMIN_CSP);
  c.res.headers.set('X-Frame-Options', 'DENY');
  c.res.headers.set('Referrer-Policy', 'same-origin');
});
cmsAdmin.route('/', adminAssets);

cmsAdmin.get('/login', (c) => c.html(loginPage(null), 200, noStore));

cmsAdmin.post('/login', async (c) => {
  const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
  const parsed = LoginSchema.safeParse({ username: form.username, password: form.password });
  if (!parsed.success) return c.html(loginPage(parsed.error.issues[0]!.message, typeof form.username === 'string' ? form.username.slice(0, 40) : ''), 400, noStore);
  const r = await authenticate(c.env.DB, parsed.data.username, parsed.data.password, c.req.header('cf-connecting-ip') ?? 'local');
  if (!r.ok) return c.html(loginPage(r.message, parsed.data.username), r.status, { ...noStore, ...(r.retryAfter ? { 'Retry-After': String(r.retryAfter) } : {}) });
  return new Response(null, { status: 303, headers: { Location: '/admin', 'Set-Cookie': sessionCookie(r.token), ...noStore } });
});

cmsAdmin.post('/logout', async (c) => {
  const session = await readSession(c.env.DB, getCookie(c, SESSION_COOKIE));
  const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
  if (session) {
    if (typeof form.csrf !== 'string' || !sameString(form.csrf, session.csrfToken)) return c.text('请求来源无法验证，请刷新页面后重试', 403, noStore);
    await c.env.DB.batch([endSession(c.env.DB, session.tokenHash), await auditStatement(c.env.DB, { accountId: session.accountId, action: 'auth.logout', target: session.accountId, siteId: null })]);
  }
  return new Response(null, { status: 303, headers: { Location: '/admin/login', 'Set-Cookie': clearedCookie(), ...noStore } });
});

interface Row { id: string; site_id: string; site_name: string; title: string; state: State; level: number | null; depth: number; updated_at: string; column_id: string }
const toItem = (r: Row): WorkItem => ({ id: r.id, siteId: r.site_id, siteName: r.site_name, title: r.title, state: r.state, level: r.level, depth: r.depth, updatedAt: r.updated_at });

cmsAdmin.get('/', async (c) => {
  const session = await readSession(c.env.DB, getCookie(c, SESSION_COOKIE));
  const account = session ? await accountById(c.env.DB, session.accountId) : null;
  if (!session || !account) return c.redirect('/admin/login', 303);
  const grants = await grantsOf(c.env.DB, account.id);
  const parentOf = await parentMap(c.env.DB);
  const [docs, sites] = await c.env.DB.batch([
    c.env.DB.prepare(`SELECT d.id, d.site_id, s.name AS site_name, json_extract(r.data, '$.title') AS title, d.state, d.level, d.depth, d.updated_at, d.column_id
      FROM cms_documents d JOIN cms_revisions r ON r.document_id = d.id AND r.revision = d.revision JOIN sites s ON s.id = d.site_id ORDER BY d.updated_at DESC LIMIT 2000`),
    c.env.DB.prepare('SELECT id, name FROM sites'),
  ]);
  const rows = docs!.results as Row[];
  const review = rows.filter((r) => r.state === 'review' && can(grants, 'document.review', { siteId: r.site_id, level: r.level ?? 0 }, parentOf)).reverse();
  const mine = rows.filter((r) => can(grants, 'document.write', { siteId: r.site_id, columnId: r.column_id }, parentOf) || can(grants, 'site.manage', { siteId: r.site_id }, parentOf)).slice(0, 200);
  const siteNames = new Map((sites!.results as { id: string; name: string }[]).map((s) => [s.id, s.name]));
  return c.html(workPage({ displayName: account.displayName, grants, siteNames, review: review.map(toItem), documents: mine.map(toItem), csrf: session.csrfToken }), 200, noStore);
});

// The editor screens: 内容列表, 新建/编辑, 审核队列, 修订历史.
cmsAdmin.route('/', documentPages);
// 网站模板: switch a site's template (site admins and platform admins).
cmsAdmin.route('/', sitePages);

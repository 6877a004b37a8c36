/**
 * /admin on the admin hosts: the CMS's pages — login, the work list, the editor screens, the review queue,
 * policy Q&A, search administration and site templates — on the same sessions, rules and audit as /api/cms.
 * Access is declared per route (access/authorize.ts, 'page' style: an anonymous reader goes to the login form).
 */
import { Hono } from 'hono';
import { LoginSchema, can, type State } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { auditStatement } from '../cms/audit.ts';
import { parentMap } from '../cms/documents.ts';
import { noStore } from '../platform/http.ts';
import { authenticate } from '../cms/login.ts';
import { clientAddress } from '../cms/client-address.ts';
import { clearedCookie, endSession, sessionCookie } from '../cms/session.ts';
import { loginPage, workPage, type WorkItem } from './cms-pages.ts';
import { ADMIN_CSP } from './admin-layout.ts';
import { adminAssets } from './admin-assets.ts';
import { documentPages } from './document-pages.ts';
import { documentPreview } from './document-preview.ts';
import { sitePages } from './site-pages.ts';
import { searchAdmin } from './search-admin.ts';
import { qaPages } from './qa-pages.ts';
import { openAdmin } from './open-pages.ts';
import { hotAdmin } from './hot-pages.ts';
import { consultPages } from './consult-pages.ts';
import { viewerOf } from './viewer.ts';
import { rectificationPages } from '../inspect/rectification/pages.ts';
import { reportPages } from '../inspect/reports/pages.ts';
import { startRoutes } from '../inspect/start-routes.ts';
import { dashboardRoutes } from '../inspect/dashboard/routes.ts';
import { domainPages } from '../domains/routes.ts';
import { switchoverPages } from '../import/switchover-routes.ts';
import { unmappedPages } from '../import/unmapped-routes.ts';
import { importQueue } from '../import/queue-routes.ts';

export const adminApp = new Hono<AppEnv>();

// Every admin page: scripts and styles only from /admin/assets, nothing inline, never framed, never cached.
adminApp.use('*', async (c, next) => {
  await next();
  // A page that is not the CMS's own (document-preview.ts: a site's page) brings a policy of its own.
  if (!c.res.headers.has('Content-Security-Policy')) c.res.headers.set('Content-Security-Policy', ADMIN_CSP);
  c.res.headers.set('X-Frame-Options', 'DENY');
  c.res.headers.set('Referrer-Policy', 'same-origin');
  if (!c.req.path.includes('/admin/assets/')) c.res.headers.set('Cache-Control', noStore['Cache-Control']);
});
adminApp.route('/', adminAssets);

/** Where to go after logging in: an admin page this request named, or the work list (never another site). */
const nextPage = (raw: string | undefined) => (raw && /^\/admin(\/[\w\-./%?=&]*)?$/.test(raw) && !raw.includes('//') && !raw.includes('..') ? raw : '/admin');

adminApp.get('/login', (c) => c.html(loginPage(null, '', nextPage(c.req.query('next'))), 200, noStore));

adminApp.post('/login', authorize('account', 'login', 'page'), async (c) => {
  const form: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
  const next = nextPage(typeof form.next === 'string' ? form.next : undefined);
  const parsed = LoginSchema.safeParse({ username: form.username, password: form.password });
  if (!parsed.success)
    return c.html(loginPage(parsed.error.issues[0]!.message, typeof form.username === 'string' ? form.username.slice(0, 40) : '', next), 400, noStore);
  const r = await authenticate(c.env.DB, parsed.data.username, parsed.data.password, clientAddress(c));
  if (!r.ok)
    return c.html(loginPage(r.message, parsed.data.username, next), r.status, { ...noStore, ...(r.retryAfter ? { 'Retry-After': String(r.retryAfter) } : {}) });
  return new Response(null, { status: 303, headers: { Location: next, 'Set-Cookie': sessionCookie(r.token), ...noStore } });
});

adminApp.post('/logout', authorize('account', 'self', 'page'), async (c) => {
  const p = staffOf(c);
  await c.env.DB.batch([
    endSession(c.env.DB, p.sessionHash),
    await auditStatement(c.env.DB, { accountId: p.accountId, action: 'auth.logout', target: p.username, siteId: null }),
  ]);
  return new Response(null, { status: 303, headers: { Location: '/admin/login', 'Set-Cookie': clearedCookie(), ...noStore } });
});

interface Row {
  id: string;
  site_id: string;
  site_name: string;
  title: string;
  state: State;
  level: number | null;
  depth: number;
  updated_at: string;
  column_id: string;
}
const toItem = (r: Row): WorkItem => ({
  id: r.id,
  siteId: r.site_id,
  siteName: r.site_name,
  title: r.title,
  state: r.state,
  level: r.level,
  depth: r.depth,
  updatedAt: r.updated_at,
});

adminApp.get('/', authorize('account', 'self', 'page'), async (c) => {
  const grants = staffOf(c).grants;
  const parentOf = await parentMap(c.env.DB);
  const [docs, sites] = await c.env.DB.batch([
    c.env.DB
      .prepare(`SELECT d.id, d.site_id, s.name AS site_name, json_extract(r.data, '$.title') AS title, d.state, d.level, d.depth, d.updated_at, d.column_id
      FROM cms_documents d JOIN cms_revisions r ON r.document_id = d.id AND r.revision = d.revision JOIN sites s ON s.id = d.site_id ORDER BY d.updated_at DESC LIMIT 2000`),
    c.env.DB.prepare('SELECT id, name FROM sites'),
  ]);
  const rows = docs!.results as Row[];
  const review = rows.filter((r) => r.state === 'review' && can(grants, 'document.review', { siteId: r.site_id, level: r.level ?? 0 }, parentOf)).reverse();
  const mine = rows
    .filter(
      (r) =>
        can(grants, 'document.write', { siteId: r.site_id, columnId: r.column_id }, parentOf) || can(grants, 'site.manage', { siteId: r.site_id }, parentOf),
    )
    .slice(0, 200);
  const siteNames = new Map((sites!.results as { id: string; name: string }[]).map((s) => [s.id, s.name]));
  return c.html(workPage({ viewer: viewerOf(c), grants, siteNames, review: review.map(toItem), documents: mine.map(toItem) }), 200, noStore);
});

// The editor screens: 内容列表, 新建/编辑, 审核队列, 修订历史.
adminApp.route('/', documentPages);
// 预览: a document's current revision in its site's template, before anyone approves it.
adminApp.route('/', documentPreview);
// 政策问答: the knowledge base and the questions nobody's entry answered.
adminApp.route('/', qaPages);
// 搜索管理: the search log, best bets, synonyms.
adminApp.route('/', searchAdmin);
// 网站模板: switch a site's template (site admins and platform admins).
adminApp.route('/', sitePages);
// 数据开放: applications to approve, usage of the interfaces, suspending external units.
adminApp.route('/', openAdmin);
// 热点信息 (pin, block) and 标签待确认 (千人千网).
adminApp.route('/', hotAdmin);
// 网民留言: citizens' questions, their answers and the unanswered searches (留言咨询).
adminApp.route('/', consultPages);
// 网站检查: 整改事项 and 检查报告 (issue 14).
adminApp.route('/', rectificationPages).route('/', reportPages).route('/', startRoutes);
// 领导决策辅助: inspection scores, 整改, publishing, views, searches, 留言 and open data for a unit and those below.
adminApp.route('/', dashboardRoutes);
// 域名管理: the 清查 report, DNS and certificate status, domain-change requests (issue 14).
adminApp.route('/', domainPages);
// 数据融合与集约迁移: a migrated site's switch-over, and the old addresses that lead nowhere (issue 15).
adminApp.route('/', switchoverPages).route('/', unmappedPages);
// 导入待分类: imported documents whose 主题分类 or 兴趣领域 the classifiers were unsure of (issue 15).
adminApp.route('/', importQueue);

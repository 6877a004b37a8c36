/**
 * 千人千网 in the CMS: a site's 热点 list as citizens see it, with 置顶 (pin) and 屏蔽 (block) for the site's
 * editors and admins (cms-schema HOT_ACCESS; `hot.manage` on that site), each change and its audit entry one D1
 * batch; and 标签待确认, the documents whose automatic interest tags the classifier was unsure of, each a link to
 * the editor where choosing 兴趣领域 settles it. Plain forms, no script.
 */
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { HOT_ACTIONS, HotOverrideInputSchema, INTEREST_LABELS, can, type InterestCode } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { auditStatement } from '../cms/audit.ts';
import { parentMap } from '../cms/documents.ts';
import { forgetHot, hotList, type HotItem } from '../personal/hot.ts';
import { adminPage } from './admin-layout.ts';
import { viewerOf } from './viewer.ts';

interface SiteOption {
  id: string;
  name: string;
}

/** The sites whose hot list this account steers (and, for the tag queue, whose documents it edits). */
async function sitesFor(c: Context<AppEnv>, action: 'hot.manage' | 'document.write'): Promise<SiteOption[]> {
  const grants = staffOf(c).grants;
  const parentOf = await parentMap(c.env.DB);
  const { results } = await c.env.DB.prepare('SELECT id, name FROM sites ORDER BY sort_order, id').all<SiteOption>();
  return results.filter((s) => can(grants, action, { siteId: s.id }, parentOf));
}

const NOTICES: Record<string, string> = { pin: '已置顶。', block: '已屏蔽，该条目不再出现在本站热点中。', clear: '已取消置顶或屏蔽。' };

async function hotPage(c: Context<AppEnv>, status: 200 | 400 = 200, error: string | null = null): Promise<Response> {
  const sites = await sitesFor(c, 'hot.manage');
  const wanted = c.req.query('site');
  const site = sites.find((s) => s.id === wanted) ?? sites[0];
  const viewer = viewerOf(c);
  if (!site) return c.html(adminPage({ title: '热点信息', viewer, body: html`<h1>热点信息</h1><p>您没有可管理热点信息的网站。</p>` }), status);
  forgetHot(site.id); // editors see the list as it is now, not as an isolate kept it
  const [list, overrides] = await Promise.all([
    hotList(c.env.DB, site.id),
    c.env.DB.prepare(
      'SELECT o.document_id AS id, o.action, o.created_at AS at, d.title FROM hot_overrides o LEFT JOIN documents d ON d.id = o.document_id WHERE o.site_id = ? ORDER BY o.created_at DESC',
    )
      .bind(site.id)
      .all<{ id: string; action: 'pin' | 'block'; at: string; title: string | null }>(),
  ]);
  const notice = NOTICES[c.req.query('done') ?? ''] ?? null;
  const form = (documentId: string, action: 'pin' | 'block' | 'clear', label: string, title: string) =>
    html`<form method="post" action="/admin/hot" class="inline"><input type="hidden" name="csrf" value="${viewer.csrf}"><input type="hidden" name="siteId" value="${site.id}"><input type="hidden" name="documentId" value="${documentId}"><input type="hidden" name="action" value="${action}"><button type="submit" class="${action === 'pin' ? '' : 'secondary'}" aria-label="${label}：${title}">${label}</button></form>`;
  const row = (i: HotItem) =>
    html`<tr><td>${i.title}</td><td>${i.pinned ? '置顶' : i.filler ? '最新发布（补充）' : i.heat.toFixed(1)}</td><td>${i.pinned ? form(i.id, 'clear', '取消置顶', i.title) : form(i.id, 'pin', '置顶', i.title)} ${form(i.id, 'block', '屏蔽', i.title)}</td></tr>`;
  const body = html`<h1>热点信息</h1>
${notice ? html`<p class="ok" role="status">${notice}</p>` : ''}${error ? html`<p class="err" role="alert">${error}</p>` : ''}
<form method="get" action="/admin/hot"><label>网站 <select name="site">${sites.map((s) => html`<option value="${s.id}"${s.id === site.id ? html` selected` : ''}>${s.name}</option>`)}</select></label> <button type="submit">查看</button></form>
<p>热度按近两周的页面浏览量计算（每 3 天减半），不含任何个人信息。置顶的条目排在最前；屏蔽的条目不再出现在本站首页的热点信息和 /hot/ 页面中。改动约一分钟内在所有页面生效。</p>
<table><caption>${site.name} 当前热点</caption><thead><tr><th scope="col">标题</th><th scope="col">热度</th><th scope="col">操作</th></tr></thead><tbody>${list.items.map(row)}</tbody></table>
<h2>置顶其他文档</h2>
<form method="post" action="/admin/hot"><input type="hidden" name="csrf" value="${viewer.csrf}"><input type="hidden" name="siteId" value="${site.id}"><input type="hidden" name="action" value="pin">
<label>文档 ID（须已在本站发布）<input type="text" name="documentId" maxlength="80" required></label> <button type="submit">置顶</button></form>
<h2>置顶和屏蔽记录</h2>
${
  overrides.results.length
    ? html`<table><thead><tr><th scope="col">文档</th><th scope="col">操作</th><th scope="col">操作</th></tr></thead><tbody>${overrides.results.map(
        (o) => html`<tr><td>${o.title ?? o.id}</td><td>${HOT_ACTIONS[o.action]}</td><td>${form(o.id, 'clear', '取消', o.title ?? o.id)}</td></tr>`,
      )}</tbody></table>`
    : html`<p>暂无。</p>`
}`;
  return c.html(adminPage({ title: '热点信息', viewer, body }), status);
}

export const hotAdmin = new Hono<AppEnv>();

hotAdmin.get('/hot', authorize('hot', 'read', 'page'), (c) => hotPage(c));

hotAdmin.post('/hot', authorize('hot', 'manage', 'page'), async (c) => {
  const body: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
  const parsed = HotOverrideInputSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = { siteId: '网站', documentId: '文档 ID', action: '操作' }[String(issue.path[0])] ?? String(issue.path[0] ?? '表单');
    return hotPage(c, 400, `${field}：${issue.message}`);
  }
  const { siteId, documentId, action } = parsed.data;
  const p = staffOf(c);
  if (!can(p.grants, 'hot.manage', { siteId }, await parentMap(c.env.DB))) return hotPage(c, 400, '您不能管理这个网站的热点信息');
  const db = c.env.DB;
  if (action === 'pin') {
    const placed = await db.prepare('SELECT 1 AS ok FROM placements WHERE site_id = ? AND document_id = ?').bind(siteId, documentId).first();
    if (!placed) return hotPage(c, 400, `文档 ID：本站没有已发布的文档“${documentId}”`);
  }
  const now = new Date();
  await db.batch([
    action === 'clear'
      ? db.prepare('DELETE FROM hot_overrides WHERE site_id = ? AND document_id = ?').bind(siteId, documentId)
      : db
          .prepare('INSERT OR REPLACE INTO hot_overrides (site_id, document_id, action, account_id, created_at) VALUES (?, ?, ?, ?, ?)')
          .bind(siteId, documentId, action, p.accountId, now.toISOString()),
    await auditStatement(db, { accountId: p.accountId, action: `hot.${action}`, target: documentId, siteId }, now),
  ]);
  forgetHot(siteId);
  return c.redirect(`/admin/hot?site=${encodeURIComponent(siteId)}&done=${action}`, 303);
});

/** 标签待确认: the automatic tags below the confidence line, on the sites whose documents this account edits. */
hotAdmin.get('/tags', authorize('documents', 'read', 'page'), async (c) => {
  const sites = await sitesFor(c, 'document.write');
  const viewer = viewerOf(c);
  const ids = sites.map((s) => s.id);
  const rows = ids.length
    ? (
        await c.env.DB.prepare(
          `SELECT d.id, d.title, s.name AS site, group_concat(t.interest || ':' || t.confidence) AS tags
             FROM document_tags t JOIN documents d ON d.id = t.document_id JOIN sites s ON s.id = d.owner_site_id
            WHERE t.needs_review = 1 AND d.owner_site_id IN (SELECT value FROM json_each(?))
            GROUP BY d.id ORDER BY unixepoch(d.published_at) DESC LIMIT 200`,
        )
          .bind(JSON.stringify(ids))
          .all<{ id: string; title: string; site: string; tags: string }>()
      ).results
    : [];
  const tagText = (tags: string) =>
    tags
      .split(',')
      .map((pair) => {
        const [code, conf] = pair.split(':');
        return `${INTEREST_LABELS[code as InterestCode] ?? code}（${Math.round(Number(conf) * 100)}%）`;
      })
      .join('、');
  const body = html`<h1>标签待确认</h1>
<p>以下文档没有由编辑选定“兴趣领域”，系统自动标注的把握不足 50%。标签用于“千人千网”的个性化推荐。请打开文档，在“兴趣领域”中选定后保存并发布，即以编辑的选择为准。</p>
${
  rows.length
    ? html`<table><thead><tr><th scope="col">标题</th><th scope="col">网站</th><th scope="col">自动标注</th></tr></thead><tbody>${rows.map(
        (r) => html`<tr><td><a href="/admin/documents/${encodeURIComponent(r.id)}">${r.title}</a></td><td>${r.site}</td><td>${tagText(r.tags)}</td></tr>`,
      )}</tbody></table>`
    : html`<p>没有待确认的标签。</p>`
}`;
  return c.html(adminPage({ title: '标签待确认', viewer, body }), 200);
});

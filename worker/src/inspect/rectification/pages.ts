/**
 * /admin/inspect (整改事项): the 整改 items of the sites an account may see — its own sites and every site below
 * (cms-schema INSPECTION_ACCESS, `inspect.read`) — with their deadlines, the overdue ones first, and the items
 * escalated up the hierarchy flagged with the unit that now supervises them. An item's page shows the evidence
 * (the page on the live site, the excerpt, the national indicator) and its history from the audit log, and takes
 * 已整改 (the site's admins) and 核销 (only the unit above). Plain forms, no script.
 */
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import {
  RECTIFICATION_STATES,
  RectificationStateSchema,
  RectifyActionSchema,
  SEVERITIES,
  cstDate,
  type Grant,
  type RectificationState,
} from '@ywtc/cms-schema';
import type { AppEnv } from '../../env.ts';
import { authorize } from '../../access/authorize.ts';
import { staffOf } from '../../access/authenticate.ts';
import { parentMap } from '../../cms/documents.ts';
import { adminPage, shortTime } from '../../admin/admin-layout.ts';
import { viewerOf } from '../../admin/viewer.ts';
import { inspectStyle } from '../reports/style.ts';
import { indicatorOf, kindLabel, liveUrl, pageLink, primaryDomain, severityLabel } from './evidence.ts';
import {
  ACTIVE,
  HISTORY_ACTIONS,
  ItemQuerySchema,
  PAGE_SIZE,
  QUERY_FIELDS,
  act,
  historyOf,
  itemById,
  listItems,
  mayDismiss,
  mayFix,
  readableSites,
  type ListedItem,
} from './store.ts';

export const rectificationPages = new Hono<AppEnv>();
const read = authorize('inspection', 'read', 'page');
const rectify = authorize('inspection', 'rectify', 'page');

/** The sites an account administers itself: items escalated to one of these are 已上报本级. */
const ownSites = (grants: readonly Grant[]) => new Set(grants.filter((g) => g.role === 'site-admin' && g.siteId).map((g) => g.siteId!));

const escalationText = (i: Pick<ListedItem, 'escalation' | 'escalatedName' | 'escalatedTo'>, own: Set<string>) =>
  i.escalation === 0
    ? ''
    : own.has(i.escalatedTo)
      ? html`<strong class="escalated">已上报本级</strong>（第 ${i.escalation} 级督办）`
      : html`已上报至${i.escalatedName}（第 ${i.escalation} 级督办）`;

const STATE_OPTIONS: [string, string][] = [['active', '未办结（待整改、复核未通过、已整改待复核）'], ['all', '全部'], ...Object.entries(RECTIFICATION_STATES)];

rectificationPages.get('/inspect', read, async (c) => {
  const viewer = viewerOf(c);
  const grants = staffOf(c).grants;
  const sites = await readableSites(c.env.DB, grants, await parentMap(c.env.DB));
  const raw = c.req.query();
  const parsed = ItemQuerySchema.safeParse(raw);
  const siteIds = sites.map((s) => s.id);
  let error: string | null = null;
  let q = ItemQuerySchema.parse({});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    error = `${QUERY_FIELDS[String(issue.path[0])] ?? '筛选条件'}：${issue.message}`;
  } else if (parsed.data.site && !siteIds.includes(parsed.data.site)) error = `网站：没有您可查看的网站“${parsed.data.site}”`;
  else q = parsed.data;
  const now = new Date();
  const { items, total, counts, overdue } = await listItems(c.env.DB, siteIds, q, now);
  const own = ownSites(grants);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const pageHref = (n: number) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries({ state: q.state, severity: q.severity, site: q.site, overdue: q.overdue, escalated: q.escalated })) if (v) p.set(k, v);
    p.set('page', String(n));
    return `/admin/inspect?${p.toString()}`;
  };
  const row = (i: ListedItem) =>
    html`<tr data-item="${i.id}"><td><a href="/admin/inspect/items/${i.id}">${kindLabel(i.kind)}</a><br><span class="meta">${i.message}</span></td><td>${i.siteName}</td><td>${severityLabel(i.severity)}</td><td>${RECTIFICATION_STATES[i.state]}</td><td>${cstDate(i.deadline)}${i.overdue ? html` <strong class="err-text">已逾期</strong>` : ''}</td><td>${escalationText(i, own)}</td></tr>`;
  const body = html`${inspectStyle}<h1>整改事项</h1>
<p>每次检查发现的问题都会成为所属网站的整改事项，按问题性质限期整改；网站管理员整改后标记“已整改”，下一次检查复核通过即办结，仍发现问题的重新打开。逾期未整改的逐级上报上级单位督办。只能由上级单位核销。<a href="/admin/inspect/runs">查看检查报告</a></p>
${error ? html`<p class="err" role="alert">${error}</p>` : ''}
<table id="rectify-counts"><caption>整改情况统计（${q.site ? (sites.find((s) => s.id === q.site)?.name ?? q.site) : `本级及下级 ${sites.length} 个网站`}）</caption>
<thead><tr>${Object.values(RECTIFICATION_STATES).map((l) => html`<th scope="col">${l}</th>`)}<th scope="col">逾期未整改</th></tr></thead>
<tbody><tr>${Object.keys(RECTIFICATION_STATES).map((s) => html`<td>${counts[s as RectificationState]}</td>`)}<td>${overdue}</td></tr></tbody></table>
<form method="get" action="/admin/inspect" class="filters">
<label>状态 <select name="state">${STATE_OPTIONS.map(([v, l]) => html`<option value="${v}"${v === q.state ? html` selected` : ''}>${l}</option>`)}</select></label>
<label>性质 <select name="severity"><option value="">全部</option>${Object.entries(SEVERITIES).map(([v, l]) => html`<option value="${v}"${v === q.severity ? html` selected` : ''}>${l}</option>`)}</select></label>
<label>网站 <select name="site"><option value="">全部（${sites.length} 个网站）</option>${sites.map((s) => html`<option value="${s.id}"${s.id === q.site ? html` selected` : ''}>${s.name}</option>`)}</select></label>
<label class="choice"><input type="checkbox" name="overdue" value="1"${q.overdue ? html` checked` : ''}> 只看逾期</label>
<label class="choice"><input type="checkbox" name="escalated" value="1"${q.escalated ? html` checked` : ''}> 只看已上报督办</label>
<button type="submit">筛选</button></form>
<h2>事项（共 ${total} 条）</h2>
${
  items.length
    ? html`<table id="rectify-list"><thead><tr><th scope="col">问题</th><th scope="col">网站</th><th scope="col">性质</th><th scope="col">状态</th><th scope="col">整改期限</th><th scope="col">督办</th></tr></thead><tbody>${items.map(row)}</tbody></table>
${pages > 1 ? html`<nav class="pager" aria-label="分页">${q.page > 1 ? html`<a href="${pageHref(q.page - 1)}">上一页</a>` : ''}<span>第 ${q.page} / ${pages} 页</span>${q.page < pages ? html`<a href="${pageHref(q.page + 1)}">下一页</a>` : ''}</nav>` : ''}`
    : html`<p>没有符合条件的整改事项。</p>`
}`;
  return c.html(adminPage({ title: '整改事项', viewer, current: 'inspect', body }), error ? 400 : 200);
});

const NOTICES: Record<string, string> = { fix: '已标记为已整改，下一次检查将复核。', dismiss: '已核销。' };
const NOTE_FIELD = { fix: '整改说明', dismiss: '核销理由' } as const;

interface FormError {
  field: string;
  message: string;
  action?: 'fix' | 'dismiss';
  typed?: string;
}
/** The field an error is about, as the form names it. */
const fieldLabel = (e: FormError) =>
  e.field === 'note' ? NOTE_FIELD[e.action ?? 'fix'] : e.field === 'state' ? '状态' : e.field === 'id' ? '整改事项' : '操作';

async function detail(c: Context<AppEnv>, status: 200 | 400 | 403 | 404 | 409 = 200, error: FormError | null = null): Promise<Response> {
  const viewer = viewerOf(c);
  const grants = staffOf(c).grants;
  const parentOf = await parentMap(c.env.DB);
  const item = await itemById(c.env.DB, c.req.param('id') ?? '');
  const visible = item && (await readableSites(c.env.DB, grants, parentOf)).find((s) => s.id === item.siteId);
  if (!item || !visible)
    return c.html(
      adminPage({
        title: '整改事项',
        viewer,
        current: 'inspect',
        body: html`<h1>整改事项</h1><p role="alert">整改事项不存在，或不属于您可查看的网站。</p><p><a href="/admin/inspect">返回整改事项</a></p>`,
      }),
      404,
    );
  const [site, history] = await Promise.all([
    c.env.DB.prepare('SELECT s.name, s.domains, e.name AS escalated_name FROM sites s LEFT JOIN sites e ON e.id = ? WHERE s.id = ?')
      .bind(item.escalatedTo, item.siteId)
      .first<{ name: string; domains: string; escalated_name: string | null }>(),
    historyOf(c.env.DB, item),
  ]);
  const now = new Date();
  const overdue = (item.state === 'open' || item.state === 'reopened') && item.deadline < now.toISOString();
  const ind = indicatorOf(item.kind);
  const href = liveUrl(c.env.SITE_ORIGIN_TEMPLATE, primaryDomain(site?.domains), item.url);
  const notice = NOTICES[c.req.query('done') ?? ''] ?? null;
  const csrf = html`<input type="hidden" name="csrf" value="${viewer.csrf}"><input type="hidden" name="state" value="${item.state}">`;
  const canFix = mayFix(grants, item, parentOf) && (item.state === 'open' || item.state === 'reopened');
  const canDismiss = mayDismiss(grants, item, parentOf) && ACTIVE.includes(item.state);
  const noteField = (action: 'fix' | 'dismiss', hint: string) => {
    const id = `${action}-note`;
    const bad = error?.action === action && error.field === 'note';
    return html`<div class="field"><label for="${id}">${NOTE_FIELD[action]} <span class="req">（必填，${hint}）</span></label>${bad ? html`<p class="field-error" id="${id}-error">${error.message}</p>` : ''}<textarea id="${id}" name="note" rows="4" maxlength="500" required${bad ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>${error?.action === action ? (error.typed ?? '') : ''}</textarea></div>`;
  };
  const own = ownSites(grants);
  const body = html`${inspectStyle}<h1>${kindLabel(item.kind)}</h1>
${notice ? html`<p class="ok" role="status">${notice}</p>` : ''}${error ? html`<p class="err" role="alert">${fieldLabel(error)}：${error.message}</p>` : ''}
<dl id="item-facts"><dt>网站</dt><dd>${site?.name ?? item.siteId}</dd>
<dt>状态</dt><dd id="item-state">${RECTIFICATION_STATES[item.state]}</dd>
<dt>性质</dt><dd>${severityLabel(item.severity)}${ind ? html`（${ind.label}${item.severity === 'deduct' && ind.cap !== null ? `，每处扣 ${ind.points} 分，本项最多扣 ${ind.cap} 分` : ''}）` : ''}</dd>
<dt>问题说明</dt><dd>${item.message}</dd>
<dt>所在页面</dt><dd>${pageLink(href, item.url)}</dd>
${item.target ? html`<dt>具体对象</dt><dd><code>${item.target}</code></dd>` : ''}
${item.excerpt ? html`<dt>页面摘录</dt><dd><blockquote class="excerpt">${item.excerpt}</blockquote></dd>` : ''}
<dt>整改期限</dt><dd>${shortTime(item.deadline)}${overdue ? html` <strong class="err-text">已逾期</strong>` : ''}${ind ? `（此类问题限 ${ind.fixWithinDays} 天内整改）` : ''}</dd>
<dt>督办</dt><dd>${item.escalation === 0 ? '本级办理' : escalationText({ ...item, escalatedName: site?.escalated_name ?? item.escalatedTo }, own)}</dd>
<dt>首次发现</dt><dd><a href="/admin/inspect/runs/${item.firstRunId}/sites/${item.siteId}">检查 ${item.firstRunId}</a>（${shortTime(item.createdAt)}）</dd>
<dt>最近检查</dt><dd><a href="/admin/inspect/runs/${item.lastRunId}/sites/${item.siteId}">检查 ${item.lastRunId}</a></dd>
${item.note ? html`<dt>${item.state === 'dismissed' ? '核销理由' : '整改说明'}</dt><dd>${item.note}</dd>` : ''}</dl>
<h2>办理</h2>
${
  canFix
    ? html`<form method="post" action="/admin/inspect/items/${item.id}" id="fix-form">${csrf}<input type="hidden" name="action" value="fix">
${noteField('fix', '写明做了什么，2–500 字；下一次检查将复核')}<div class="actions"><button type="submit" id="item-fix">已整改</button></div></form>`
    : html`<p>${item.state === 'fixed' ? '已标记为已整改，等待下一次检查复核。' : ACTIVE.includes(item.state) ? '该事项由网站管理员办理。' : '该事项已办结。'}</p>`
}
${
  canDismiss
    ? html`<form method="post" action="/admin/inspect/items/${item.id}" id="dismiss-form">${csrf}<input type="hidden" name="action" value="dismiss">
${noteField('dismiss', '上级单位核销时须写明理由，4–500 字；核销后该问题不再要求整改')}<div class="actions"><button type="submit" class="secondary" id="item-dismiss">核销</button></div></form>`
    : ACTIVE.includes(item.state)
      ? html`<p class="meta">核销须由上级单位办理。</p>`
      : ''
}
<h2>办理记录</h2>
${
  history.length
    ? html`<table id="item-history"><thead><tr><th scope="col">时间</th><th scope="col">操作</th><th scope="col">办理人</th><th scope="col">说明</th></tr></thead><tbody>${history.map(
        (h) => html`<tr><td>${shortTime(h.at)}</td><td>${HISTORY_ACTIONS[h.action] ?? h.action}</td><td>${h.who}</td><td>${h.detail}</td></tr>`,
      )}</tbody></table>`
    : html`<p>暂无记录。</p>`
}
<p><a href="/admin/inspect">返回整改事项</a></p>`;
  return c.html(adminPage({ title: kindLabel(item.kind), viewer, current: 'inspect', body }), status);
}

rectificationPages.get('/inspect/items/:id', read, (c) => detail(c));

rectificationPages.post('/inspect/items/:id', rectify, async (c) => {
  const form: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
  const action = form.action === 'fix' || form.action === 'dismiss' ? form.action : undefined;
  const typed = typeof form.note === 'string' ? form.note.slice(0, 500) : '';
  const parsed = RectifyActionSchema.safeParse({ action: form.action, note: form.note });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'action');
    return detail(c, 400, { field, message: field === 'note' ? issue.message : '请选择“已整改”或“核销”', ...(action ? { action } : {}), typed });
  }
  const expected = RectificationStateSchema.optional().safeParse(form.state === '' ? undefined : form.state);
  if (!expected.success) return detail(c, 400, { field: 'state', message: '页面提交的状态无法识别，请刷新页面后重试', action: parsed.data.action, typed });
  const p = staffOf(c);
  const r = await act(c.env.DB, p.accountId, p.grants, await parentMap(c.env.DB), c.req.param('id'), parsed.data, expected.data, new Date());
  if (!r.ok) return detail(c, r.status, { field: r.field, message: r.message, action: parsed.data.action, typed });
  return c.redirect(`/admin/inspect/items/${encodeURIComponent(r.item.id)}?done=${parsed.data.action}`, 303);
});

/**
 * 数据开放 in the CMS admin: applications for the interfaces of the sites this admin answers for (and those
 * below), to approve or reject with a reason; the usage of those interfaces (chart, table, CSV); and, for
 * platform admins, the external units with suspend / resume. Every decision goes to the audit log
 * (open/units.ts). Plain forms, no script.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import { APPLICATION_STATUSES, DecisionSchema, UNIT_STATUSES, can, canAnywhere, text, type OpenUnit } from '@ywtc/cms-schema';
import { z } from 'zod';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { parentMap } from '../cms/documents.ts';
import { noStore } from '../platform/http.ts';
import { applicationsForReviewer, decideApplication, setUnitStatus, type PendingApplication } from '../open/units.ts';
import { chartDays, usageCsv, usageRows, usageWindow, type UsageRow, type UsageScope } from '../open/usage.ts';
import { TABLES, fromRow, selectColumns } from '@ywtc/cms-schema';
import { adminPage, shortTime, type Viewer } from './admin-layout.ts';
import { dailyChart, type ChartDay } from './chart.ts';
import { viewerOf } from './viewer.ts';

const SuspendSchema = z
  .object({
    action: z.enum(['suspend', 'resume'], { error: '请选择暂停或恢复' }),
    reason: text().trim().max(200, '理由不能超过 200 个字').default(''),
  })
  .refine((s) => s.action === 'resume' || s.reason.length >= 4, { message: '暂停时请填写至少 4 个字的理由', path: ['reason'] });

interface PageInput {
  viewer: Viewer;
  pending: PendingApplication[];
  decided: PendingApplication[];
  usage: UsageRow[];
  days: ChartDay[];
  units: OpenUnit[] | null;
  notice: string | null;
  error: { field: string; message: string; target?: string } | null;
}

function decisionForm(a: PendingApplication, csrf: string, error: PageInput['error']) {
  const mine = error?.target === a.id;
  return html`<form method="post" action="/admin/open/applications/${a.id}" class="actions"><input type="hidden" name="csrf" value="${csrf}">
<label>审批意见（不批准时必填）<textarea name="reason" maxlength="300" rows="2"${mine ? html` aria-invalid="true" aria-describedby="err-${a.id}"` : ''}></textarea></label>
${mine ? html`<span class="field-error" id="err-${a.id}">${error.message}</span>` : ''}
<button type="submit" name="decision" value="approve" aria-label="批准 ${a.unitName} 使用 ${a.code}">批准</button>
<button type="submit" name="decision" value="reject" class="secondary" aria-label="不批准 ${a.unitName} 使用 ${a.code}">不批准</button></form>`;
}

export function openAdminPage(input: PageInput) {
  const csrf = input.viewer.csrf;
  const body = html`<h1>数据开放</h1>
${input.notice ? html`<p class="ok" role="status">${input.notice}</p>` : ''}${input.error ? html`<p class="err" role="alert">${input.error.message}</p>` : ''}
<section aria-labelledby="h-pending"><h2 id="h-pending">待审批的申请（${input.pending.length}）</h2>
<p>有条件开放接口的申请由数据提供单位（及其上级单位）的网站管理员审批。申请单位的联系人信息只用于审批联系，不会出现在任何接口中。</p>
${
  input.pending.length
    ? input.pending.map(
        (a) => html`<article class="step" data-testid="pending-application"><h3>${a.code} ${a.interfaceName}</h3>
<dl><dt>申请单位</dt><dd>${a.unitName}（统一社会信用代码 ${a.uscc}）</dd><dt>联系人</dt><dd>${a.contactName}，${a.contactPhone}，${a.contactEmail}</dd>
<dt>用途</dt><dd>${a.purpose}</dd><dt>每日调用量</dt><dd>${a.dailyQuota} 次</dd><dt>截止日期</dt><dd>${a.endsOn}</dd><dt>提交时间</dt><dd>${shortTime(a.createdAt)}</dd></dl>
${decisionForm(a, csrf, input.error)}</article>`,
      )
    : html`<p>没有待审批的申请。</p>`
}</section>
<section aria-labelledby="h-decided"><h2 id="h-decided">近期处理的申请</h2>
${
  input.decided.length
    ? html`<table><caption>最近 50 条</caption><thead><tr><th scope="col">接口</th><th scope="col">申请单位</th><th scope="col">状态</th><th scope="col">审批意见</th><th scope="col">处理时间</th></tr></thead>
<tbody>${input.decided.slice(0, 50).map((a) => html`<tr><th scope="row">${a.code} ${a.interfaceName}</th><td>${a.unitName}</td><td>${APPLICATION_STATUSES[a.status]}</td><td>${a.reason ?? ''}</td><td>${shortTime(a.decidedAt)}</td></tr>`)}</tbody></table>`
    : html`<p>还没有处理过的申请。</p>`
}</section>
<section aria-labelledby="h-usage"><h2 id="h-usage">接口调用情况（近 30 天）</h2>
<figure>${dailyChart(input.days, 'open-usage-chart', { main: '调用', second: '被拒绝' })}
<figcaption class="legend"><span class="searches"></span>成功调用<span class="zero"></span>被拒绝（超出调用量、未获授权等）</figcaption></figure>
<p><a href="/admin/open/usage.csv">下载调用明细（CSV）</a></p>
<details><summary>查看调用明细表</summary>
${
  input.usage.length
    ? html`<table><caption>按日、单位、接口的调用次数</caption><thead><tr><th scope="col">日期</th><th scope="col">单位</th><th scope="col">接口</th><th scope="col">调用</th><th scope="col">被拒绝</th></tr></thead>
<tbody>${input.usage.map((r) => html`<tr><th scope="row">${r.day}</th><td>${r.unitName}</td><td>${r.code} ${r.interfaceName}</td><td>${r.calls}</td><td>${r.refused}</td></tr>`)}</tbody></table>`
    : html`<p>近 30 天没有调用。</p>`
}</details></section>
${
  input.units
    ? html`<section aria-labelledby="h-units"><h2 id="h-units">数据使用单位（${input.units.length}）</h2>
<table><caption>暂停后，该单位的全部密钥立即失效，直到恢复</caption><thead><tr><th scope="col">单位</th><th scope="col">统一社会信用代码</th><th scope="col">状态</th><th scope="col">注册时间</th><th scope="col">操作</th></tr></thead>
<tbody>${input.units.map(
        (
          u,
        ) => html`<tr><th scope="row">${u.name}</th><td>${u.uscc}</td><td>${UNIT_STATUSES[u.status]}${u.suspendedReason ? `（${u.suspendedReason}）` : ''}</td><td>${shortTime(u.createdAt)}</td>
<td><form method="post" action="/admin/open/units/${u.id}" class="actions"><input type="hidden" name="csrf" value="${csrf}">${
          u.status === 'active'
            ? html`<label>暂停理由<input type="text" name="reason" maxlength="200"></label><button type="submit" name="action" value="suspend" class="secondary">暂停</button>`
            : html`<button type="submit" name="action" value="resume">恢复</button>`
        }</form></td></tr>`,
      )}</tbody></table></section>`
    : ''
}`;
  return adminPage({ title: '数据开放', viewer: input.viewer, current: 'open', body });
}

/** The sites whose interfaces this staff member answers for (null: all of them). */
async function ownedSites(db: D1Database, grants: Parameters<typeof can>[0]): Promise<string[] | null> {
  if (grants.some((g) => g.role === 'platform-admin')) return null;
  const parents = await parentMap(db);
  const { results } = await db.prepare('SELECT id FROM sites').all<{ id: string }>();
  return results.map((r) => r.id).filter((id) => can(grants, 'open.approve', { siteId: id }, parents));
}

export const openAdmin = new Hono<AppEnv>();

async function render(
  c: import('hono').Context<AppEnv>,
  extra: { notice?: string | null; error?: PageInput['error']; status?: 200 | 400 | 403 | 404 | 409 } = {},
) {
  const staff = staffOf(c);
  const all = await applicationsForReviewer(c.env.DB, staff, 'all');
  const owned = await ownedSites(c.env.DB, staff.grants);
  const scope: UsageScope = { ownerSiteIds: owned };
  const w = usageWindow();
  const usage = await usageRows(c.env.DB, scope, w.from, w.to);
  const units = canAnywhere(staff.grants, 'open.suspend')
    ? (await c.env.DB.prepare(`SELECT ${selectColumns(TABLES.openUnits)} FROM open_units ORDER BY created_at DESC LIMIT 500`).all()).results.map((r) =>
        fromRow(TABLES.openUnits, r),
      )
    : null;
  return c.html(
    openAdminPage({
      viewer: viewerOf(c),
      pending: all.filter((a) => a.status === 'pending').reverse(),
      decided: all.filter((a) => a.status !== 'pending' && a.decidedBy !== 'system'),
      usage,
      days: chartDays(usage, w.days),
      units,
      notice: extra.notice ?? null,
      error: extra.error ?? null,
    }),
    extra.status ?? 200,
    noStore,
  );
}

const NOTICES: Record<string, string> = {
  approved: '已批准，申请单位现在可以调用该接口。',
  rejected: '已记录不批准及理由。',
  suspended: '已暂停该单位。',
  resumed: '已恢复该单位。',
};

openAdmin.get('/open', authorize('openReview', 'review', 'page'), (c) => render(c, { notice: NOTICES[c.req.query('notice') ?? ''] ?? null }));

openAdmin.post('/open/applications/:id', authorize('openReview', 'review', 'page'), async (c) => {
  const form: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
  const id = c.req.param('id').slice(0, 80);
  const parsed = DecisionSchema.safeParse({ decision: form.decision, reason: typeof form.reason === 'string' ? form.reason : '' });
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return render(c, { error: { field: String(i.path[0] ?? 'decision'), message: i.message, target: id }, status: 400 });
  }
  const r = await decideApplication(c.env.DB, staffOf(c), id, parsed.data);
  if (!r.ok) return render(c, { error: { field: r.field, message: r.message, target: id }, status: r.status });
  return c.redirect(`/admin/open?notice=${r.value.status}`, 303);
});

openAdmin.post('/open/units/:id', authorize('openReview', 'suspend', 'page'), async (c) => {
  const form: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
  const parsed = SuspendSchema.safeParse({ action: form.action, reason: typeof form.reason === 'string' ? form.reason : '' });
  if (!parsed.success) return render(c, { error: { field: 'reason', message: parsed.error.issues[0]!.message }, status: 400 });
  const r = await setUnitStatus(c.env.DB, staffOf(c), c.req.param('id').slice(0, 80), {
    suspend: parsed.data.action === 'suspend',
    reason: parsed.data.reason,
  });
  if (!r.ok) return render(c, { error: { field: r.field, message: r.message }, status: r.status });
  return c.redirect(`/admin/open?notice=${parsed.data.action === 'suspend' ? 'suspended' : 'resumed'}`, 303);
});

openAdmin.get('/open/usage.csv', authorize('openReview', 'review', 'page'), async (c) => {
  const w = usageWindow();
  const rows = await usageRows(c.env.DB, { ownerSiteIds: await ownedSites(c.env.DB, staffOf(c).grants) }, w.from, w.to);
  return c.body(usageCsv(rows), 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="open-usage-${w.to}.csv"`,
    ...noStore,
  });
});

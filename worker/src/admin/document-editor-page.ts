/**
 * The editor: a new document (pick the site and column first), or an existing one — metadata form derived
 * from DraftSchema, rich-text body, attachments, pre-publish checks, and the workflow steps this account may
 * take in this state. The page script (admin-script.ts) sends it all to /api/cms; without it the page still
 * shows everything, read-only.
 */
import { html } from 'hono/html';
import {
  DOCUMENT_KINDS,
  DraftSchema,
  INTEREST_LABELS,
  STATES,
  formFieldsFrom,
  type CheckReport,
  type CmsDocument,
  type DocumentTag,
  type Draft,
} from '@ywtc/cms-schema';
import { adminPage, shortTime, type Viewer } from './admin-layout.ts';
import { POLICY_SEARCH_FORM, fieldBlock, type PolicyPicker } from './form-controls.ts';
import type { Permissions } from './workflow-actions.ts';
import type { SiteOption } from './document-queries.ts';

/** Derived once: a field added to DraftSchema is a field in this form. */
export const DRAFT_FIELDS = formFieldsFrom(DraftSchema);
export const fieldLabel = (name: string) => DRAFT_FIELDS.find((f) => f.name === name)?.label ?? name;

export interface ColumnOption {
  id: string;
  name: string;
  kind: string;
}

export function checksList(report: CheckReport | null) {
  if (!report) return html`<p class="meta">发布前检查在草稿阶段进行；本文档已不是草稿。</p>`;
  const item = (i: CheckReport['errors'][number]) =>
    html`<li data-field="${i.field}">${fieldLabel(i.field)}：${i.message}${i.excerpt ? html`（“${i.excerpt}”）` : ''}</li>`;
  return html`${
    report.errors.length
      ? html`<div class="err" data-testid="check-errors"><h3>必须修改（${report.errors.length}）</h3><ul>${report.errors.map(item)}</ul></div>`
      : html`<p class="ok" data-testid="check-ok">没有必须修改的问题。</p>`
  }
${report.warnings.length ? html`<div class="warn" data-testid="check-warnings"><h3>建议检查（${report.warnings.length}）</h3><ul>${report.warnings.map(item)}</ul></div>` : ''}`;
}

function workflowBlock(item: CmsDocument, p: Permissions) {
  const s = p.steps;
  if (s.size === 0) return html`<p class="meta">当前状态下您没有可进行的流程操作。</p>`;
  return html`<div data-document-id="${item.id}" data-revision="${item.revision}" class="workflow">
${s.has('submit') ? html`<div class="step"><p>提交后文档进入第 1 级审核（共 ${item.depth} 级），提交前会再次运行发布前检查。</p><button type="button" data-action="submit" id="action-submit">提交审核</button></div>` : ''}
${s.has('approve') ? html`<div class="step"><label for="approve-comment">审核意见（可选）</label><textarea id="approve-comment" data-for="approve" data-input="comment" maxlength="1000" rows="2"></textarea><button type="button" data-action="approve" id="action-approve">通过</button></div>` : ''}
${s.has('reject') ? html`<div class="step"><label for="reject-comment">退回意见（必填）</label><textarea id="reject-comment" data-for="reject" data-input="comment" required aria-required="true" maxlength="1000" rows="2"></textarea><button type="button" data-action="reject" id="action-reject">退回</button></div>` : ''}
${s.has('publish') ? html`<div class="step"><button type="button" data-action="publish" id="action-publish">发布</button></div>` : ''}
${s.has('schedule') ? html`<div class="step"><label for="schedule-at">定时发布时间（北京时间，须晚于当前时间至少 1 分钟）</label><input type="datetime-local" id="schedule-at" data-for="schedule" data-input="at" required aria-required="true"><button type="button" data-action="schedule" id="action-schedule">定时发布</button></div>` : ''}
${s.has('withdraw') ? html`<div class="step"><label for="withdraw-reason">撤回原因（必填）</label><textarea id="withdraw-reason" data-for="withdraw" data-input="reason" required aria-required="true" maxlength="1000" rows="2"></textarea><button type="button" data-action="withdraw" id="action-withdraw">撤回</button></div>` : ''}
${s.has('reopen') ? html`<div class="step"><button type="button" data-action="reopen" id="action-reopen">重新编辑</button></div>` : ''}
<p id="workflow-status" role="alert" data-testid="workflow-status"></p></div>`;
}

/** The picker's search: a GET of this very page (the document form is sent by the page script, and forms do not nest). */
const policySearchForm = (action: string, keep: Record<string, string>) =>
  html`<form id="${POLICY_SEARCH_FORM}" method="get" action="${action}#label-interprets">${Object.entries(keep).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}</form>`;

export function newDocumentPage(input: {
  viewer: Viewer;
  sites: SiteOption[];
  site: string | null;
  columns: ColumnOption[];
  column: string | null;
  policy?: PolicyPicker;
}) {
  const { sites, site, columns } = input;
  const column = columns.find((c) => c.id === input.column) ?? columns[0];
  const kindOfColumn = column?.kind;
  const defaults: Partial<Draft> = { kind: (kindOfColumn && kindOfColumn in DOCUMENT_KINDS ? kindOfColumn : 'article') as Draft['kind'] };
  const body = html`<h1>新建文档</h1>
${
  sites.length === 0
    ? html`<p class="err" role="alert">您没有可以创建文档的网站。</p>`
    : html`
<form method="get" action="/admin/documents/new" class="filters" id="choose-site-form"><label for="new-site">网站</label><select id="new-site" name="site">${sites.map((s) => html`<option value="${s.id}"${s.id === site ? html` selected` : ''}>${s.name}</option>`)}</select><button type="submit" id="choose-site" class="secondary">选择网站</button></form>
${
  site
    ? html`<p id="page-status" role="status" aria-live="polite"></p>
<form id="document-form" data-mode="new" novalidate>
<input type="hidden" name="siteId" id="field-siteId" value="${site}">
<div class="field"><label for="field-columnId">栏目<span class="req">（必填）</span></label>
<select id="field-columnId" name="columnId" required aria-required="true">${columns.map((c) => html`<option value="${c.id}" data-kind="${c.kind}"${c === column ? html` selected` : ''}>${c.name}</option>`)}</select>
<p class="field-error" id="error-columnId" hidden></p></div>
${DRAFT_FIELDS.map((f) => fieldBlock(f, (defaults as Record<string, unknown>)[f.name] ?? f.default, { disabled: false, uploadable: false, policy: input.policy }))}
<div class="actions"><button type="submit" data-action="create" id="save-button">创建草稿</button></div></form>
${policySearchForm('/admin/documents/new', { site, ...(column ? { column: column.id } : {}) })}`
    : html`<p>请先选择网站。</p>`
}`
}`;
  return adminPage({ title: '新建文档', viewer: input.viewer, current: 'new', body, script: true });
}

/** Page updates still owed for this document (render_queue): the change stands, its pages follow when the Cron Trigger retries. */
export interface PendingPages {
  sites: number;
  attempts: number;
  lastError: string | null;
}

export function editDocumentPage(input: {
  viewer: Viewer;
  item: CmsDocument;
  draft: Draft;
  siteName: string;
  columnName: string;
  permissions: Permissions;
  checks: CheckReport | null;
  pending?: PendingPages | null;
  /** The published document's interest tags (千人千网). */
  tags?: DocumentTag[];
  /** The 索引号 given at publish when the draft has none (cms/index-numbers.ts). */
  assignedIndexNumber?: string | null;
  policy?: PolicyPicker;
}) {
  const { item, draft, permissions: p } = input;
  const tags = input.tags ?? [];
  const readOnly = !p.write;
  const body = html`<h1>${readOnly ? '查看文档' : '编辑文档'}：<span id="doc-title">${draft.title}</span></h1>
<p class="meta" id="doc-meta">${input.siteName} · ${input.columnName} · 状态 <span class="state" id="doc-state" data-state="${item.state}">${STATES[item.state]}${item.state === 'review' ? `（第 ${item.level ?? 1}/${item.depth} 级）` : ''}</span>
 · 修订 <span id="doc-revision">${item.revision}</span> · 更新于 ${shortTime(item.updatedAt)}${item.publishedAt ? html` · 发布于 ${shortTime(item.publishedAt)}` : ''}${item.scheduledAt ? html` · 定时 ${shortTime(item.scheduledAt)}` : ''}
 · <a href="/admin/documents/${item.id}/revisions" id="revisions-link">修订历史与比较</a> · <a href="/admin/documents/${item.id}/preview" id="preview-link" target="_blank" rel="noopener">预览（按网站模板，在新页面打开）</a>${
   input.assignedIndexNumber ? html` · 索引号 <span id="assigned-index-number">${input.assignedIndexNumber}</span>（发布时自动编号）` : ''
 }</p>
${
  tags.length
    ? html`<p class="meta" id="doc-tags">兴趣标签：${tags.map((t) => `${INTEREST_LABELS[t.interest]}（${t.source === 'editor' ? '编辑选定' : `自动 ${Math.round(t.confidence * 100)}%`}）`).join('、')}${
        tags.some((t) => t.needsReview) ? html` <strong class="warn">自动标注把握不足，请在“兴趣领域”中选定后保存发布</strong>` : ''
      }</p>`
    : ''
}
${readOnly && item.state !== 'draft' ? html`<p class="meta">只有草稿可以修改；已提交的文档须退回后再改。</p>` : ''}
${input.pending ? html`<p class="warn" role="status" id="pages-pending" data-testid="pages-pending">网站页面尚未全部更新（${input.pending.sites} 个网站，已尝试 ${input.pending.attempts} 次），系统每分钟自动重试${input.pending.lastError ? html`；最近一次错误：${input.pending.lastError}` : ''}。</p>` : ''}
<div id="conflict" class="err" role="alert" hidden data-testid="conflict"></div>
<p id="page-status" role="status" aria-live="polite"></p>
<form id="document-form" data-mode="edit" data-document-id="${item.id}" data-revision="${item.revision}" novalidate>
${DRAFT_FIELDS.map((f) => fieldBlock(f, (draft as Record<string, unknown>)[f.name] ?? f.default, { disabled: readOnly, uploadable: p.write, policy: input.policy }))}
${p.write ? html`<div class="actions"><button type="submit" data-action="save" id="save-button">保存</button></div>` : ''}</form>
${readOnly ? '' : policySearchForm(`/admin/documents/${item.id}`, {})}
<section aria-labelledby="checks-heading" id="checks-section"><h2 id="checks-heading">发布前检查</h2>
<div id="checks" data-testid="checks">${checksList(input.checks)}</div>
${item.state === 'draft' ? html`<button type="button" class="secondary" data-action="checks" id="action-checks">重新检查</button>` : ''}</section>
<section aria-labelledby="workflow-heading"><h2 id="workflow-heading">审核与发布</h2>${workflowBlock(item, p)}</section>`;
  return adminPage({ title: draft.title, viewer: input.viewer, current: 'documents', body, script: true });
}

/**
 * 导入待分类 (/admin/import/queue): imported documents whose 主题分类 or 兴趣领域 the classifiers were unsure of,
 * for the editors of the owning sites. Each row shows the guesses with their confidence and, folded in a
 * <details>, a plain form to confirm or correct them (no script; the session's CSRF token in each form).
 */
import { html } from 'hono/html';
import { INTEREST_CODES, INTEREST_LABELS, LOW_CONFIDENCE } from '@ywtc/cms-schema';
import { POLICY_TOPICS } from '@ywtc/cms-schema/topics';
import { policyTopicOf, TOPIC_REVIEW_THRESHOLD } from '@ywtc/cms-schema/topic-classify';
import { adminPage, type Viewer } from '../admin/admin-layout.ts';
import { QUEUE_KINDS, QUEUE_PAGE_SIZE, type QueueItem, type QueueQuery } from './classification.ts';

export interface QueueSite {
  id: string;
  name: string;
}

const percent = (x: number) => `${Math.round(x * 100)}%`;

/** The list's own address with these filters (and page). */
export function queueHref(q: Pick<QueueQuery, 'site' | 'kind' | 'page'>, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  if (q.site) p.set('site', q.site);
  if (q.kind !== 'all') p.set('kind', q.kind);
  if (q.page > 1) p.set('page', String(q.page));
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  const s = p.toString();
  return `/admin/import/queue${s ? `?${s}` : ''}`;
}

function confirmForm(item: QueueItem, i: number, viewer: Viewer, q: QueueQuery) {
  const first = policyTopicOf(item.topic?.topic);
  const chosen = new Set(item.interests.map((t) => t.interest));
  return html`<details><summary>确认或更正<span class="visually-hidden">：${item.title}</span></summary>
<form method="post" action="/admin/import/queue/${encodeURIComponent(item.id)}"><input type="hidden" name="csrf" value="${viewer.csrf}">
<input type="hidden" name="site" value="${q.site ?? ''}"><input type="hidden" name="kind" value="${q.kind}"><input type="hidden" name="page" value="${String(q.page)}">
<p><label for="topic-${i}">主题分类</label> <select id="topic-${i}" name="topic" required>${POLICY_TOPICS.map(
    (t) => html`<option value="${t}"${t === first ? html` selected` : ''}>${t}</option>`,
  )}</select></p>
<fieldset><legend>兴趣领域</legend>${INTEREST_CODES.map(
    (code) =>
      html`<label class="choice"><input type="checkbox" name="interests" value="${code}"${chosen.has(code) ? html` checked` : ''}> ${INTEREST_LABELS[code]}</label> `,
  )}</fieldset>
<button type="submit">保存</button></form></details>`;
}

function row(item: QueueItem, i: number, viewer: Viewer, q: QueueQuery) {
  const topic = item.topic
    ? html`${item.topic.topic}（${percent(item.topic.confidence)}）${item.topic.needsReview ? html` <strong>待确认</strong>` : ''}`
    : html`（无）`;
  const interests = item.interests.length
    ? html`${item.interests.map((t, j) => html`${j ? '、' : ''}${INTEREST_LABELS[t.interest] ?? t.interest}（${percent(t.confidence)}）`)}${
        item.interests.some((t) => t.needsReview) ? html` <strong>待确认</strong>` : ''
      }`
    : html`（无）`;
  return html`<tr data-document="${item.id}"><td><a href="/admin/documents/${encodeURIComponent(item.id)}">${item.title}</a></td><td>${item.siteName}</td><td>${topic}</td><td>${interests}</td><td>${confirmForm(item, i, viewer, q)}</td></tr>`;
}

export function queuePage(input: {
  viewer: Viewer;
  sites: QueueSite[];
  query: QueueQuery;
  items: QueueItem[];
  total: number;
  notice: string | null;
  error: string | null;
}) {
  const { viewer, sites, query: q, items, total } = input;
  const pages = Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE));
  const body = html`<h1>导入待分类</h1>
${input.notice ? html`<p class="ok" role="status">${input.notice}</p>` : ''}${input.error ? html`<p class="err" role="alert">${input.error}</p>` : ''}
<p>以下是从其他平台或旧网站导入的文档中，系统自动判断把握不足的：主题分类的把握低于 ${percent(TOPIC_REVIEW_THRESHOLD)}，或兴趣领域的把握低于 ${percent(LOW_CONFIDENCE)}。请确认或更正后保存，保存后以编辑的选择为准，并同步到搜索和个性化推荐。</p>
${
  sites.length
    ? html`<form method="get" action="/admin/import/queue" class="filters"><label for="queue-site">网站</label> <select id="queue-site" name="site"><option value="">全部网站</option>${sites.map(
        (s) => html`<option value="${s.id}"${s.id === q.site ? html` selected` : ''}>${s.name}</option>`,
      )}</select>
<label for="queue-kind">类型</label> <select id="queue-kind" name="kind">${Object.entries(QUEUE_KINDS).map(
        ([k, label]) => html`<option value="${k}"${k === q.kind ? html` selected` : ''}>${label}</option>`,
      )}</select> <button type="submit">筛选</button></form>
${
  items.length
    ? html`<table id="import-queue"><caption>共 ${total} 篇待确认，第 ${q.page}/${pages} 页</caption><thead><tr><th scope="col">标题</th><th scope="col">网站</th><th scope="col">主题分类（自动）</th><th scope="col">兴趣领域（自动）</th><th scope="col">操作</th></tr></thead>
<tbody>${items.map((item, i) => row(item, i, viewer, q))}</tbody></table>
${
  pages > 1
    ? html`<nav class="pager" aria-label="分页">${q.page > 1 ? html`<a href="${queueHref({ ...q, page: q.page - 1 })}" rel="prev">上一页</a>` : ''}<span>第 ${q.page} / ${pages} 页</span>${
        q.page < pages ? html`<a href="${queueHref({ ...q, page: q.page + 1 })}" rel="next">下一页</a>` : ''
      }</nav>`
    : ''
}`
    : html`<p>没有待确认分类的导入文档。</p>`
}`
    : html`<p>您没有可编辑文档的网站。</p>`
}`;
  return adminPage({ title: '导入待分类', viewer, current: 'import', body });
}

/**
 * 修订历史: every saved revision, two picked for comparison (field by field; the body and summary line by
 * line as <del>/<ins>), and 恢复 — an earlier revision's content saved as a new revision (drafts only).
 */
import { html } from 'hono/html';
import type { CmsDocument, FieldChange } from '@ywtc/cms-schema';
import { adminPage, shortTime, type Viewer } from './admin-layout.ts';
import { fieldLabel } from './document-editor-page.ts';
import type { RevisionInfo } from '../cms/documents.ts';

const shown = (v: unknown) =>
  v === null || v === undefined || v === ''
    ? '（空）'
    : typeof v === 'string'
      ? v
      : Array.isArray(v) && v.every((x) => typeof x === 'string')
        ? v.join('，')
        : JSON.stringify(v);

function change(c: FieldChange) {
  return html`<section class="step" data-field="${c.field}" data-testid="diff-field"><h3>${fieldLabel(c.field)}</h3>${
    c.lines
      ? html`<ol class="diff">${c.lines.map((l) => (l.op === '+' ? html`<li><ins>${l.text}</ins></li>` : l.op === '-' ? html`<li><del>${l.text}</del></li>` : html`<li>${l.text}</li>`))}</ol>`
      : html`<p>原：<del>${shown(c.before)}</del></p><p>新：<ins>${shown(c.after)}</ins></p>`
  }</section>`;
}

export function revisionsPage(input: {
  viewer: Viewer;
  item: CmsDocument;
  title: string;
  revisions: RevisionInfo[];
  authors: Map<string, string>;
  from: number;
  to: number;
  changes: FieldChange[] | null;
  canRestore: boolean;
}) {
  const { item } = input;
  const body = html`<h1>修订历史：${input.title}</h1>
<p><a href="/admin/documents/${item.id}" id="back-to-editor">返回文档</a> · 当前修订 ${item.revision}</p>
<p id="page-status" role="status" aria-live="polite"></p>
<form method="get" action="/admin/documents/${item.id}/revisions" id="compare-form">
<table data-document-id="${item.id}" data-revision="${item.revision}" id="revision-list"><caption>选择两个修订进行比较</caption>
<thead><tr><th scope="col">修订</th><th scope="col">作者</th><th scope="col">保存时间</th><th scope="col">比较：旧</th><th scope="col">比较：新</th>${input.canRestore ? html`<th scope="col">操作</th>` : ''}</tr></thead>
<tbody>${input.revisions.map(
    (
      r,
    ) => html`<tr><th scope="row">${r.revision}${r.revision === item.revision ? '（当前）' : ''}</th><td>${input.authors.get(r.authorId) ?? r.authorId}</td><td>${shortTime(r.createdAt)}</td>
<td><input type="radio" name="from" value="${r.revision}" id="from-${r.revision}" aria-label="修订 ${r.revision} 作为旧版本"${r.revision === input.from ? html` checked` : ''}></td>
<td><input type="radio" name="to" value="${r.revision}" id="to-${r.revision}" aria-label="修订 ${r.revision} 作为新版本"${r.revision === input.to ? html` checked` : ''}></td>
${input.canRestore ? html`<td>${r.revision === item.revision ? '' : html`<button type="button" class="secondary" data-action="restore" data-from="${r.revision}" id="restore-${r.revision}">恢复此修订</button>`}</td>` : ''}</tr>`,
  )}</tbody></table>
<button type="submit" id="compare-submit">比较所选修订</button></form>
<section aria-labelledby="diff-heading" id="diff"><h2 id="diff-heading">修订 ${input.from} → 修订 ${input.to} 的变化</h2>
${input.changes === null ? html`<p>只有一个修订，没有可比较的内容。</p>` : input.changes.length === 0 ? html`<p id="diff-empty">两个修订内容相同。</p>` : input.changes.map(change)}</section>`;
  return adminPage({ title: `修订历史：${input.title}`, viewer: input.viewer, current: 'documents', body, script: input.canRestore });
}

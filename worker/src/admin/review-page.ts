/** 审核队列: what waits at a review level this account signs off, oldest first, with 通过 and 退回 (comment required). */
import { html } from 'hono/html';
import { adminPage, shortTime, type Viewer } from './admin-layout.ts';
import type { DocRow } from './document-queries.ts';
import { stateText } from './document-list-page.ts';

export function reviewPage(input: { viewer: Viewer; rows: DocRow[] }) {
  const body = html`<h1>审核队列</h1>
<p id="page-status" role="status" aria-live="polite"></p>
${
  input.rows.length === 0
    ? html`<p id="review-empty">没有等待您审核的文档。</p>`
    : html`<table id="review-list" data-testid="review-list"><caption>按提交先后排列，共 ${input.rows.length} 篇</caption>
<thead><tr><th scope="col">标题</th><th scope="col">网站 / 栏目</th><th scope="col">审核级别</th><th scope="col">提交时间</th><th scope="col">操作</th></tr></thead>
<tbody>${input.rows.map(
        (
          r,
        ) => html`<tr data-document-id="${r.id}" data-revision="${r.revision}"><td><a href="/admin/documents/${r.id}">${r.title}</a><br><span class="meta">${r.id}</span><br><a href="/admin/documents/${r.id}/preview" target="_blank" rel="noopener" data-testid="preview-link" aria-label="预览：${r.title}（按网站模板，在新页面打开）">预览</a></td>
<td>${r.siteName}<br><span class="meta">${r.columnName ?? r.columnId}</span></td><td>${stateText(r)}</td><td>${shortTime(r.updatedAt)}</td>
<td><button type="button" data-action="approve" aria-label="通过：${r.title}">通过</button>
<label for="reject-comment-${r.id}">退回意见（必填）</label><textarea id="reject-comment-${r.id}" data-for="reject" data-input="comment" required aria-required="true" maxlength="1000" rows="2"></textarea>
<button type="button" data-action="reject" class="secondary" aria-label="退回：${r.title}">退回</button><p class="row-status" role="alert"></p></td></tr>`,
      )}</tbody></table>`
}`;
  return adminPage({ title: '审核队列', viewer: input.viewer, current: 'review', body, script: true });
}

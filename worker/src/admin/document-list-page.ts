/** 内容列表: the documents this account may see, filtered by site, column, state, kind and title, 20 a page. */
import { html } from 'hono/html';
import { DOCUMENT_KINDS, STATES } from '@ywtc/cms-schema';
import { adminPage, shortTime, type Viewer } from './admin-layout.ts';
import type { DocRow, ListFilter, SiteOption } from './document-queries.ts';
import type { ColumnOption } from './document-editor-page.ts';

const stateText = (r: Pick<DocRow, 'state' | 'level' | 'depth'>) => `${STATES[r.state]}${r.state === 'review' ? `（第 ${r.level ?? 1}/${r.depth} 级）` : ''}`;
export { stateText };

function query(f: ListFilter, page: number) {
  const q = new URLSearchParams();
  for (const k of ['site', 'column', 'state', 'kind', 'q'] as const) if (f[k]) q.set(k, f[k]);
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return `/admin/documents${s ? `?${s}` : ''}`;
}

const options = (entries: [string, string][], selected: string | null) =>
  entries.map(([v, label]) => html`<option value="${v}"${v === selected ? html` selected` : ''}>${label}</option>`);

export function documentListPage(input: {
  viewer: Viewer;
  filter: ListFilter;
  sites: SiteOption[];
  columns: ColumnOption[];
  rows: DocRow[];
  total: number;
  page: number;
  pages: number;
  truncated: boolean;
}) {
  const f = input.filter;
  const body = html`<h1>内容列表</h1>
<form method="get" action="/admin/documents" class="filters" role="search" aria-label="筛选文档" id="filter-form">
<label>网站<select name="site" id="filter-site"><option value="">全部网站</option>${options(
    input.sites.map((s) => [s.id, s.name]),
    f.site,
  )}</select></label>
${
  f.site
    ? html`<label>栏目<select name="column" id="filter-column"><option value="">全部栏目</option>${options(
        input.columns.map((c) => [c.id, c.name]),
        f.column,
      )}</select></label>`
    : ''
}
<label>状态<select name="state" id="filter-state"><option value="">全部状态</option>${options(Object.entries(STATES), f.state)}</select></label>
<label>类型<select name="kind" id="filter-kind"><option value="">全部类型</option>${options(Object.entries(DOCUMENT_KINDS), f.kind)}</select></label>
<label>标题包含<input type="search" name="q" id="filter-q" value="${f.q ?? ''}" maxlength="100"></label>
<button type="submit" id="filter-submit">筛选</button></form>
${f.site ? '' : html`<p class="meta">选择网站后可按栏目筛选。</p>`}
<p role="status" id="list-count">共 ${input.total} 篇${input.truncated ? '（匹配较多，只列出最近更新的部分，请缩小筛选范围）' : ''}。</p>
${
  input.rows.length === 0
    ? html`<p id="list-empty">没有符合条件的文档。</p>`
    : html`<table id="document-list" data-testid="document-list"><caption>第 ${input.page}/${input.pages} 页，按更新时间排列</caption>
<thead><tr><th scope="col">标题</th><th scope="col">网站 / 栏目</th><th scope="col">类型</th><th scope="col">状态</th><th scope="col">更新时间</th></tr></thead>
<tbody>${input.rows.map(
        (
          r,
        ) => html`<tr data-document-id="${r.id}"><td><a href="/admin/documents/${r.id}" data-testid="document-link">${r.title}</a><br><span class="meta">${r.id}</span></td>
<td>${r.siteName}<br><span class="meta">${r.columnName ?? r.columnId}</span></td><td>${r.kind ? (DOCUMENT_KINDS[r.kind] ?? r.kind) : ''}</td><td data-state="${r.state}">${stateText(r)}</td><td>${shortTime(r.updatedAt)}</td></tr>`,
      )}</tbody></table>`
}
${input.pages > 1 ? html`<nav class="pager" aria-label="分页">${input.page > 1 ? html`<a href="${query(f, input.page - 1)}" rel="prev" id="page-prev">上一页</a>` : ''}<span>第 ${input.page} / ${input.pages} 页</span>${input.page < input.pages ? html`<a href="${query(f, input.page + 1)}" rel="next" id="page-next">下一页</a>` : ''}</nav>` : ''}`;
  return adminPage({ title: '内容列表', viewer: input.viewer, current: 'documents', body });
}

/**
 * The CMS's own pages (server-rendered, Chinese, no script needed; 适老化 sizes): login and the work list —
 * what waits for my review, and the documents of the sites I work on; each links to its editor (document-pages.ts).
 */
import { html } from 'hono/html';
import { ROLES, STATES, type Grant, type State } from '@ywtc/cms-schema';
import { adminPage, shortTime, type Viewer } from './admin-layout.ts';

export function loginPage(error: string | null, username = '', next = '/admin') {
  return adminPage({
    title: '登录',
    body: html`<h1>登录</h1>
${error ? html`<p class="err" role="alert">${error}</p>` : ''}
<form method="post" action="/admin/login">
<input type="hidden" name="next" value="${next}">
<label>用户名<input name="username" autocomplete="username" required maxlength="40" value="${username}"></label>
<label>密码<input name="password" type="password" autocomplete="current-password" required maxlength="128"></label>
<button type="submit">登录</button></form>`,
  });
}

export interface WorkItem {
  id: string;
  siteId: string;
  siteName: string;
  title: string;
  state: State;
  level: number | null;
  depth: number;
  updatedAt: string;
}

function table(caption: string, rows: WorkItem[], empty: string) {
  if (rows.length === 0) return html`<p>${empty}</p>`;
  return html`<table><caption>${caption}</caption><thead><tr><th scope="col">标题</th><th scope="col">网站</th><th scope="col">状态</th><th scope="col">更新时间</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td><a href="/admin/documents/${r.id}">${r.title}</a><br><span class="meta">${r.id}</span></td><td>${r.siteName}</td><td>${STATES[r.state]}${r.state === 'review' ? `（第 ${r.level ?? 1}/${r.depth} 级）` : ''}</td><td>${shortTime(r.updatedAt)}</td></tr>`)}</tbody></table>`;
}

export function workPage(input: { viewer: Viewer; grants: Grant[]; siteNames: Map<string, string>; review: WorkItem[]; documents: WorkItem[] }) {
  const roles = input.grants.map(
    (g) => `${ROLES[g.role]}${g.siteId ? `（${input.siteNames.get(g.siteId) ?? g.siteId}${g.level ? `，第 ${g.level} 级` : ''}）` : '（全平台）'}`,
  );
  return adminPage({
    title: '工作台',
    viewer: input.viewer,
    current: 'work',
    body: html`<h1>工作台</h1><p class="meta">我的角色：${roles.join('；') || '无'}</p>
<h2>待我审核</h2>${table('按提交时间排列', input.review, '没有等待您审核的文档。')}
<h2>我所管网站的文档</h2>${table('最近更新的 200 篇', input.documents, '您所管的网站还没有文档。')}
<p><a href="/admin/documents">全部文档（可筛选）</a> · <a href="/admin/documents/new">新建文档</a> · <a href="/admin/review">审核队列</a></p>`,
  });
}

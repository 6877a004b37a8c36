/**
 * The CMS's own pages (server-rendered, Chinese, no script needed; 适老化 sizes): login and the work list —
 * what waits for my review, and the documents of the sites I work on. The editor screens come next (issue 4).
 */
import { html } from 'hono/html';
import { ROLES, STATES, type Grant, type State } from '@ywtc/cms-schema';

const STYLE = html`<style>
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",system-ui,sans-serif;margin:0;color:#1a1a1a;line-height:1.7;font-size:18px}
header{background:#b3121b;color:#fff;padding:.8rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}header a{color:#fff}
main{max-width:64rem;margin:0 auto;padding:1rem}label{display:flex;flex-direction:column;gap:.2rem;margin:.6rem 0}
input,button,select{font:inherit;padding:.5rem .7rem;border:2px solid #555;border-radius:4px;min-height:2.75rem}
button{background:#b3121b;color:#fff;border-color:#8a0d14;cursor:pointer}:focus-visible{outline:3px solid #0b4f9c;outline-offset:2px}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;padding:.5rem;text-align:left}caption{text-align:left;font-weight:bold;padding:.4rem 0}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:.5rem;background:#fff;padding:.3rem .6rem}
.err{background:#fdecea;border-left:4px solid #b3121b;padding:.6rem 1rem}.meta{color:#444;font-size:.95rem}a{color:#0b4f9c}
</style>`;

const page = (title: string, body: unknown) => html`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${title} - 一网通查内容管理</title>${STYLE}</head>
<body><a href="#main" class="skip">跳到主要内容</a>${body}</body></html>`;

export function loginPage(error: string | null, username = '') {
  return page('登录', html`<header><strong>一网通查 · 内容管理</strong></header>
<main id="main"><h1>登录</h1>
${error ? html`<p class="err" role="alert">${error}</p>` : ''}
<form method="post" action="/admin/login">
<label>用户名<input name="username" autocomplete="username" required maxlength="40" value="${username}"></label>
<label>密码<input name="password" type="password" autocomplete="current-password" required maxlength="128"></label>
<button type="submit">登录</button></form></main>`);
}

export interface WorkItem { id: string; siteId: string; siteName: string; title: string; state: State; level: number | null; depth: number; updatedAt: string }

function table(caption: string, rows: WorkItem[], empty: string) {
  if (rows.length === 0) return html`<p>${empty}</p>`;
  return html`<table><caption>${caption}</caption><thead><tr><th scope="col">标题</th><th scope="col">网站</th><th scope="col">状态</th><th scope="col">更新时间</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td>${r.title}<br><span class="meta">${r.id}</span></td><td>${r.siteName}</td><td>${STATES[r.state]}${r.state === 'review' ? `（第 ${r.level}/${r.depth} 级）` : ''}</td><td>${r.updatedAt.slice(0, 16).replace('T', ' ')}</td></tr>`)}</tbody></table>`;
}

export function workPage(input: { displayName: string; grants: Grant[]; siteNames: Map<string, string>; review: WorkItem[]; documents: WorkItem[]; csrf: string }) {
  const roles = input.grants.map((g) => `${ROLES[g.role]}${g.siteId ? `（${input.siteNames.get(g.siteId) ?? g.siteId}${g.level ? `，第 ${g.level} 级` : ''}）` : '（全平台）'}`);
  return page('工作台', html`<header><strong>一网通查 · 内容管理</strong><span>${input.displayName}</span>
<form method="post" action="/admin/logout" style="margin-left:auto"><input type="hidden" name="csrf" value="${input.csrf}"><button type="submit">退出登录</button></form></header>
<main id="main"><h1>工作台</h1><p class="meta">我的角色：${roles.join('；') || '无'}</p>
<h2>待我审核</h2>${table('按提交时间排列', input.review, '没有等待您审核的文档。')}
<h2>我所管网站的文档</h2>${table('最近更新的 200 篇', input.documents, '您所管的网站还没有文档。')}
</main>`);
}

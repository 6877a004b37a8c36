/**
 * The frame of every CMS admin page: lang="zh-CN", a skip link, landmarks, the navigation, the logout form,
 * the session's CSRF token for the page script, and one stylesheet and one script from /admin/assets (the
 * Content-Security-Policy allows nothing inline). Every value goes through hono's `html`, which escapes it.
 */
import { html } from 'hono/html';
import { formatPublishTime } from '@ywtc/cms-schema';

export const ASSET_CSS = '/admin/assets/admin.css';
export const ASSET_JS = '/admin/assets/admin.js';

/** Sent with every /admin page of the CMS: scripts and styles only from this origin, nothing inline. */
export const ADMIN_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https: http:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export type NavKey =
  'work' | 'documents' | 'new' | 'review' | 'qa' | 'search' | 'sites' | 'open' | 'hot' | 'tags' | 'import' | 'consult' | 'inspect' | 'dashboard' | 'domains';
export const NAV: [NavKey, string, string][] = [
  ['work', '/admin', '工作台'],
  ['documents', '/admin/documents', '内容列表'],
  ['new', '/admin/documents/new', '新建文档'],
  ['review', '/admin/review', '审核队列'],
  ['qa', '/admin/qa', '政策问答'],
  ['search', '/admin/search', '搜索管理'],
  ['sites', '/admin/sites', '网站模板'],
  ['open', '/admin/open', '数据开放'],
  ['hot', '/admin/hot', '热点信息'],
  ['tags', '/admin/tags', '标签待确认'],
  ['import', '/admin/import/queue', '导入待分类'],
  ['consult', '/admin/consult', '网民留言'],
  ['inspect', '/admin/inspect', '网站检查'],
  ['dashboard', '/admin/dashboard', '决策辅助'],
  ['domains', '/admin/domains', '域名管理'],
];

/** Who is looking, and which parts of the admin their grants open (admin/viewer.ts). */
export interface Viewer {
  displayName: string;
  csrf: string;
  nav: ReadonlySet<NavKey>;
}

export function adminPage(input: { title: string; viewer?: Viewer; current?: NavKey; body: unknown; script?: boolean }) {
  const v = input.viewer;
  return html`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
${v ? html`<meta name="csrf-token" content="${v.csrf}">` : ''}<title>${input.title} - 一网通查内容管理</title><link rel="stylesheet" href="${ASSET_CSS}">${input.script ? html`<script src="${ASSET_JS}" defer></script>` : ''}</head>
<body><a href="#main" class="skip">跳到主要内容</a>
<header class="top"><strong>一网通查 · 内容管理</strong>${
    v
      ? html`
<nav aria-label="主导航"><ul>${NAV.filter(([key]) => v.nav.has(key)).map(([key, href, label]) => html`<li><a href="${href}"${key === input.current ? html` aria-current="page"` : ''}>${label}</a></li>`)}</ul></nav>
<span class="who">${v.displayName}</span>
<form method="post" action="/admin/logout" class="logout"><input type="hidden" name="csrf" value="${v.csrf}"><button type="submit">退出登录</button></form>`
      : ''
  }</header>
<main id="main" tabindex="-1">${input.body}</main></body></html>`;
}

/** `YYYY-MM-DD HH:MM` China time of a stored instant. */
export const shortTime = (iso: string | null) => (iso ? formatPublishTime(iso) : '');

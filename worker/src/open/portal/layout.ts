/**
 * The frame of the open-data portal's pages (数据开放门户): lang="zh-CN", a skip link, landmarks, the
 * portal's navigation, the signed-in unit with its logout form, and one stylesheet from /open/assets (the
 * Content-Security-Policy allows nothing inline, and the portal needs no script). Values go through hono's
 * `html`, which escapes them.
 */
import { html } from 'hono/html';
import { ADMIN_STYLE } from '../../admin/admin-style.ts';

export const PORTAL_CSS = '/open/assets/portal.css';
export const PORTAL_STYLE = `${ADMIN_STYLE}
.top{background:#0b4f9c}.top .brand{font-size:1.15rem}
button{background:#0b4f9c;border-color:#083a73}.err{border-left-color:#b3121b}
.key{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.05rem;word-break:break-all;background:#fff8e1;border:2px solid #8a6d00;padding:.6rem 1rem}
pre{background:#f5f5f5;border:1px solid #ccc;padding:.6rem;overflow:auto;font-size:.9rem;max-height:28rem}
.tag{display:inline-block;padding:0 .4rem;border-radius:3px;font-size:.9rem;border:1px solid #555}.tag.conditional{background:#fff3e0;border-color:#a33f00;color:#7a2f00}
.tag.unconditional{background:#e8f5e9;border-color:#1b5e20;color:#1b5e20}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:1rem}.cards>*{border:1px solid #ccc;border-radius:4px;padding:.6rem 1rem}
.legend span{display:inline-block;width:1rem;height:1rem;margin:0 .3rem 0 1rem;vertical-align:middle}
.legend .searches{background:#0b4f9c}.legend .zero{background:#a33f00}
.chart{max-width:100%;height:auto}.foot{max-width:72rem;margin:2rem auto;padding:0 1rem}
@media (max-width:40rem){table{font-size:.95rem}th,td{padding:.35rem}}
`;

export const PORTAL_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The unit signed in, as the pages show it. */
export interface PortalViewer {
  unitName: string;
  csrf: string;
}

export type PortalNav = 'catalogue' | 'docs' | 'account' | 'register' | 'login';

export function portalPage(input: { title: string; viewer?: PortalViewer | null; current?: PortalNav; body: unknown }) {
  const v = input.viewer;
  const link = (key: PortalNav, href: string, label: string) =>
    html`<li><a href="${href}"${key === input.current ? html` aria-current="page"` : ''}>${label}</a></li>`;
  return html`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title} - 一网通查数据开放</title><link rel="stylesheet" href="${PORTAL_CSS}"></head>
<body><a href="#main" class="skip">跳到主要内容</a>
<header class="top"><strong class="brand">一网通查 · 广西政府网站数据开放</strong>
<nav aria-label="主导航"><ul>${link('catalogue', '/open', '开放目录')}${link('docs', '/open/docs', '接口规范')}<li><a href="/open/docs/api">接口调试</a></li>${
    v ? link('account', '/open/account', '我的单位') : html`${link('register', '/open/register', '单位注册')}${link('login', '/open/login', '登录')}`
  }</ul></nav>
${v ? html`<span class="who">${v.unitName}</span><form method="post" action="/open/logout" class="logout"><input type="hidden" name="csrf" value="${v.csrf}"><button type="submit">退出登录</button></form>` : ''}</header>
<main id="main" tabindex="-1">${input.body}</main>
<footer class="meta foot">数据由各级政府网站的主办单位提供；接口规范见 <a href="/open/docs">信息共享开放标准接口规范</a>。</footer></body></html>`;
}

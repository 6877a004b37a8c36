/**
 * The interface standard at /open/docs: docs/open-data.md (bundled as text, rendered with marked) followed by
 * appendices generated from the same definitions as the interfaces — every dataset's fields and filters
 * (cms-schema zod schemas) and every problem type. /open/docs/api is the interactive reference (Scalar's API
 * reference reading /open/openapi.json), its script served from the Worker's static assets, not a CDN.
 */
import { Hono } from 'hono';
import { html, raw } from 'hono/html';
import { marked } from 'marked';
import { DATASETS, DATASET_KEYS, OPEN_TOPICS } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { principalOf } from '../access/authenticate.ts';
import STANDARD from '../../../docs/open-data.md';
import { QUERIES } from './datasets/index.ts';
import { fieldsOf, type FieldInfo } from './describe.ts';
import { PROBLEM_TYPES, type ProblemType } from './problem.ts';
import { PORTAL_CSP, portalPage } from './portal/layout.ts';

const STATUS: Record<ProblemType, number> = {
  'invalid-parameter': 400,
  'key-in-query': 400,
  unauthenticated: 401,
  'key-revoked': 401,
  'key-expired': 401,
  'unit-suspended': 401,
  forbidden: 403,
  'grant-expired': 403,
  'rate-limited': 429,
  'quota-exhausted': 429,
  'not-found': 404,
  'since-too-old': 410,
};

const fieldRows = (fields: FieldInfo[]) =>
  fields.map((f) => html`<tr><th scope="row"><code>${f.name}</code></th><td>${f.type}${f.nullable ? '（可为空）' : ''}</td><td>${f.description}</td></tr>`);

/** Appendix A: each dataset as the interfaces answer it; Appendix B: the problem types. */
function appendices() {
  return html`<h2 id="appendix-a">附录 A 数据集及其字段（由数据定义生成）</h2>
${DATASET_KEYS.map((k) => {
  const d = DATASETS[k];
  const filters = fieldsOf(d.filters, 'input');
  return html`<section aria-labelledby="ds-${k}"><h3 id="ds-${k}">${d.label}（<code>${k}</code>）</h3>
<p>${d.description} 主题：${OPEN_TOPICS[d.topic]}；更新频率：${d.updateFrequency}；${QUERIES[k].sync ? '支持增量同步。' : '统计数据，不支持增量同步。'}</p>
<table><caption>${d.label}的字段</caption><thead><tr><th scope="col">字段</th><th scope="col">类型</th><th scope="col">说明</th></tr></thead><tbody>${fieldRows(fieldsOf(d.record))}</tbody></table>
${filters.length ? html`<table><caption>${d.label}的筛选参数</caption><thead><tr><th scope="col">参数</th><th scope="col">类型</th><th scope="col">说明</th></tr></thead><tbody>${fieldRows(filters)}</tbody></table>` : html`<p>没有筛选参数。</p>`}</section>`;
})}
<h2 id="appendix-b">附录 B 错误类型</h2>
<table><caption>problem+json 的 type 与状态码</caption><thead><tr><th scope="col">type</th><th scope="col">状态码</th><th scope="col">含义</th></tr></thead>
<tbody>${(Object.keys(PROBLEM_TYPES) as ProblemType[]).map((t) => html`<tr id="problem-${t}"><th scope="row"><code>/open/docs#problem-${t}</code></th><td>${STATUS[t]}</td><td>${PROBLEM_TYPES[t]}</td></tr>`)}</tbody></table>`;
}

// The standard is the platform's own text, so its HTML is trusted; it and the appendices (which depend only
// on the code's definitions) are rendered once per isolate.
let rendered: string | null = null;
const standardHtml = async () => (rendered ??= marked.parse(STANDARD, { async: false, gfm: true }) + (await appendices()));

/** Scalar reads its configuration from this script (the page's CSP allows no inline script). */
const INIT_SCRIPT = `window.Scalar.createApiReference('#app', {
  url: '/open/openapi.json',
  withDefaultFonts: false,
  hideDownloadButton: false,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  telemetry: false,
  persistAuth: false,
  authentication: { preferredSecurityScheme: 'ApiKey' },
  metaData: { title: '接口调试 - 一网通查数据开放' }
});`;

/** The reference page runs Scalar's script from this origin; it needs inline styles, nothing from elsewhere. */
const REFERENCE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const docsRoutes = new Hono<AppEnv>()
  .get('/docs', authorize('openCatalogue', 'browse'), async (c) => {
    const p = await principalOf(c, ['unit']);
    const body = html`<article class="standard">${raw(await standardHtml())}</article>`;
    return c.html(
      portalPage({ title: '信息共享开放标准接口规范', viewer: p.kind === 'unit' ? { unitName: p.unitName, csrf: p.csrfToken } : null, current: 'docs', body }),
      200,
      {
        'Cache-Control': 'no-cache',
        'Content-Security-Policy': PORTAL_CSP,
      },
    );
  })
  .get('/docs/api', authorize('openCatalogue', 'browse'), (c) =>
    c.html(
      html`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>接口调试 - 一网通查数据开放</title></head>
<body><p><a href="/open">返回数据开放门户</a> · <a href="/open/docs">接口规范</a> · 在“Authentication（认证）”中填入密钥（X-Api-Key）后可直接调用。</p><div id="app"></div>
<script src="/open/docs/api/scalar.js"></script><script src="/open/docs/api/init.js"></script></body></html>`,
      200,
      { 'Cache-Control': 'no-cache', 'Content-Security-Policy': REFERENCE_CSP, 'X-Frame-Options': 'DENY' },
    ),
  )
  .get('/docs/api/init.js', (c) => c.body(INIT_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' }))
  .get('/docs/api/scalar.js', async (c) => {
    if (!c.env.ASSETS) return c.text('未配置静态资源（wrangler.toml [assets]）', 503, { 'Cache-Control': 'no-store' });
    const res = await c.env.ASSETS.fetch(new Request(new URL('/open/docs/api/scalar.js', c.req.url)));
    if (!res.ok)
      return c.text('接口调试页面的脚本缺失：请运行 npm start 或 npm test 以生成（scripts/lib/open-assets.ts）', 503, { 'Cache-Control': 'no-store' });
    return new Response(res.body, { headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=3600' } });
  });

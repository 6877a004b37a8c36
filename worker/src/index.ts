/**
 * The edge Worker: one Hono app serves every site of the cluster. A request's Host picks the site; the
 * platform's own hosts (127.0.0.1, localhost) show the preview index, health, and the /_site/<domain>/ prefix.
 */
// First: answers satori's run-time wasm compilation before anything loads it (share cards, render/wasm-shim.ts).
import './render/wasm-shim.ts';
import { Hono } from 'hono';
import type { AppEnv } from './env.ts';
import { PLATFORM_HOSTS, siteHostOf, siteIdForHost } from './platform/hosts.ts';
import { health } from './platform/health.ts';
import { platformIndex, unknownHost, type IndexSite } from './platform/pages.ts';
import { serveSite } from './site/serve.ts';
import { modeSwitch } from './site/display-mode.ts';
import { ingest } from './ingest/routes.ts';
import { searchHtml, searchJson } from './search/routes.ts';
import { searchClick } from './search/click.ts';
import { searchSuggest } from './search/suggest.ts';
import { searchAdmin } from './admin/search-admin.ts';
import { cmsAdmin } from './admin/cms-admin.ts';
import { cmsAuth } from './cms/auth-routes.ts';
import { serveAttachment } from './site/attachment.ts';
import { releaseDue } from './cms/scheduler.ts';
import { processRenderQueue } from './render/render-queue.ts';
import { gallery } from './templates/gallery.ts';

const app = new Hono<AppEnv>();

app.get('/healthz', async (c) => {
  const h = await health(c.env);
  // Error details help an operator on the platform host; the public on a site's domain gets only the verdict.
  const platform = PLATFORM_HOSTS.has(siteHostOf(c.req.header('host') ?? new URL(c.req.url).host));
  const body = platform ? h : { ok: h.ok, checks: Object.fromEntries(Object.entries(h.checks).map(([k, v]) => [k, { ok: v.ok, ms: v.ms }])) };
  return c.json(body, h.ok ? 200 : 503, { 'Cache-Control': 'no-store' });
});

// The publishing API answers on every host (a builder may only know a site's domain) and only with a token.
app.route('/_ingest', ingest);

// Admin pages answer on the platform hosts only: on a site's public host /admin falls through to the site's own
// 404. They come before the catch-all below, which refuses anything but GET and HEAD (the forms POST).
app.all('/admin/*', (c, next) => {
  if (!PLATFORM_HOSTS.has(siteHostOf(c.req.header('host') ?? new URL(c.req.url).host))) return next();
  const path = new URL(c.req.url).pathname;
  return (path === '/admin/search' || path.startsWith('/admin/search/') ? searchAdmin : cmsAdmin).fetch(c.req.raw, c.env, c.executionCtx);
});
app.all('/admin', (c, next) =>
  PLATFORM_HOSTS.has(siteHostOf(c.req.header('host') ?? new URL(c.req.url).host)) ? cmsAdmin.fetch(c.req.raw, c.env, c.executionCtx) : next());
// The CMS API likewise (issue 4): editors work on the platform host, never on a site's public one.
app.all('/api/cms/*', (c, next) =>
  PLATFORM_HOSTS.has(siteHostOf(c.req.header('host') ?? new URL(c.req.url).host)) ? cmsAuth.fetch(c.req.raw, c.env, c.executionCtx) : next());

app.all('*', async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return c.text('Method Not Allowed', 405, { Allow: 'GET, HEAD' });
  const hostHeader = c.req.header('host') ?? new URL(c.req.url).host;
  const host = siteHostOf(hostHeader);
  if (PLATFORM_HOSTS.has(host)) return next();
  const siteId = await siteIdForHost(c.env.DB, host);
  if (!siteId) return c.html(unknownHost(host), 404, { 'Cache-Control': 'no-store' });
  const path = new URL(c.req.url).pathname;
  if (path === '/search') return searchHtml(c, { siteId, base: '/' });
  if (path === '/search.json') return searchJson(c, { siteId, base: '/' });
  if (path === '/search/click') return searchClick(c);
  if (path === '/search/suggest.json') return searchSuggest(c);
  if (path.startsWith('/attachments/')) return serveAttachment(c, siteId, path);
  if (path === '/_mode') return modeSwitch(c, '/'); // 适老化模式 / 大鼠标 switch (display-mode.ts)
  return serveSite(c, siteId, path, '/');
});

// Platform hosts: 模板库 (every template, live previews, thumbnails).
app.route('/', gallery);

// The 适老化 / 大鼠标 switches of the platform's own search page (display-mode.ts).
app.get('/_mode', (c) => modeSwitch(c, '/'));
// Platform hosts: 一网通查 across every site.
app.get('/search', (c) => searchHtml(c, { siteId: null, base: '/' }));
app.get('/search.json', (c) => searchJson(c, { siteId: null, base: '/' }));
app.get('/search/click', searchClick);
app.get('/search/suggest.json', searchSuggest);

// Platform hosts only from here on.
app.get('/', async (c) => {
  const { results } = await c.env.DB.prepare(
    `SELECT s.id, s.name, s.kind, s.division_code, s.parent_id, p.name AS parent_name, json_extract(s.domains, '$[0]') AS domain
     FROM sites s LEFT JOIN sites p ON p.id = s.parent_id ORDER BY s.sort_order`,
  ).all<IndexSite>();
  const port = new URL(c.req.url).port || (c.req.header('host') ?? '').split(':')[1] || '';
  return c.html(platformIndex(results, port), 200, { 'Cache-Control': 'no-cache' });
});

/** /_site/<domain>/<path>: the domain segment as sent (raw) and the rest of the path, or null. */
function previewParts(pathname: string): { domain: string; rest: string | null } | null {
  const m = /^\/_site\/([^/]+)(\/.*)?$/.exec(pathname);
  if (!m) return null;
  let domain: string;
  try { domain = decodeURIComponent(m[1]!).toLowerCase(); } catch { return null; }
  return { domain, rest: m[2] ?? null };
}

app.get('/_site/*', async (c) => {
  const parts = previewParts(new URL(c.req.url).pathname);
  // Only registered domains get past here, so nothing a request carries ends up in a Location header.
  const siteId = parts && /^[a-z0-9.-]+$/.test(parts.domain) ? await siteIdForHost(c.env.DB, parts.domain) : null;
  if (!parts || !siteId) return c.html(unknownHost(parts?.domain ?? ''), 404, { 'Cache-Control': 'no-store' });
  if (parts.rest === null) return c.redirect(`${parts.domain}/`, 301);
  const base = `/_site/${parts.domain}/`;
  if (parts.rest === '/search') return searchHtml(c, { siteId, base });
  if (parts.rest === '/search.json') return searchJson(c, { siteId, base });
  if (parts.rest.startsWith('/attachments/')) return serveAttachment(c, siteId, parts.rest);
  if (parts.rest === '/search/click') return searchClick(c);
  if (parts.rest === '/search/suggest.json') return searchSuggest(c);
  if (parts.rest === '/_mode') return modeSwitch(c, base);
  return serveSite(c, siteId, parts.rest, base);
});

app.notFound((c) => c.text('未找到：平台地址下只有首页、/healthz 和 /_site/<域名>/ 预览。', 404));
app.onError((err, c) => {
  console.error(err);
  return c.text('服务暂时不可用，请稍后重试。', 503);
});

export default {
  fetch: app.fetch,
  /**
   * Cron Trigger (wrangler.toml), every minute: scheduled documents go live when their time has come, then the
   * page updates still owed (theirs, and any a publish request could not finish) are rendered to R2.
   */
  async scheduled(event: ScheduledController, env: AppEnv['Bindings'], ctx: ExecutionContext) {
    ctx.waitUntil((async () => {
      const r = await releaseDue(env.DB, new Date(event.scheduledTime));
      if (r.failed.length) console.error('scheduled release failed', r.failed);
      const q = await processRenderQueue(env, { waitUntil: (p) => ctx.waitUntil(p) });
      if (q.failed.length) console.error('page updates failed', q.failed);
    })());
  },
} satisfies ExportedHandler<AppEnv['Bindings']>;

/**
 * The edge Worker: one Hono app serves every site of the cluster. A request's Host picks the site; the
 * platform's own hosts (127.0.0.1, localhost) show the preview index, health, and the /_site/<domain>/ prefix.
 */
import { Hono } from 'hono';
import type { AppEnv } from './env.ts';
import { PLATFORM_HOSTS, siteHostOf, siteIdForHost } from './hosts.ts';
import { health } from './health.ts';
import { platformIndex, unknownHost, type IndexSite } from './platform-pages.ts';
import { serveSite } from './serve-site.ts';
import { ingest } from './ingest.ts';

const app = new Hono<AppEnv>();

app.get('/healthz', async (c) => {
  const h = await health(c.env);
  return c.json(h, h.ok ? 200 : 503, { 'Cache-Control': 'no-store' });
});

// The publishing API answers on every host (a builder may only know a site's domain) and only with a token.
app.route('/_ingest', ingest);

app.all('*', async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return c.text('Method Not Allowed', 405, { Allow: 'GET, HEAD' });
  const hostHeader = c.req.header('host') ?? new URL(c.req.url).host;
  const host = siteHostOf(hostHeader);
  if (PLATFORM_HOSTS.has(host)) return next();
  const siteId = await siteIdForHost(c.env.DB, host);
  if (!siteId) return c.html(unknownHost(host), 404, { 'Cache-Control': 'no-store' });
  return serveSite(c, siteId, new URL(c.req.url).pathname, '/');
});

// Platform hosts only from here on.
app.get('/', async (c) => {
  const { results } = await c.env.DB.prepare(
    `SELECT s.id, s.name, s.kind, s.division_code, s.parent_id, p.name AS parent_name, json_extract(s.domains, '$[0]') AS domain
     FROM sites s LEFT JOIN sites p ON p.id = s.parent_id ORDER BY s.sort_order`,
  ).all<IndexSite>();
  const port = new URL(c.req.url).port || (c.req.header('host') ?? '').split(':')[1] || '';
  return c.html(platformIndex(results, port), 200, { 'Cache-Control': 'no-cache' });
});

app.get('/_site/:domain', (c) => c.redirect(`${c.req.param('domain')}/`, 301));
app.get('/_site/:domain/*', async (c) => {
  const domain = c.req.param('domain').toLowerCase();
  const siteId = await siteIdForHost(c.env.DB, domain);
  if (!siteId) return c.html(unknownHost(domain), 404, { 'Cache-Control': 'no-store' });
  const prefix = `/_site/${domain}`;
  const path = new URL(c.req.url).pathname.slice(prefix.length) || '/';
  return serveSite(c, siteId, path, `${prefix}/`);
});

app.notFound((c) => c.text('未找到：平台地址下只有首页、/healthz 和 /_site/<域名>/ 预览。', 404));
app.onError((err, c) => {
  console.error(err);
  return c.text('服务暂时不可用，请稍后重试。', 503);
});

export default app;

/**
 * The Worker's routes, built from the platform configuration (platform/config.ts). One host resolution
 * decides everything: the router's path is prefixed with the kind of host the request came to — `/site` for a
 * site's host (which site: site/routes.ts, from the registry), `/p<n>` for a platform host with its set of
 * capabilities — and each kind of host has its own app, mounted under its prefix:
 *
 *   site host           /healthz · /_ingest · the site (site/routes.ts: pages, search, attachments, /_mode, /_me/, /hot/)
 *   platform host       /healthz · /_ingest · and per capability:
 *     preview             /  (every site) · /_site/<domain>/… (the same site app, by path)
 *     search              /search, /search.json, /search/click, /search/suggest.json, /_mode, /hot/ (the cluster's 热点)
 *     admin               /admin/… (admin/routes.ts) · /api/cms/… (cms/routes.ts)
 *     templates           /_templates/… (templates/gallery.ts)
 *     open                /open/… (open/routes.ts: the interfaces /open/v1, OpenAPI, docs, the portal for external units)
 *
 * Access is declared route by route (access/authorize.ts); errors become 500 or 503 (platform/errors.ts).
 */
import { Hono } from 'hono';
import { getPath } from 'hono/utils/url';
import type { AppEnv } from './env.ts';
import type { Capability, PlatformConfig } from './platform/config.ts';
import { hostOf } from './platform/hosts.ts';
import { healthz } from './platform/health-route.ts';
import { indexPage } from './platform/index-page.ts';
import { onError } from './platform/errors.ts';
import { siteApp, siteByHost, siteByPrefix } from './site/routes.ts';
import { platformSearch } from './search/routes.ts';
import { adminApp } from './admin/routes.ts';
import { cmsApi } from './cms/routes.ts';
import { gallery } from './templates/gallery.ts';
import { ingest } from './ingest/routes.ts';
import { authorize } from './access/authorize.ts';
import { openApp } from './open/routes.ts';
import { clusterHotPage } from './personal/routes.ts';
import { favicon } from './platform/favicon.ts';
import { importApi } from './import/push-routes.ts';

const SITE = 'site';

function siteHostApp() {
  return (
    new Hono<AppEnv>()
      .get('/healthz', healthz(false))
      .get('/favicon.ico', favicon)
      // The publishing API answers on every host (a builder may only know a site's domain), to machines only.
      .route('/_ingest', ingest)
      .use('*', authorize('sites', 'view'), siteByHost)
      .route('/', siteApp)
  );
}

function platformApp(caps: ReadonlySet<Capability>) {
  const app = new Hono<AppEnv>().get('/healthz', healthz(true)).get('/favicon.ico', favicon).route('/_ingest', ingest);
  if (caps.has('preview')) {
    app.get('/', indexPage);
    app.use('/_site/*', authorize('sites', 'view'), siteByPrefix);
    app.route('/_site/:domain', siteApp);
  } else if (caps.has('search') || caps.has('admin') || caps.has('open')) {
    app.get('/', (c) => c.redirect(caps.has('search') ? '/search' : caps.has('admin') ? '/admin' : '/open', 302));
  }
  if (caps.has('search')) {
    app.route('/', platformSearch(caps.has('preview')));
    app.get('/hot/', clusterHotPage);
  }
  if (caps.has('admin')) {
    app.route('/admin', adminApp);
    app.route('/api/cms', cmsApi);
    app.route('/api/import/v1', importApi);
  }
  if (caps.has('templates')) app.route('/', gallery);
  if (caps.has('open')) app.route('/open', openApp);
  return app;
}

export function createApp(config: PlatformConfig): Hono<AppEnv> {
  // Hosts with the same capabilities share one app.
  const keys = new Map<string, string>();
  const hostKey = new Map<string, string>();
  const apps: [string, ReadonlySet<Capability>][] = [];
  for (const [host, caps] of config.hosts) {
    const id = [...caps].sort().join(',');
    if (!keys.has(id)) {
      keys.set(id, `p${keys.size}`);
      apps.push([keys.get(id)!, caps]);
    }
    hostKey.set(host, keys.get(id)!);
  }
  // `/` becomes the bare prefix, which is where a sub-app's `/` route is mounted (routes are strict about `/`).
  const app = new Hono<AppEnv>({
    getPath: (req) => {
      const path = getPath(req);
      return `/${hostKey.get(hostOf(req)) ?? SITE}${path === '/' ? '' : path}`;
    },
  });
  app.route(`/${SITE}`, siteHostApp());
  for (const [key, caps] of apps) app.route(`/${key}`, platformApp(caps));
  app.notFound((c) => {
    const onSite = (c.get('site') as unknown) !== undefined;
    // Pages are read, not written: anything but GET or HEAD on a site's page is refused as a method, not a path.
    if (onSite && c.req.method !== 'GET' && c.req.method !== 'HEAD') return c.text('Method Not Allowed', 405, { Allow: 'GET, HEAD' });
    return c.text('未找到：该地址在本平台主机上没有内容。', 404, { 'Cache-Control': 'no-store' });
  });
  app.onError(onError);
  return app;
}

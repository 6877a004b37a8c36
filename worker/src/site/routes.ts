/**
 * One site's public face, mounted twice by the app (app.ts): at the site's own host (Host routing, as in
 * production) and under /_site/<domain>/ on a platform host with the preview capability — the same routes,
 * the same bytes. Citizens need no account: every route here serves anyone (SITE_ACCESS.view). The site is
 * resolved before these run (`c.var.site`: id, base, path inside the site).
 */
import { Hono, type MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import { siteIdForHost, hostOf } from '../platform/hosts.ts';
import { unknownHost } from '../platform/pages.ts';
import { siteSearch } from '../search/routes.ts';
import { modeSwitch } from './display-mode.ts';
import { serveAttachment } from './attachment.ts';
import { serveSite } from './serve.ts';
import { personalRoutes } from '../personal/routes.ts';
import { policyLibraryRoutes } from '../policy-library/routes.ts';
import { consultRoutes } from '../consult/routes.ts';
import { MOVED_HEADERS, movedLocation, movedTo } from '../domains/redirects.ts';
import { oldHostAnswer } from '../import/redirects.ts';

export const siteApp = new Hono<AppEnv>()
  .route('/', siteSearch)
  // 定制我的网站 and 热点信息 (personal/routes.ts).
  .route('/', personalRoutes)
  // 留言咨询: the form and the look-up by query code (consult/routes.ts).
  .route('/', consultRoutes)
  // 政策文件库 with its filters (policy-library/routes.ts), before the stored pages it takes the address of.
  .route('/', policyLibraryRoutes)
  // 适老化模式 / 大鼠标 switch (display-mode.ts).
  .get('/_mode', (c) => modeSwitch(c, c.get('site').base))
  .get('/attachments/*', (c) => serveAttachment(c, c.get('site').id, c.get('site').path))
  .get('*', (c) => serveSite(c, c.get('site').id, c.get('site').path, c.get('site').base));

const pathOf = (url: string) => new URL(url).pathname;

/** A site's own host: the registry says which site; an unregistered host gets the platform's 404. */
export const siteByHost: MiddlewareHandler<AppEnv> = async (c, next) => {
  const host = hostOf(c.req.raw);
  const id = await siteIdForHost(c.env.DB, host);
  if (!id) {
    // A host a site left (域名管理): the same page on the site's new domain.
    const to = await movedTo(c.env.DB, host);
    if (to) return new Response(null, { status: 301, headers: { Location: movedLocation(c.req.raw, host, to), ...MOVED_HEADERS } });
    // An old host of a migrated site (import/redirects.ts): each old address to its page on the new site.
    const old = await oldHostAnswer(c.env.DB, c.req.raw, host, (p) => c.executionCtx.waitUntil(p));
    if (old) return old;
    return c.html(unknownHost(host), 404, { 'Cache-Control': 'no-store' });
  }
  c.set('site', { id, base: '/', path: pathOf(c.req.url) });
  await next();
};

/** /_site/<domain>/<path> on a preview host: the domain segment names the site (only registered ones get further). */
export const siteByPrefix: MiddlewareHandler<AppEnv> = async (c, next) => {
  const m = /^\/_site\/([^/]+)(\/.*)?$/.exec(pathOf(c.req.url));
  let domain = '';
  try {
    domain = m ? decodeURIComponent(m[1]!).toLowerCase() : '';
  } catch {
    /* not a domain */
  }
  const id = /^[a-z0-9.-]+$/.test(domain) ? await siteIdForHost(c.env.DB, domain) : null;
  const to = m && !id && /^[a-z0-9.-]+$/.test(domain) ? await movedTo(c.env.DB, domain) : null;
  if (to) return new Response(null, { status: 301, headers: { Location: `/_site/${to}${m![2] ?? '/'}${new URL(c.req.url).search}`, ...MOVED_HEADERS } });
  if (!m || !id) return c.html(unknownHost(domain), 404, { 'Cache-Control': 'no-store' });
  // Only registered domains get here, so nothing a request carries ends up in the Location header.
  if (m[2] === undefined) return c.redirect(`${domain}/`, 301);
  c.set('site', { id, base: `/_site/${domain}/`, path: m[2] });
  await next();
};

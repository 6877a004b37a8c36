/**
 * 千人千网 on every site (mounted in site/routes.ts, so at the site's host and under the preview prefix):
 * 定制我的网站 (/_me/) and the site's 热点信息 (/hot/). The pages' own blocks are filled in by site/serve.ts
 * through page-extras.ts. The cluster's 热点 page is mounted on the platform's search host (app.ts).
 */
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { clearSettings, saveSettings, settingsPage } from './settings-page.ts';
import { siteHotPage } from './hot-page.ts';

export { clusterHotPage } from './hot-page.ts';

export const personalRoutes = new Hono<AppEnv>()
  .get('/_me', (c) => c.redirect(`_me/${new URL(c.req.url).search}`, 301))
  .get('/_me/', (c) => settingsPage(c))
  .post('/_me/', saveSettings)
  .post('/_me/clear', clearSettings)
  .get('/hot', (c) => c.redirect('hot/', 301))
  .get('/hot/', siteHotPage);

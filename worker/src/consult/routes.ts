/**
 * 留言咨询 on every site (mounted in site/routes.ts, so at the site's host and under the preview prefix): the form
 * (/hdjl/ly/, POST to send) and the look-up by query code (/hdjl/cx/). The editors' side is /admin/consult
 * (admin/consult-pages.ts).
 */
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { consultForm, lookUp, queryPage, submitConsult } from './pages.ts';

const ask = authorize('consult', 'ask', 'page');

export const consultRoutes = new Hono<AppEnv>()
  .get('/hdjl/ly', (c) => c.redirect('ly/', 301))
  .get('/hdjl/ly/', ask, (c) => consultForm(c))
  .post('/hdjl/ly/', ask, submitConsult)
  .get('/hdjl/cx', (c) => c.redirect('cx/', 301))
  .get('/hdjl/cx/', ask, (c) => queryPage(c))
  .post('/hdjl/cx/', ask, lookUp);

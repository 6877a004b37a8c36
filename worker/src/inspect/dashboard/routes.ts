/**
 * GET /admin/dashboard (领导决策辅助) for readers of inspection results (cms-schema INSPECTION_ACCESS, 'inspect.read':
 * a unit's site admins — their sites and those below — and platform admins, every site). The query picks a site's
 * subtree and a period; `format=csv&panel=<name>` exports one panel. A bad query is a 400 naming the field; a site
 * outside the reader's sites a 403; an anonymous reader goes to the login form ('page' style).
 */
import { Hono } from 'hono';
import type { AppEnv } from '../../env.ts';
import { authorize } from '../../access/authorize.ts';
import { staffOf } from '../../access/authenticate.ts';
import { noStore } from '../../platform/http.ts';
import { viewerOf } from '../../admin/viewer.ts';
import { panelCsv } from './csv.ts';
import { dashboardData } from './data.ts';
import { dashboardErrorPage, dashboardPage } from './page.ts';
import { parseDashboardQuery, type Period } from './query.ts';
import { readableSites, scopeOf, type SiteRow } from './scope.ts';

export const dashboardRoutes = new Hono<AppEnv>();

dashboardRoutes.get('/dashboard', authorize('inspection', 'read', 'page'), async (c) => {
  const db = c.env.DB;
  const { results: all } = await db.prepare('SELECT id, name, parent_id AS parentId, sort_order AS sortOrder FROM sites').all<SiteRow>();
  const params = new URL(c.req.url).searchParams;
  const parsed = parseDashboardQuery(params);
  const wanted = parsed.ok ? parsed.query.site : null;
  const readable = readableSites(staffOf(c).grants, all);
  const scope = scopeOf(readable, all, wanted);
  const period: Period = parsed.ok ? parsed.query.period : 30;
  const form = { readable, site: parsed.ok ? parsed.query.site : null, period };
  if (!parsed.ok) return c.html(dashboardErrorPage(viewerOf(c), form, parsed.message), 400, noStore);
  if (!scope.ok) return c.html(dashboardErrorPage(viewerOf(c), { ...form, site: null }, scope.message), scope.status, noStore);
  const data = await dashboardData(db, scope.sites, period);
  const q = parsed.query;
  if (q.format === 'csv' && q.panel) {
    const name = `dashboard-${q.panel}-${q.site ?? 'all'}-${period}d-${data.days.at(-1) ?? ''}.csv`;
    return c.body(panelCsv(data, q.panel), 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${name}"`,
      ...noStore,
    });
  }
  return c.html(dashboardPage(viewerOf(c), form, data), 200, noStore);
});

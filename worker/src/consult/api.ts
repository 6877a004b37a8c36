/**
 * GET /api/cms/consult/stats: the 留言 counts for dashboards and the inspection (inspect/ to come), per site this
 * account handles (`consult.answer`) — received, answered, waiting, waiting over 3 months, mean days to a
 * published answer — and over all of them. Counts only: no question text, nothing personal.
 */
import { Hono } from 'hono';
import { CONSULT_LIMITS, can } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { parentMap } from '../cms/documents.ts';
import { statsFor } from './store.ts';

export const consultApi = new Hono<AppEnv>().get('/consult/stats', authorize('consult', 'read'), async (c) => {
  const grants = staffOf(c).grants;
  const parentOf = await parentMap(c.env.DB);
  const { results } = await c.env.DB.prepare('SELECT id, name FROM sites ORDER BY sort_order, id').all<{ id: string; name: string }>();
  const sites = results.filter((s) => can(grants, 'consult.answer', { siteId: s.id }, parentOf));
  const now = new Date();
  const stats = await statsFor(
    c.env.DB,
    sites.map((s) => s.id),
    now,
  );
  return c.json(
    {
      generatedAt: now.toISOString(),
      overdueDays: CONSULT_LIMITS.overdueDays,
      all: stats.all,
      sites: sites.map((s) => ({ siteId: s.id, name: s.name, ...stats.sites.get(s.id)! })),
    },
    200,
    { 'Cache-Control': 'no-store' },
  );
});

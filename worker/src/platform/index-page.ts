/** GET / on a preview host: every site of the cluster, grouped by region, with its two local addresses. */
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { platformIndex, type IndexSite } from './pages.ts';

export async function indexPage(c: Context<AppEnv>) {
  const { results } = await c.env.DB.prepare(
    `SELECT s.id, s.name, s.kind, s.division_code, s.parent_id, p.name AS parent_name, json_extract(s.domains, '$[0]') AS domain
     FROM sites s LEFT JOIN sites p ON p.id = s.parent_id ORDER BY s.sort_order`,
  ).all<IndexSite>();
  const port = new URL(c.req.url).port || (c.req.header('host') ?? '').split(':')[1] || '';
  return c.html(platformIndex(results, port), 200, { 'Cache-Control': 'no-cache' });
}

/**
 * /admin/import/unmapped and its CSV (unmapped-page.ts), mounted by admin/routes.ts. IMPORT_ACCESS.read lets editors
 * and site admins in; each sees the rows of the sites their grants read. A malformed site is a 400 naming 网站, a site
 * the viewer does not read a 403.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { parentMap } from '../cms/documents.ts';
import { noStore } from '../platform/http.ts';
import { viewerOf } from '../admin/viewer.ts';
import { csvHeaders } from '../inspect/reports/csv.ts';
import { CSV_LIMIT, PAGE_LIMIT, UNMAPPED_FIELDS, UnmappedQuerySchema, unmappedCsv, unmappedData, unmappedPage } from './unmapped-page.ts';

const DENIED = `${UNMAPPED_FIELDS.site}：没有该网站，或您无权查看`;

/** The data, or the refusal: 400 (with the unfiltered page) for a malformed query, 403 for another unit's site. */
async function load(c: Context<AppEnv>, limit: number) {
  const parsed = UnmappedQuerySchema.safeParse(c.req.query());
  const grants = staffOf(c).grants;
  const parentOf = await parentMap(c.env.DB);
  if (!parsed.success) {
    const data = (await unmappedData(c.env.DB, grants, parentOf, '', limit))!;
    return { data, status: 400 as const, error: `${UNMAPPED_FIELDS.site}：${parsed.error.issues[0]!.message}` };
  }
  const data = await unmappedData(c.env.DB, grants, parentOf, parsed.data.site, limit);
  if (!data) return { data: (await unmappedData(c.env.DB, grants, parentOf, '', limit))!, status: 403 as const, error: DENIED };
  return { data, status: 200 as const, error: null };
}

export const unmappedPages = new Hono<AppEnv>()
  .get('/import/unmapped', authorize('import', 'read', 'page'), async (c) => {
    const r = await load(c, PAGE_LIMIT);
    return c.html(unmappedPage(viewerOf(c), r.data, r.error), r.status, noStore);
  })
  .get('/import/unmapped.csv', authorize('import', 'read', 'page'), async (c) => {
    const r = await load(c, CSV_LIMIT);
    if (r.error) return c.text(r.error, r.status, noStore);
    return c.body(unmappedCsv(r.data.rows), 200, csvHeaders(`unmapped-${new Date().toISOString().slice(0, 10)}`, `未映射的旧网址-${r.data.site || '全部'}`));
  });

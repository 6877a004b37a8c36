/**
 * 政策文件库 (/zcwjk/) on every site, mounted in site/routes.ts, so at the site's host and under the preview prefix.
 * The Worker answers it rather than the published pack because filtering without JavaScript needs the server; the
 * address is the one every page of the site already links to. The publisher's static library pages
 * (/zcwjk/index_N.html, 50 rows each) are sent here too, to the page holding the same first row.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { inShell } from '../personal/shell.ts';
import { readLibrary } from './data.ts';
import { libraryMain, problemMain, type FormValues } from './page.ts';
import { FIELD_NAMES, PAGE_SIZE, parseLibraryQuery, type LibraryQuery, type QueryProblem } from './query.ts';

/** Rows per page of the publisher's static library (sites/publisher/routes.ts LIBRARY_PAGE_SIZE). */
const STATIC_PAGE_SIZE = 50;

async function libraryPage(c: Context<AppEnv>): Promise<Response> {
  const site = c.get('site');
  const params = c.req.query();
  const values: FormValues = { issuer: params.issuer, year: params.year, topic: params.topic, validity: params.validity };
  const parsed = parseLibraryQuery(params);
  const query: LibraryQuery = 'query' in parsed ? parsed.query : { page: 1 };
  const lib = await readLibrary(c.env.DB, site.id, 'query' in parsed ? query : { page: 1 });
  let problem: QueryProblem | null = 'problem' in parsed ? parsed.problem : null;
  const pages = Math.max(1, Math.ceil(lib.total / PAGE_SIZE));
  if (!problem && query.issuer && !lib.issuers.some((i) => i.name === query.issuer))
    problem = { field: 'issuer', message: `${FIELD_NAMES.issuer}“${query.issuer}”在本站政策文件中没有，请从列表中选择` };
  else if (!problem && query.page > pages) problem = { field: 'page', message: `${FIELD_NAMES.page}超出范围：共 ${pages} 页` };
  const filtered = Object.values(values).some(Boolean) || query.page > 1;
  return inShell(c, site.id, {
    title: `政策文件库_${lib.siteName}`,
    path: '/zcwjk/',
    main: problem ? problemMain(lib, values, problem) : libraryMain(lib, query, values),
    status: problem ? 400 : 200,
    // One listing is indexed, not every combination of filters.
    noindex: filtered || problem !== null,
  });
}

export const policyLibraryRoutes = new Hono<AppEnv>()
  .get('/zcwjk', (c) => c.redirect(`zcwjk/${new URL(c.req.url).search}`, 301))
  .get('/zcwjk/', libraryPage)
  .get('/zcwjk/index.html', (c) => c.redirect(`./${new URL(c.req.url).search}`, 301))
  .get('/zcwjk/:file{index_[0-9]{1,4}\\.html}', (c) => {
    const n = Number(/\d+/.exec(c.req.param('file'))![0]);
    const page = Math.floor(((n - 1) * STATIC_PAGE_SIZE) / PAGE_SIZE) + 1;
    return c.redirect(page > 1 ? `./?page=${page}` : './', 301);
  });

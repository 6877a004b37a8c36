/**
 * 一网通查 in the Worker: GET /search.json (the API) and GET /search (a server-rendered page that works with
 * no JavaScript), on the platform hosts across all sites and on a site's own host scoped to that site, with a
 * switch to all sites. Parameters are validated by the search package's zod schema; bad ones get a 400 that
 * names the field.
 */
import { Hono, type Context } from 'hono';
import { SearchParamsSchema, type SearchParams, type SearchResult } from '@ywtc/search';
import type { AppEnv } from '../env.ts';
import { searchPage } from './page.ts';
import type { LinkStyle, SearchScope, SiteRef } from './types.ts';
import { searchClick } from './click.ts';
import { searchSuggest } from './suggest.ts';
import { searchWithPins } from './pins.ts';
import { recordSearch } from './analytics.ts';
import { regionOptions } from './regions.ts';
import { policyAnswer, type PolicyAnswer } from '../qa/answer.ts';
import { displayPrefs, modeSwitch, rewriteForDisplay } from '../site/display-mode.ts';

function parse(c: Context<AppEnv>, scope: SearchScope): { params: SearchParams; all: boolean } | { error: { field: string; message: string } } {
  const query = c.req.query();
  const all = query.scope === 'all' || scope.siteId === null;
  const raw = { ...query };
  delete raw.scope;
  for (const k of Object.keys(raw)) if (raw[k] === '') delete raw[k]; // empty form fields mean "any"
  const parsed = SearchParamsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { error: { field: String(issue.path[0] ?? 'query'), message: issue.message } };
  }
  const params = parsed.data;
  if (!all && scope.siteId) params.site = scope.siteId;
  return { params, all };
}

async function sitesOf(db: D1Database, result: SearchResult, answer: PolicyAnswer | null = null): Promise<Map<string, SiteRef>> {
  const ids = [
    ...new Set([
      ...result.hits.flatMap((h) => [...h.placements, ...h.related.flatMap((r) => r.placements)].map((p) => p.siteId)),
      ...(answer?.source.placements.map((p) => p.siteId) ?? []),
    ]),
  ];
  if (ids.length === 0) return new Map();
  const { results } = await db
    .prepare(`SELECT id, name, json_extract(domains, '$[0]') AS domain FROM sites WHERE id IN (${ids.map(() => '?').join(',')})`)
    .bind(...ids)
    .all<SiteRef>();
  return new Map(results.map((s) => [s.id, s]));
}

export async function searchJson(c: Context<AppEnv>, scope: SearchScope) {
  const p = parse(c, scope);
  if ('error' in p) return c.json({ error: 'invalid', ...p.error }, 400);
  const started = Date.now();
  const [result, answer] = await Promise.all([searchWithPins(c.env, p.params), answerFor(c, p, false)]);
  // Time spent waiting on the index (Workers clocks advance across I/O only), for operators and the benchmark.
  return c.json({ ...result, answer }, 200, { 'Cache-Control': 'no-store', 'Server-Timing': `search;dur=${Date.now() - started}` });
}

export async function searchHtml(c: Context<AppEnv>, scope: SearchScope) {
  const p = parse(c, scope);
  const regions = await regionOptions(c.env.DB);
  if ('error' in p)
    return c.html(searchPage({ scope, query: c.req.query(), error: p.error, result: null, sites: new Map(), requestUrl: c.req.url, regions }), 400);
  const [result, answer] = await Promise.all([searchWithPins(c.env, p.params), answerFor(c, p)]);
  // Counted on the page people use (site search boxes lead here), once per search: paging is not a new search.
  // /search.json is left out: it is the machine interface, where a client's polling would skew hot queries.
  if (p.params.page === 1 && c.req.method === 'GET') recordSearch(c, p.params.q, result.total === 0);
  const sites = await sitesOf(c.env.DB, result, answer);
  const res = await c.html(
    searchPage({
      scope: p.all ? { ...scope, siteId: null } : scope,
      query: c.req.query(),
      error: null,
      result,
      sites,
      requestUrl: c.req.url,
      siteScope: scope.siteId,
      regions,
      answer,
    }),
    200,
    { 'Cache-Control': 'no-store' },
  );
  // The reader's 适老化 / 大鼠标 display, as on every page of the sites (display-mode.ts).
  const prefs = displayPrefs(c.req.header('cookie'));
  return prefs ? rewriteForDisplay(res, prefs) : res;
}

/**
 * The policy Q&A card goes with a question's first page only (qa-answer.ts decides what is a question).
 * Unanswered questions are logged from the page only, like search analytics: API clients that poll would
 * crowd out what citizens asked.
 */
const answerFor = (c: Context<AppEnv>, p: { params: SearchParams; all: boolean }, log = true) =>
  p.params.page === 1 ? policyAnswer(c, p.params.q, p.all ? null : (p.params.site ?? null), log) : Promise.resolve(null);

/** How result links on this request's page are written (types.ts LinkStyle). */
function linkStyle(c: Context<AppEnv>, preview: boolean): LinkStyle {
  if (preview) return 'preview';
  return /\.localhost(:\d+)?$/i.test(c.req.header('host') ?? new URL(c.req.url).host) ? 'localhost' : 'public';
}

const siteScope = (c: Context<AppEnv>): SearchScope => {
  const site = c.get('site');
  return { siteId: site.id, base: site.base, links: linkStyle(c, site.base !== '/') };
};

/** A site's own search (scoped to it, `scope=all` widens): mounted in the site app, at its host and in the preview. */
export const siteSearch = new Hono<AppEnv>()
  .get('/search', (c) => searchHtml(c, siteScope(c)))
  .get('/search.json', (c) => searchJson(c, siteScope(c)))
  .get('/search/click', searchClick)
  .get('/search/suggest.json', searchSuggest);

/** 一网通查 across every site, on a platform host with the search capability. */
export const platformSearch = (preview: boolean) => {
  const scope = (c: Context<AppEnv>): SearchScope => ({ siteId: null, base: '/', links: linkStyle(c, preview) });
  return (
    new Hono<AppEnv>()
      .get('/search', (c) => searchHtml(c, scope(c)))
      .get('/search.json', (c) => searchJson(c, scope(c)))
      .get('/search/click', searchClick)
      .get('/search/suggest.json', searchSuggest)
      // The 适老化 / 大鼠标 switches of the platform's own search page (site/display-mode.ts).
      .get('/_mode', (c) => modeSwitch(c, '/'))
  );
};

/**
 * 一网通查 in the Worker: GET /search.json (the API) and GET /search (a server-rendered page that works with
 * no JavaScript), on the platform hosts across all sites and on a site's own host scoped to that site, with a
 * switch to all sites. Parameters are validated by the search package's zod schema; bad ones get a 400 that
 * names the field.
 */
import { Hono, type Context } from 'hono';
import { SearchParamsSchema, type Reader, type SearchParams, type SearchResult } from '@ywtc/search';
import type { AppEnv } from '../env.ts';
import { SEARCH_CSS, searchBody, searchPage } from './page.ts';
import type { NoResultHelp } from './no-results.ts';
import { allSitesTotal, broaderQuery, unfilteredParams } from './broader.ts';
import { searchBackend } from './backend.ts';
import { registry } from '../personal/registry.ts';
import { inShell } from '../personal/shell.ts';
import { linkTo, type LinkStyle, type SearchScope, type SiteRef } from './types.ts';
import { searchClick } from './click.ts';
import { searchSuggest } from './suggest.ts';
import { searchWithPins } from './pins.ts';
import { recordSearch } from './analytics.ts';
import { regionOptions } from './regions.ts';
import { policyAnswer, type PolicyAnswer } from '../qa/answer.ts';
import { displayPrefs, modeSwitch, rewriteForDisplay } from '../site/display-mode.ts';

type Parsed = { params: SearchParams; all: boolean } | { error: { field: string; message: string } };

/** Where the reader is (search/src/area.ts): the site searched and its unit's division, or the region on the platform. */
async function readerOf(c: Context<AppEnv>, scope: SearchScope): Promise<Reader> {
  const sites = await registry(c.env.DB);
  const site = scope.siteId ? sites.get(scope.siteId) : [...sites.values()].find((s) => s.kind === 'province-portal');
  return { siteId: scope.siteId, division: site?.divisionCode ?? '450000' };
}

async function parse(c: Context<AppEnv>, scope: SearchScope): Promise<Parsed> {
  const query = c.req.query();
  const all = query.scope === 'all' || scope.siteId === null;
  const raw: Record<string, unknown> = { ...query };
  delete raw.scope;
  delete raw.reader; // set here from the site, never by the caller
  for (const k of Object.keys(raw)) if (raw[k] === '') delete raw[k]; // empty form fields mean "any"
  const parsed = SearchParamsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { error: { field: String(issue.path[0] ?? 'query'), message: issue.message } };
  }
  const params = parsed.data;
  if (!all && scope.siteId) params.site = scope.siteId;
  params.reader = await readerOf(c, scope);
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
  const p = await parse(c, scope);
  if ('error' in p) return c.json({ error: 'invalid', ...p.error }, 400);
  const started = Date.now();
  const [result, answer] = await Promise.all([searchWithPins(c.env, p.params), answerFor(c, p, false)]);
  // Time spent waiting on the index (Workers clocks advance across I/O only), for operators and the benchmark.
  return c.json({ ...result, answer }, 200, { 'Cache-Control': 'no-store', 'Server-Timing': `search;dur=${Date.now() - started}` });
}

/** The site's 留言咨询 form (consult/routes.ts). */
const CONSULT_PATH = '/hdjl/ly/';

/** What a search that found nothing offers (no-results.ts), each suggestion tried first (broader.ts). */
async function helpFor(c: Context<AppEnv>, p: { params: SearchParams; all: boolean }, scope: SearchScope): Promise<NoResultHelp> {
  const backend = searchBackend(c.env);
  const here = new URL(c.req.url);
  const linkWith = (change: (q: URLSearchParams) => void) => {
    const q = new URLSearchParams(here.search);
    q.delete('page');
    change(q);
    return '?' + q.toString();
  };
  const unfiltered = unfilteredParams(p.params);
  const [broader, allSites, plain] = await Promise.all([
    broaderQuery(backend, p.params),
    !p.all && scope.siteId ? allSitesTotal(backend, p.params) : Promise.resolve(0),
    unfiltered ? backend.search({ ...unfiltered, page: 1, size: 1 }).then((r) => r.total) : Promise.resolve(0),
  ]);
  return {
    broader,
    allSites: allSites ? { href: linkWith((q) => q.set('scope', 'all')), total: allSites } : null,
    unfiltered: plain
      ? { href: linkWith((q) => ['kind', 'validity', 'year', 'issuer', 'column', 'level', 'region'].forEach((k) => q.delete(k))), total: plain }
      : null,
    consultHref: await consultHref(c, scope),
  };
}

/** The 留言咨询 form: the site's own, or on the platform the region portal's, written in this request's link style. */
async function consultHref(c: Context<AppEnv>, scope: SearchScope): Promise<string | null> {
  if (scope.siteId) return `${scope.base}${CONSULT_PATH.slice(1)}`;
  const region = [...(await registry(c.env.DB)).values()].find((s) => s.kind === 'province-portal');
  return region ? linkTo(scope.links, c.req.url, region.domain, CONSULT_PATH) : null;
}

export async function searchHtml(c: Context<AppEnv>, scope: SearchScope) {
  const p = await parse(c, scope);
  const regions = await regionOptions(c.env.DB);
  const base = { scope, query: c.req.query(), requestUrl: c.req.url, siteScope: scope.siteId, regions };
  if ('error' in p) return render(c, scope, { ...base, error: p.error, result: null, sites: new Map() }, 400);
  const [result, answer] = await Promise.all([searchWithPins(c.env, p.params), answerFor(c, p)]);
  // Counted on the page people use (site search boxes lead here), once per search: paging is not a new search.
  // /search.json is left out: it is the machine interface, where a client's polling would skew hot queries.
  if (p.params.page === 1 && c.req.method === 'GET') recordSearch(c, p.params.q, result.total === 0);
  const nothing = result.total === 0 && p.params.q.trim() ? await helpFor(c, p, scope) : null;
  const sites = await sitesOf(c.env.DB, result, answer);
  return render(c, scope, { ...base, scope: p.all ? { ...scope, siteId: null } : scope, error: null, result, sites, answer, nothing }, 200);
}

/**
 * The platform's search is a page of its own; a site's search wears the site's template (its header,
 * navigation, footer and display switches) like every other page of the site.
 */
async function render(c: Context<AppEnv>, scope: SearchScope, input: Parameters<typeof searchPage>[0], status: 200 | 400): Promise<Response> {
  if (scope.siteId) {
    const site = (await registry(c.env.DB)).get(scope.siteId);
    const q = input.query.q ?? '';
    const url = new URL(c.req.url);
    return inShell(c, scope.siteId, {
      title: `${q ? `${q} - ` : ''}搜索_${site?.name ?? ''}`,
      path: '/search',
      back: '/search' + url.search,
      main: String(await searchBody(input)),
      head: `<style>${SEARCH_CSS}</style>`,
      noindex: true,
      status,
    });
  }
  const res = await c.html(searchPage(input), status, { 'Cache-Control': 'no-store' });
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

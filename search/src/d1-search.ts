/**
 * Querying the embedded index (written by d1-index.ts). FTS5 ranks with BM25 (field weights title ≫ 发文字号/
 * keywords ≫ body, times a small recency boost), but its cost grows with every document a query matches; at
 * 100k documents a common bigram such as 疫情 is in a third of them. So each query is planned from document
 * frequencies (search_terms) to stay within a fixed amount of work:
 *
 * - Keyword queries (≤ 6 tokens, all known): every token must match (plus synonym phrases).
 * - Questions and queries with unknown tokens: the rarest tokens, OR-ed, while their postings add up to at most
 *   BUDGET — on the dev questions the rare tokens' candidates held the full query's top 10 every time, and
 *   scoring them costs a few milliseconds instead of a hundred.
 * - A query still matching more than FULL_RANK documents is broad: it is answered in two tiers, title matches
 *   first (ranked in the small title index), then body matches, each ranking the newest WINDOW matches (rowids
 *   follow publication order). Totals are counted up to COUNT_CAP.
 */
import { normalizeDocNumber } from './doc-number.ts';
import { cleanQuery } from './query.ts';
import type { RelatedHit, SearchHit, SearchParams, SearchResult } from './schema.ts';
import { snippetHtml } from './snippet.ts';
import { phraseOf, synonymsIn, type SynonymGroups } from './synonyms.ts';
import { runTokens, runs } from './tokenize.ts';
import { escapeHtml } from '@ywtc/cms-schema';
import { correction } from './typo.ts';
import { facetQuery } from './facets.ts';

export const PLAN = {
  /** Up to this many tokens (≈ 7 Han characters) a query counts as keywords: all must match. */
  shortQueryTokens: 6,
  /** Postings an OR query may score (sum of its tokens' document frequencies). */
  budget: 5000,
  /** Matches up to which everything is ranked; beyond, the query is broad. */
  fullRank: 1000,
  /** Newest matches ranked per tier of a broad query. */
  window: 300,
  countCap: 1000,
  /** Weight of recency: a document published today scores 1 + this times its BM25, one a year old half that. */
  recency: 0.15,
} as const;

/** bm25() weights per FTS column: title, doc_number, keywords, body (facets and issuer only filter). */
const WEIGHTS = 'bm25(search_fts, 8, 6, 4, 1, 0, 0)';
const TITLE_WEIGHTS = 'bm25(search_title_fts, 8, 6, 4, 0, 0)';
/** Candidates beyond the page that the recency boost may lift onto it. */
const RERANK_MARGIN = 20;

interface Row { rowid: number; document_id: string; title: string; doc_number: string | null; kind: string; issuer: string | null; validity: string | null; published_at: string; summary: string; placements: string }
const COLS = 'd.rowid, d.document_id, d.title, d.doc_number, d.kind, d.issuer, d.validity, d.published_at, d.summary, d.placements';
/** A ranked match: its rowid, BM25 (negative, lower is better) and tier (0: title match of a broad query). */
interface Ranked { rowid: number; s: number; tier: number }

async function frequencies(db: D1Database, tokens: readonly string[]): Promise<Map<string, number>> {
  if (tokens.length === 0) return new Map();
  const { results } = await db.prepare('SELECT term, df FROM search_terms WHERE term IN (SELECT value FROM json_each(?))').bind(JSON.stringify(tokens)).all<{ term: string; df: number }>();
  return new Map(results.map((r) => [r.term, r.df]));
}

/** SQL conditions on `d` (search_docs) for the filters, for the exact 发文字号 look-up (one row, no FTS). */
function filterSql(params: SearchParams): { sql: string; args: (string | number)[] } {
  const conds: string[] = [];
  const args: (string | number)[] = [];
  const placement: string[] = [];
  const pargs: string[] = [];
  if (params.site) { placement.push('s.site_id = ?'); pargs.push(params.site); }
  if (params.column) { placement.push('s.column_kind = ?'); pargs.push(params.column); }
  if (params.level) { placement.push('s.level = ?'); pargs.push(params.level); }
  if (params.region) { placement.push(params.region.length === 2 ? 's.region LIKE ? || \'%\'' : 's.region = ?'); pargs.push(params.region); }
  if (placement.length) { conds.push(`EXISTS (SELECT 1 FROM search_sites s WHERE s.document_id = d.document_id AND ${placement.join(' AND ')})`); args.push(...pargs); }
  if (params.kind) { conds.push('d.kind = ?'); args.push(params.kind); }
  if (params.validity) { conds.push('d.validity = ?'); args.push(params.validity); }
  if (params.year) { conds.push('d.year = ?'); args.push(params.year); }
  if (params.issuer) { conds.push("instr(coalesce(d.issuer, ''), ?) > 0"); args.push(params.issuer); }
  return { sql: conds.map((c) => ` AND ${c}`).join(''), args };
}

const quote = (t: string) => `"${t.replace(/"/g, '')}"`;

interface Plan { fts: string; and: boolean; bounded: boolean }
/** Which FTS5 expressions to try, in order (the first that finds anything answers). */
function plans(tokens: string[], df: Map<string, number>, expansions: string[]): Plan[] {
  const present = tokens.filter((t) => (df.get(t) ?? 0) > 0).sort((a, b) => df.get(a)! - df.get(b)!);
  const out: Plan[] = [];
  if (tokens.length <= PLAN.shortQueryTokens && present.length === tokens.length && present.length > 0) {
    out.push({ fts: [`(${tokens.map(quote).join(' AND ')})`, ...expansions].join(' OR '), and: true, bounded: false });
  }
  const rare: string[] = [];
  let postings = 0;
  for (const t of present) {
    if (rare.length > 0 && postings + df.get(t)! > PLAN.budget) break;
    rare.push(t);
    postings += df.get(t)!;
  }
  if (rare.length || expansions.length) out.push({ fts: [...rare.map(quote), ...expansions].join(' OR '), and: false, bounded: postings <= PLAN.budget });
  return out;
}

const toHit = (r: Row, match: SearchHit['match']): SearchHit => ({
  id: r.document_id, title: r.title, docNumber: r.doc_number, kind: r.kind, issuer: r.issuer, validity: r.validity, publishedAt: r.published_at, summary: r.summary,
  placements: JSON.parse(r.placements) as SearchHit['placements'], match, snippet: escapeHtml(r.summary), related: [],
});

/**
 * The best `want` matches of an FTS expression (filters included) and the capped number of matches. Ranking
 * reads the FTS tables only: joining each match to search_docs cost twice the ranking itself at 100k documents.
 */
async function rankedIds(db: D1Database, expr: string, bounded: boolean, params: SearchParams, want: number): Promise<{ ranked: Ranked[]; count: number }> {
  const order = params.sort === 'date' ? 'rowid DESC' : 's';
  const count = db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ? LIMIT ${PLAN.countCap + 1})`).bind(expr);
  const rank = (table: string, weights: string, window: boolean) => {
    const newest = window ? ` AND rowid >= coalesce((SELECT rowid FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ${PLAN.window - 1}), 0)` : '';
    return db.prepare(`SELECT rowid, ${weights} AS s FROM ${table} WHERE ${table} MATCH ?${newest} ORDER BY ${order} LIMIT ?`).bind(...(window ? [expr, expr] : [expr]), want);
  };
  const rows = (r: D1Result | undefined, tier: number) => (r!.results as { rowid: number; s: number }[]).map((x) => ({ ...x, tier }));
  const n = (r: D1Result | undefined) => (r!.results[0] as { n: number }).n;
  if (bounded) {
    // Within the budget whatever the number of matches: count and rank in one round trip.
    const [c, r] = await db.batch([count, rank('search_fts', WEIGHTS, false)]);
    return { ranked: rows(r, 1), count: n(c) };
  }
  const [c, probe] = await db.batch([count, db.prepare(`SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ${PLAN.fullRank - 1}`).bind(expr)]);
  if (probe!.results.length === 0) return { ranked: rows((await db.batch([rank('search_fts', WEIGHTS, false)]))[0], 1), count: n(c) };
  // Broad: title matches first, then body matches, each over its newest WINDOW matches.
  const [titles, bodies] = await db.batch([rank('search_title_fts', TITLE_WEIGHTS, true), rank('search_fts', WEIGHTS, true)]);
  const seen = new Set<number>();
  return { ranked: [...rows(titles, 0), ...rows(bodies, 1)].filter((r) => !seen.has(r.rowid) && seen.add(r.rowid)), count: n(c) };
}

/** The documents of ranked matches, in final order: by tier, then BM25 lifted a little for recent documents. */
async function rankedDocuments(db: D1Database, ranked: Ranked[], params: SearchParams, now: number): Promise<Row[]> {
  if (ranked.length === 0) return [];
  const { results } = await db.prepare(`SELECT ${COLS} FROM search_docs d WHERE d.rowid IN (SELECT value FROM json_each(?))`).bind(JSON.stringify(ranked.map((r) => r.rowid))).all<Row>();
  const byRowid = new Map(results.map((r) => [r.rowid, r]));
  const score = (r: Ranked) => {
    const ageYears = Math.max(0, (now - Date.parse(byRowid.get(r.rowid)!.published_at)) / 31_557_600_000);
    return r.s * (1 + PLAN.recency / (1 + ageYears));
  };
  const present = ranked.filter((r) => byRowid.has(r.rowid));
  const ordered = params.sort === 'date' ? present : present.map((r) => ({ r, k: score(r) })).sort((a, b) => a.r.tier - b.r.tier || a.k - b.k).map((x) => x.r);
  return ordered.map((r) => byRowid.get(r.rowid)!);
}

/**
 * Snippets and policy ↔ interpretation grouping for one page of hits, in one round trip. Snippets are cut
 * around the rarest query tokens (SQL cuts the window; JS marks it). Either side of a pair found brings the
 * other along; a pair found together shows once, the interpretation under its policy.
 */
async function decorate(db: D1Database, hits: SearchHit[], terms: string[]): Promise<SearchHit[]> {
  if (hits.length === 0) return hits;
  const ids = JSON.stringify(hits.map((h) => h.id));
  const probe = terms.slice(0, 4);
  const at = probe.length ? `coalesce(${probe.map(() => 'nullif(instr(t.body, ?), 0)').join(', ')}, 1)` : '1';
  const [passageRes, down, up] = await db.batch([
    db.prepare(`SELECT d.document_id AS id, substr(t.body, max(1, ${at} - 60), 400) AS passage FROM search_docs d JOIN search_text t ON t.rowid = d.rowid WHERE d.document_id IN (SELECT value FROM json_each(?))`).bind(...probe, ids),
    db.prepare('SELECT l.policy_id AS anchor, d.document_id AS id, d.title, d.placements FROM search_links l JOIN search_docs d ON d.document_id = l.interpretation_id WHERE l.policy_id IN (SELECT value FROM json_each(?))').bind(ids),
    db.prepare('SELECT l.interpretation_id AS anchor, d.document_id AS id, d.title, d.placements FROM search_links l JOIN search_docs d ON d.document_id = l.policy_id WHERE l.interpretation_id IN (SELECT value FROM json_each(?))').bind(ids),
  ]);
  const passages = new Map((passageRes!.results as { id: string; passage: string }[]).map((r) => [r.id, r.passage]));
  const weights = terms.map((_, i) => 1 / (1 + i)); // rarer first, heavier
  for (const h of hits) h.snippet = snippetHtml(passages.get(h.id) ?? '', terms, 96, weights) ?? snippetHtml(h.summary, terms, 96, weights) ?? escapeHtml(h.summary);
  type Link = { anchor: string; id: string; title: string; placements: string };
  const byId = new Map(hits.map((h) => [h.id, h]));
  const absorbed = new Set<string>();
  for (const [rows, relation] of [[down!.results as Link[], 'interpretation'], [up!.results as Link[], 'policy']] as const) {
    for (const l of rows) {
      const anchor = byId.get(l.anchor)!;
      anchor.related.push({ id: l.id, title: l.title, relation, placements: JSON.parse(l.placements) as RelatedHit['placements'] });
      if (relation === 'interpretation' && byId.has(l.id) && !absorbed.has(anchor.id)) absorbed.add(l.id);
    }
  }
  return hits.filter((h) => !absorbed.has(h.id));
}

export async function searchD1(db: D1Database, params: SearchParams, synonyms: SynonymGroups = []): Promise<SearchResult> {
  const cleaned = cleanQuery(params.q);
  let text = cleaned.ok ? cleaned.text : '';
  const { sql: where, args } = filterSql(params);
  const offset = (params.page - 1) * params.size;
  const empty = (extra: Partial<SearchResult> = {}): SearchResult => ({ query: text, total: 0, totalIsLowerBound: false, page: params.page, size: params.size, hits: [], suggestion: null, ...extra });

  // An exact 发文字号, typed in any bracket style, comes first. It and the tokens' document frequencies are
  // looked up in one round trip (each D1 call costs a round trip on top of its SQL).
  const number = normalizeDocNumber(params.q);
  let tokens = [...new Set(runs(text).flatMap(runTokens))];
  const [exactRes, dfRes] = await db.batch([
    number ? db.prepare(`SELECT ${COLS} FROM search_docs d WHERE d.doc_number = ?${where}`).bind(number, ...args) : db.prepare('SELECT 1 WHERE 0'),
    db.prepare('SELECT term, df FROM search_terms WHERE term IN (SELECT value FROM json_each(?))').bind(JSON.stringify(tokens)),
  ]);
  const exact = number ? (exactRes!.results as Row[]).map((r) => toHit(r, 'doc-number')) : [];
  if (tokens.length === 0) return empty({ total: exact.length, hits: exact.slice(offset, offset + params.size) });
  let df = new Map((dfRes!.results as { term: string; df: number }[]).map((r) => [r.term, r.df]));
  // A keyword with an unknown bigram is most likely misspelt (社保 typed 设保): search the correction instead
  // when every one of its bigrams is known, and say so.
  let suggestion: string | null = null;
  if (tokens.length <= PLAN.shortQueryTokens && tokens.some((t) => !df.has(t)) && exact.length === 0) {
    const fixed = await correction(text, tokens, df, (more) => frequencies(db, more));
    if (fixed) {
      suggestion = fixed.text;
      text = fixed.text;
      tokens = fixed.tokens;
      df = fixed.df;
    }
  }
  const shortQuery = tokens.length <= PLAN.shortQueryTokens;
  // Abbreviations and full forms (社保 ↔ 社会保险) only for keyword-style queries: in a long question each
  // expansion is one more OR-ed term that skews BM25 toward documents repeating the synonyms.
  const expansions = shortQuery ? synonymsIn(text, synonyms).map(phraseOf).filter((p): p is string => p !== null) : [];
  const exactIds = new Set(exact.map((h) => h.id));
  const exactRowids = new Set(number ? (exactRes!.results as Row[]).map((r) => r.rowid) : []);
  const want = Math.max(0, offset - exact.length) + params.size + exact.length + (params.sort === 'date' ? 0 : RERANK_MARGIN);
  const filter = facetQuery(params);

  let found = { ranked: [] as Ranked[], count: 0 };
  for (const plan of plans(tokens, df, expansions)) {
    found = await rankedIds(db, filter ? `(${plan.fts}) AND ${filter}` : plan.fts, plan.bounded, params, want);
    if (found.count > 0) break; // the strict plan found something; the loose one is only a fallback
  }
  const rows = (await rankedDocuments(db, found.ranked, params, Date.now())).filter((r) => !exactIds.has(r.document_id));
  // An exact 发文字号 hit usually matches the text too: count it once.
  const counted = Math.min(found.count, PLAN.countCap) - found.ranked.filter((r) => exactRowids.has(r.rowid)).length;
  const textHits = rows.map((r) => toHit(r, 'text'));
  const all = [...exact, ...textHits];
  let hits = all.slice(offset, offset + params.size);
  const byRarity = tokens.filter((t) => df.has(t)).sort((a, b) => df.get(a)! - df.get(b)!);
  hits = await decorate(db, hits, byRarity);
  return {
    query: text, total: counted + exact.length, totalIsLowerBound: found.count > PLAN.countCap, page: params.page, size: params.size, hits, suggestion,
  };
}

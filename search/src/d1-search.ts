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
import { termWeights, type TermWeights } from './query-terms.ts';
import { nearness, type Area } from './area.ts';

export const PLAN = {
  /** Up to this many tokens (≈ 7 Han characters) a query counts as keywords: all must match. */
  shortQueryTokens: 6,
  /** Postings an OR query may score (sum of its tokens' document frequencies). */
  budget: 3000,
  /** Matches up to which everything is ranked; beyond, the query is broad (and its total shown as 1000+). */
  fullRank: 1000,
  /** Newest matches ranked per tier of a broad query. */
  window: 300,
  countCap: 1000,
  /** Weight of recency: a document published today scores 1 + this times its BM25, one a year old half that. */
  recency: 0.15,
  /**
   * The relevance floor: a document matched by a loose (OR) plan is a result only when it holds at least this
   * share of the query's term weight (Cover). Below it, "some rare word of the question occurs somewhere" is
   * all it has in common with the query — 南宁市住房公积金贷款额度 found the 双随机 opinion that way.
   * Chosen on the evaluation's tune halves (docs/benchmarks.md): the highest that keeps every judged answer of
   * the dev questions and of the kind sets; the unrelated matches it is there for hold under a tenth.
   */
  floor: 0.15,
  /** Terms the floor weighs (the rarest): enough for any question, bounded in cost. */
  coverTerms: 16,
  /** Candidates beyond the page a reader's nearness may lift onto it (area.ts). */
  nearMargin: 40,
} as const;

/** bm25() weights per FTS column: title, doc_number, keywords, body (facets and issuer only filter). */
const WEIGHTS = 'bm25(search_fts, 8, 6, 4, 1, 0, 0)';
const TITLE_WEIGHTS = 'bm25(search_title_fts, 8, 6, 4, 0, 0)';
/** Candidates beyond the page that the recency boost may lift onto it. */
const RERANK_MARGIN = 20;

const COLS = 'd.rowid, d.document_id, d.title, d.doc_number, d.kind, d.issuer, d.validity, d.published_at, d.summary, d.placements, d.area';
/** A ranked match: its rowid, BM25 (negative, lower is better) and tier (0: title match of a broad query). */
interface Ranked {
  rowid: number;
  s: number;
  tier: number;
}

/** Document frequencies of tokens (absent ones are in no document), as a statement for a batch. */
const frequencyStatement = (db: D1Database, tokens: readonly string[]) =>
  db.prepare('SELECT term, df FROM search_terms WHERE term IN (SELECT value FROM json_each(?))').bind(JSON.stringify(tokens));

export async function frequencies(db: D1Database, tokens: readonly string[]): Promise<Map<string, number>> {
  if (tokens.length === 0) return new Map();
  const { results } = await frequencyStatement(db, tokens).all<{ term: string; df: number }>();
  return new Map(results.map((r) => [r.term, r.df]));
}

const quote = (t: string) => `"${t.replace(/"/g, '')}"`;

interface Plan {
  fts: string;
  bounded: boolean;
  /** Every term must match (or a synonym phrase): its matches are results. Loose plans pass the floor first. */
  strict: boolean;
}
/** Which FTS5 expressions to try, in order (the first that finds anything answers). */
function plans(tokens: string[], df: Map<string, number>, expansions: string[], weights: TermWeights): Plan[] {
  const present = tokens.filter((t) => (df.get(t) ?? 0) > 0).sort((a, b) => df.get(a)! - df.get(b)!);
  const out: Plan[] = [];
  if (tokens.length <= PLAN.shortQueryTokens && present.length === tokens.length && present.length > 0) {
    const postings = present.reduce((n, t) => n + df.get(t)!, 0);
    out.push({
      fts: [`(${tokens.map(quote).join(' AND ')})`, ...expansions].join(' OR '),
      bounded: expansions.length === 0 && postings <= PLAN.budget,
      strict: true,
    });
  }
  const rare: string[] = [];
  let postings = 0;
  for (const t of present) {
    if (weights.ignore.has(t)) continue;
    if (rare.length > 0 && postings + df.get(t)! > PLAN.budget) break;
    rare.push(t);
    postings += df.get(t)!;
  }
  // BM25 sums over the phrases of the expression, so a bigram listed twice counts twice (query-terms.ts).
  const weighted = rare.flatMap((t) => (weights.inWord.has(t) ? [quote(t), quote(t)] : [quote(t)]));
  if (rare.length || expansions.length) out.push({ fts: [...weighted, ...expansions].join(' OR '), bounded: postings <= PLAN.budget, strict: false });
  return out;
}

const toHit = (r: Row, match: SearchHit['match']): SearchHit => ({
  id: r.document_id,
  title: r.title,
  docNumber: r.doc_number,
  kind: r.kind,
  issuer: r.issuer,
  validity: r.validity,
  publishedAt: r.published_at,
  summary: r.summary,
  placements: JSON.parse(r.placements) as SearchHit['placements'],
  area: r.area ? (JSON.parse(r.area) as Area) : null,
  match,
  snippet: escapeHtml(r.summary),
  related: [],
});

interface Row {
  rowid: number;
  document_id: string;
  title: string;
  doc_number: string | null;
  kind: string;
  issuer: string | null;
  validity: string | null;
  published_at: string;
  summary: string;
  placements: string;
  area: string | null;
}
/** A candidate with everything its hit shows: the passage for its snippet and its policy ↔ 解读 partners. */
interface Detailed extends Row {
  s: number;
  passage: string | null;
  interpretations: string;
  policies: string;
  /** Weight of the query's terms the document holds (Cover), for the relevance floor. */
  cover: number;
}

/**
 * The query's terms with their weights, for the relevance floor: how much of what the query asks a document
 * holds (in its title or text). Weights are idf (rare terms say more), doubled inside a word like the ranking's.
 */
export interface Cover {
  terms: string[];
  weights: number[];
}
const coverSql = (cover: Cover) =>
  cover.terms.length ? cover.weights.map((w) => `${w.toFixed(4)} * (instr(d.title, ?) > 0 OR instr(t.body, ?) > 0)`).join(' + ') : '1';
/** Parameters of the detail columns, in the order detailColumns writes their placeholders. */
const detailArgs = (probe: string[], cover: Cover) => [...probe, ...cover.terms.flatMap((t) => [t, t])];

/** Columns of a candidate `d` (search_docs) with `t` (search_text); `probe` tokens place the passage. */
function detailColumns(probe: number, cover: Cover): string {
  const at = probe ? `coalesce(${Array.from({ length: probe }, () => 'nullif(instr(t.body, ?), 0)').join(', ')}, 1)` : '1';
  const partners = (from: string, to: string) =>
    `(SELECT json_group_array(json_object('id', x.document_id, 'title', x.title, 'placements', json(x.placements))) FROM search_links l JOIN search_docs x ON x.document_id = l.${to} WHERE l.${from} = d.document_id)`;
  return `${COLS}, substr(t.body, max(1, ${at} - 60), 400) AS passage, ${partners('policy_id', 'interpretation_id')} AS interpretations, ${partners('interpretation_id', 'policy_id')} AS policies, (${coverSql(cover)}) AS cover`;
}

/**
 * The best `want` matches of an FTS expression (filters included) with everything their hits show, and the
 * capped number of matches, in one D1 call: a call costs about as much as a cheap query, so ranking, rows,
 * passages and partners come back together. Ranking reads the FTS tables alone (a join per match cost twice
 * the ranking at 100k documents); only the `want` best are joined to their rows.
 */
async function rankedPage(
  db: D1Database,
  expr: string,
  bounded: boolean,
  params: SearchParams,
  want: number,
  probe: string[],
  exactRowids: number[],
  cover: Cover,
): Promise<{ ranked: Ranked[]; count: number; details: Map<number, Detailed> }> {
  const detailed = (rankSql: string, rankArgs: unknown[]) =>
    db
      .prepare(
        `WITH r AS (${rankSql}) SELECT r.s AS s, ${detailColumns(probe.length, cover)} FROM r JOIN search_docs d ON d.rowid = r.rowid JOIN search_text t ON t.rowid = r.rowid ORDER BY ${params.sort === 'date' ? 'd.published_ts DESC, d.rowid DESC' : 'r.s'}`,
      )
      .bind(...rankArgs, ...detailArgs(probe, cover));
  const exactStmt = exactRowids.length
    ? db
        .prepare(
          `SELECT 0 AS s, ${detailColumns(probe.length, cover)} FROM search_docs d JOIN search_text t ON t.rowid = d.rowid WHERE d.rowid IN (SELECT value FROM json_each(?))`,
        )
        .bind(...detailArgs(probe, cover), JSON.stringify(exactRowids))
    : db.prepare('SELECT 1 WHERE 0');
  const nothing = db.prepare('SELECT 1 WHERE 0');
  let statements: [D1PreparedStatement, D1PreparedStatement, D1PreparedStatement];
  if (params.sort === 'date') {
    // Newest first by the publish time, not the rowid (the index's order of writing): the matches' rowids come
    // from the doclist without scoring, and the page is taken from the published_ts index.
    statements = [
      db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ? LIMIT ${PLAN.countCap + 1})`).bind(expr),
      detailed(
        `SELECT d.rowid AS rowid, 0 AS s, d.published_ts AS ts FROM search_docs d WHERE d.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?) ORDER BY d.published_ts DESC, d.rowid DESC LIMIT ?`,
        [expr, want],
      ),
      nothing,
    ];
  } else if (bounded) {
    // Within the budget whatever the number of matches: count and rank.
    statements = [
      db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ? LIMIT ${PLAN.countCap + 1})`).bind(expr),
      detailed(`SELECT rowid, ${WEIGHTS} AS s FROM search_fts WHERE search_fts MATCH ? ORDER BY s LIMIT ?`, [expr, want]),
      nothing,
    ];
  } else {
    // Over budget: BM25 over the body index would first count every document holding each token (FTS5 derives
    // its idf by walking the whole doclist), so it ranks titles only — the title index is small — and lists
    // the body matches newest first. FTS5 walks rowids backwards without scoring: the newest are cheap.
    statements = [
      db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT ${PLAN.fullRank})`).bind(expr),
      detailed(`SELECT rowid, 0 AS s FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT ?`, [expr, want]),
      detailed(
        `SELECT rowid, ${TITLE_WEIGHTS} AS s FROM search_title_fts WHERE search_title_fts MATCH ? AND rowid >= coalesce((SELECT rowid FROM search_title_fts WHERE search_title_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ${PLAN.window - 1}), 0) ORDER BY s LIMIT ?`,
        [expr, expr, want],
      ),
    ];
  }
  const [countRes, bodies, titles, exactRes] = await db.batch([...statements, exactStmt]);
  let count = (countRes!.results[0] as { n: number }).n;
  if (!bounded && count >= PLAN.fullRank) count = PLAN.countCap + 1;
  const details = new Map<number, Detailed>();
  for (const r of [...(exactRes!.results as Detailed[]), ...(bodies!.results as Detailed[]), ...(titles!.results as Detailed[])]) details.set(r.rowid, r);
  const seen = new Set<number>();
  const ranked = [
    ...(titles!.results as Detailed[]).map((r) => ({ rowid: r.rowid, s: r.s, tier: 0 })),
    ...(bodies!.results as Detailed[]).map((r) => ({ rowid: r.rowid, s: r.s, tier: 1 })),
  ].filter((r) => !seen.has(r.rowid) && seen.add(r.rowid));
  return { ranked, count, details };
}

/**
 * Ranked matches in final order: by tier, then BM25 lifted a little for recent documents. For a reader
 * somewhere (params.reader) documents near them are lifted (area.ts) and other provinces' come after the rest.
 */
function finalOrder(ranked: Ranked[], rows: Map<number, Row>, params: SearchParams, now: number): Ranked[] {
  const present = ranked.filter((r) => rows.has(r.rowid));
  if (params.sort === 'date') return present;
  const reader = params.reader;
  const place = (row: Row): { far: number; near: number } => {
    if (!reader) return { far: 0, near: 1 };
    const area = row.area ? (JSON.parse(row.area) as Area) : null;
    const here = reader.siteId !== null && (JSON.parse(row.placements) as { siteId: string }[]).some((p) => p.siteId === reader.siteId);
    return { far: area?.scope === 'other' && !here ? 1 : 0, near: nearness(area, here, reader) };
  };
  const score = (r: Ranked) => {
    const row = rows.get(r.rowid)!;
    const { far, near } = place(row);
    return { far, k: r.s * near * (1 + PLAN.recency / (1 + Math.max(0, (now - Date.parse(row.published_at)) / 31_557_600_000))) };
  };
  return present
    .map((r) => ({ r, ...score(r) }))
    .sort((a, b) => a.far - b.far || a.r.tier - b.r.tier || a.k - b.k)
    .map((x) => x.r);
}

/**
 * The floor's terms: the query's known tokens, rarest first, weighted by idf (doubled inside a word), and their
 * whole weight. Tokens no document holds are left out: mostly they are a typo or two words run together
 * (金贷 in 公积金贷款), and counting them sank the right answer to typed-wrong queries under the floor.
 */
function coverOf(tokens: string[], df: Map<string, number>, weights: TermWeights, docs: number): Cover & { total: number } {
  const weight = (t: string) => Math.log(1 + docs / df.get(t)!) * (weights.inWord.has(t) ? 2 : 1);
  const known = tokens.filter((t) => (df.get(t) ?? 0) > 0 && !weights.ignore.has(t)).sort((a, b) => df.get(a)! - df.get(b)!);
  const terms = known.slice(0, PLAN.coverTerms);
  return { terms, weights: terms.map(weight), total: terms.reduce((n, t) => n + weight(t), 0) };
}

/**
 * Snippets and grouping for a page of hits: either side of a policy ↔ interpretation pair found brings the
 * other along; a pair found together shows once, the interpretation under its policy.
 */
function decorateHits(page: { hit: SearchHit; row: Detailed }[], terms: string[]): SearchHit[] {
  const weights = terms.map((_, i) => 1 / (1 + i)); // rarer first, heavier
  const onPage = new Set(page.map((p) => p.hit.id));
  const absorbed = new Set<string>();
  for (const { hit, row } of page) {
    hit.snippet = snippetHtml(row.passage ?? '', terms, 96, weights) ?? snippetHtml(hit.summary, terms, 96, weights) ?? escapeHtml(hit.summary);
    for (const [json, relation] of [
      [row.interpretations, 'interpretation'],
      [row.policies, 'policy'],
    ] as const) {
      for (const p of JSON.parse(json ?? '[]') as { id: string; title: string; placements: RelatedHit['placements'] }[]) {
        hit.related.push({ id: p.id, title: p.title, relation, placements: p.placements });
        if (relation === 'interpretation' && onPage.has(p.id) && !absorbed.has(hit.id)) absorbed.add(p.id);
      }
    }
  }
  return page.map((p) => p.hit).filter((h) => !absorbed.has(h.id));
}

/**
 * Document frequencies of tokens seen recently, per isolate: the planner needs them before every query, and
 * most queries repeat common tokens. Only known tokens are kept (an unknown one may be indexed any moment),
 * for a minute; indexing through this isolate clears them.
 */
const DF_TTL_MS = 60_000;
const DF_MAX = 50_000;
let dfCache = new Map<string, { df: number; until: number }>();
/** About how many documents the index holds (its highest rowid), for idf: kept like the frequencies. */
let docsCache: { n: number; until: number } | null = null;
export const forgetFrequencies = () => {
  dfCache = new Map();
  docsCache = null;
};

export async function searchD1(db: D1Database, params: SearchParams, synonyms: SynonymGroups = []): Promise<SearchResult> {
  const cleaned = cleanQuery(params.q);
  let text = cleaned.ok ? cleaned.text : '';
  // The same facet terms filter the 发文字号 look-up and the ranking: one definition of every filter.
  const filter = facetQuery(params);
  const offset = (params.page - 1) * params.size;
  const empty = (extra: Partial<SearchResult> = {}): SearchResult => ({
    query: text,
    total: 0,
    totalIsLowerBound: false,
    page: params.page,
    size: params.size,
    hits: [],
    suggestion: null,
    ...extra,
  });

  // An exact 发文字号, typed in any bracket style, comes first. It and the document frequencies the isolate
  // does not hold yet are looked up in one round trip, and only when needed.
  const number = normalizeDocNumber(params.q);
  let tokens = [...new Set(runs(text).flatMap(runTokens))];
  const now = Date.now();
  let df = new Map<string, number>();
  const unknown: string[] = [];
  for (const t of tokens) {
    const c = dfCache.get(t);
    if (c && c.until > now) df.set(t, c.df);
    else unknown.push(t);
  }
  let exactRows: Row[] = [];
  const docsKnown = docsCache !== null && docsCache.until > now;
  if (number || unknown.length || !docsKnown) {
    const [exactRes, dfRes, docsRes] = await db.batch([
      number
        ? db
            .prepare(
              `SELECT ${COLS} FROM search_docs d WHERE d.doc_number = ?${filter ? ' AND d.rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)' : ''}`,
            )
            .bind(number, ...(filter ? [filter] : []))
        : db.prepare('SELECT 1 WHERE 0'),
      frequencyStatement(db, unknown),
      db.prepare('SELECT coalesce(max(rowid), 0) AS n FROM search_docs'),
    ]);
    docsCache = { n: (docsRes!.results[0] as { n: number }).n, until: now + DF_TTL_MS };
    if (number) exactRows = exactRes!.results as Row[];
    if (dfCache.size > DF_MAX) dfCache = new Map();
    for (const r of dfRes!.results as { term: string; df: number }[]) {
      df.set(r.term, r.df);
      dfCache.set(r.term, { df: r.df, until: now + DF_TTL_MS });
    }
  }
  const exact = exactRows.map((r) => toHit(r, 'doc-number'));
  if (tokens.length === 0) return empty({ total: exact.length, hits: exact.slice(offset, offset + params.size) });
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
  const synonymTerms = shortQuery ? synonymsIn(text, synonyms) : [];
  const expansions = synonymTerms.map(phraseOf).filter((p): p is string => p !== null);
  const exactRowids = new Set(exactRows.map((r) => r.rowid));
  const want =
    Math.max(0, offset - exact.length) + params.size + exact.length + (params.sort === 'date' ? 0 : RERANK_MARGIN + (params.reader ? PLAN.nearMargin : 0));

  // Snippets mark the query's tokens, rarest first, and the synonyms it was expanded with (社保 → 社会保险).
  const byRarity = [...tokens.filter((t) => df.has(t)).sort((a, b) => df.get(a)! - df.get(b)!), ...synonymTerms];
  let found: Awaited<ReturnType<typeof rankedPage>> = { ranked: [], count: 0, details: new Map() };
  // A 发文字号: the other results are the documents citing that very number — and only those, whether or not
  // it named a document here (a withdrawn 兴政办发〔2026〕12号 is not 'found' in documents sharing its digits).
  const weights = termWeights(text);
  const planList: Plan[] = number
    ? [{ fts: quote(tokens.join(' ')), bounded: tokens.reduce((n, t) => n + (df.get(t) ?? 0), 0) <= PLAN.budget, strict: true }]
    : plans(tokens, df, expansions, weights);
  const cover = coverOf(tokens, df, weights, docsCache!.n);
  const coverTotal = cover.total;
  for (const plan of planList) {
    const floored = !plan.strict && coverTotal > 0;
    const fts = filter ? `(${plan.fts}) AND ${filter}` : plan.fts;
    found = await rankedPage(db, fts, plan.bounded, params, want, byRarity.slice(0, 4), [...exactRowids], floored ? cover : { terms: [], weights: [] });
    if (floored) {
      // Below the floor a match is not a result: neither shown nor counted.
      const kept = found.ranked.filter((r) => (found.details.get(r.rowid)?.cover ?? 0) >= PLAN.floor * coverTotal);
      if (kept.length < found.ranked.length) found = { ...found, ranked: kept, count: kept.length };
    }
    if (found.count > 0) break; // the strict plan found something; the loose one is only a fallback
  }
  const ordered = [
    ...exactRows.map((r) => ({ rowid: r.rowid, match: 'doc-number' as const })),
    ...finalOrder(found.ranked, found.details, params, now)
      .filter((r) => !exactRowids.has(r.rowid))
      .map((r) => ({ rowid: r.rowid, match: 'text' as const })),
  ];
  const page = ordered.slice(offset, offset + params.size).flatMap((o) => {
    const row = found.details.get(o.rowid);
    return row ? [{ row, hit: toHit(row, o.match) }] : [];
  });
  const hits = decorateHits(page, byRarity);
  // An exact 发文字号 hit usually matches the text too: count it once.
  const counted = Math.min(found.count, PLAN.countCap) - found.ranked.filter((r) => exactRowids.has(r.rowid)).length;
  return {
    query: text,
    total: counted + exact.length,
    totalIsLowerBound: found.count > PLAN.countCap,
    page: params.page,
    size: params.size,
    hits,
    suggestion,
  };
}

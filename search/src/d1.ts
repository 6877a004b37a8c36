/**
 * The embedded search backend: D1's FTS5 over the bigram token stream (tokenize.ts), BM25 with field weights
 * (title ≫ 发文字号/keywords ≫ body), exact 发文字号 look-up first, filters and date sort on a side table.
 * Runs in the Worker against the same D1 as the content; the seed and the eval load it with `indexStatements`.
 */
import { escapeHtml } from '@ywtc/cms-schema';
import { normalizeDocNumber } from './doc-number.ts';
import { cleanQuery } from './query.ts';
import type { SearchBackend, SearchDocument, SearchHit, SearchParams, SearchResult } from './schema.ts';
import { indexText, runTokens, runs } from './tokenize.ts';
import { parseSynonyms, phraseOf, synonymsIn, type SynonymGroups } from './synonyms.ts';

const SYNONYM_TTL_MS = 60_000;
/** Up to this many tokens (≈ 7 Han characters) a query counts as keywords: all must match, synonyms expand it. */
const SHORT_QUERY_TOKENS = 6;
/** Tokens in more than this share of the index are dropped from OR queries (the rarest MIN_TOKENS always stay). */
const COMMON_FRACTION = 0.3;
const MIN_TOKENS = 3;
/** Pruning is a cost measure: below this many documents every query is cheap, so nothing is dropped. */
const PRUNE_FROM = 2000;
const MAX_OR_TOKENS = 32;
/** Totals are counted up to here; beyond it the page says “1000+”. */
const COUNT_CAP = 1000;

let docCountCache: { n: number; until: number } | null = null;
async function indexedDocuments(db: D1Database, now = Date.now()): Promise<number> {
  if (docCountCache && docCountCache.until > now) return docCountCache.n;
  const n = (await db.prepare('SELECT count(*) AS n FROM search_docs').first<{ n: number }>())?.n ?? 0;
  docCountCache = { n, until: now + SYNONYM_TTL_MS };
  return n;
}

async function documentFrequencies(db: D1Database, tokens: string[]): Promise<Map<string, number>> {
  const { results } = await db.prepare(`SELECT term, doc FROM search_vocab WHERE term IN (${tokens.map(() => '?').join(',')})`).bind(...tokens).all<{ term: string; doc: number }>();
  return new Map(results.map((r) => [r.term, r.doc]));
}
let synonymCache: { groups: SynonymGroups; until: number } | null = null;

/** The synonym groups from D1, kept for a minute per isolate (admins' edits show within that). */
export async function loadSynonyms(db: D1Database, now = Date.now()): Promise<SynonymGroups> {
  if (synonymCache && synonymCache.until > now) return synonymCache.groups;
  const { results } = await db.prepare('SELECT terms FROM search_synonyms ORDER BY id').all<{ terms: string }>();
  const groups = parseSynonyms(results.map((r) => r.terms).join('\n'));
  synonymCache = { groups, until: now + SYNONYM_TTL_MS };
  return groups;
}

/** bm25() weights per FTS column: title, doc_number, keywords, body. */
const WEIGHTS = [8, 6, 4, 1] as const;

/** Statements that put documents into the index, replacing any earlier entry of the same id. */
export function indexStatements(db: D1Database, docs: readonly SearchDocument[]): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  for (const d of docs) {
    out.push(...removeStatements(db, [d.id]));
    out.push(
      db.prepare(
        `INSERT INTO search_docs (document_id, title, doc_number, kind, issuer, validity, year, published_at, summary, placements)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).bind(d.id, d.title, d.docNumber, d.kind, d.issuer, d.validity, Number(d.publishedAt.slice(0, 4)), d.publishedAt, d.summary, JSON.stringify(d.placements)),
      db.prepare(
        `INSERT INTO search_fts (rowid, title, doc_number, keywords, body) VALUES ((SELECT rowid FROM search_docs WHERE document_id = ?), ?, ?, ?, ?)`,
      ).bind(d.id, indexText(d.title), d.docNumber ? indexText(d.docNumber) : '', indexText(d.keywords.join(' ')), indexText(d.body)),
      ...d.placements.map((p) => db.prepare('INSERT INTO search_sites (document_id, site_id) VALUES (?, ?)').bind(d.id, p.siteId)),
    );
  }
  return out;
}

export function removeStatements(db: D1Database, ids: readonly string[]): D1PreparedStatement[] {
  return ids.flatMap((id) => [
    db.prepare('DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE document_id = ?)').bind(id),
    db.prepare('DELETE FROM search_sites WHERE document_id = ?').bind(id),
    db.prepare('DELETE FROM search_docs WHERE document_id = ?').bind(id),
  ]);
}

interface Row { document_id: string; title: string; doc_number: string | null; kind: string; issuer: string | null; validity: string | null; published_at: string; summary: string; placements: string }
const toHit = (r: Row, match: SearchHit['match']): SearchHit => ({
  id: r.document_id, title: r.title, docNumber: r.doc_number, kind: r.kind, issuer: r.issuer, validity: r.validity, publishedAt: r.published_at, summary: r.summary,
  placements: JSON.parse(r.placements) as SearchHit['placements'], match, snippet: escapeHtml(r.summary), related: [],
});

export async function searchD1(db: D1Database, params: SearchParams, synonyms: SynonymGroups = []): Promise<SearchResult> {
  const cleaned = cleanQuery(params.q);
  const text = cleaned.ok ? cleaned.text : '';
  const filters: string[] = [];
  const args: (string | number)[] = [];
  if (params.site) { filters.push('d.document_id IN (SELECT document_id FROM search_sites WHERE site_id = ?)'); args.push(params.site); }
  if (params.kind) { filters.push('d.kind = ?'); args.push(params.kind); }
  if (params.validity) { filters.push('d.validity = ?'); args.push(params.validity); }
  if (params.year) { filters.push('d.year = ?'); args.push(params.year); }
  const where = filters.length ? ' AND ' + filters.join(' AND ') : '';
  const offset = (params.page - 1) * params.size;
  const cols = 'd.document_id, d.title, d.doc_number, d.kind, d.issuer, d.validity, d.published_at, d.summary, d.placements';

  // An exact 发文字号, typed in any bracket style, comes first.
  const number = normalizeDocNumber(params.q);
  const exact = number
    ? (await db.prepare(`SELECT ${cols} FROM search_docs d WHERE d.doc_number = ?${where}`).bind(number, ...args).all<Row>()).results.map((r) => toHit(r, 'doc-number'))
    : [];

  const tokens = [...new Set(runs(text).flatMap(runTokens))];
  if (tokens.length === 0) return { query: text, total: exact.length, totalIsLowerBound: false, page: params.page, size: params.size, hits: exact.slice(offset, offset + params.size) };
  const [df, docCount] = await Promise.all([documentFrequencies(db, tokens), indexedDocuments(db)]);
  const quote = (t: string) => `"${t.replace(/"/g, '')}"`;
  // Abbreviations and full forms: 社保 also searches the exact phrase 社会保险, and the reverse. Only for short,
  // keyword-style queries: in a long question each expansion is one more OR-ed term that skews BM25 toward
  // documents repeating the synonyms (nDCG@10 0.9136 → 0.9117 on the dev questions when always on).
  const shortQuery = tokens.length <= SHORT_QUERY_TOKENS;
  const expansions = shortQuery ? synonymsIn(text, synonyms).map(phraseOf).filter((p): p is string => p !== null) : [];
  // Keyword queries need every token (an intersection, cheap however common a token is); questions take the
  // rarer tokens OR-ed: a bigram in more than a tenth of the documents adds almost nothing to BM25 but makes
  // every one of those documents a candidate to score.
  const present = tokens.filter((t) => (df.get(t) ?? 0) > 0).sort((a, b) => df.get(a)! - df.get(b)!);
  const prune = docCount >= PRUNE_FROM;
  const informative = present.filter((t, i) => !prune || i < MIN_TOKENS || df.get(t)! <= docCount * COMMON_FRACTION).slice(0, MAX_OR_TOKENS);
  const queries = [
    ...(shortQuery && present.length === tokens.length ? [[`(${tokens.map(quote).join(' AND ')})`, ...expansions].join(' OR ')] : []),
    ...(informative.length || expansions.length ? [[...informative.map(quote), ...expansions].join(' OR ')] : []),
  ];
  const order = params.sort === 'date' ? 'd.published_at DESC' : `bm25(search_fts, ${WEIGHTS.join(', ')})`;
  const exclude = exact.length ? ` AND d.document_id NOT IN (${exact.map(() => '?').join(',')})` : '';
  const excludeArgs = exact.map((h) => h.id);
  let found = 0;
  let rows: Row[] = [];
  for (const fts of queries) {
    const [count, page] = await db.batch([
      db.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM search_fts JOIN search_docs d ON d.rowid = search_fts.rowid WHERE search_fts MATCH ?${where}${exclude} LIMIT ${COUNT_CAP})`).bind(fts, ...args, ...excludeArgs),
      db.prepare(
        `SELECT ${cols} FROM search_fts JOIN search_docs d ON d.rowid = search_fts.rowid WHERE search_fts MATCH ?${where}${exclude} ORDER BY ${order} LIMIT ? OFFSET ?`,
      ).bind(fts, ...args, ...excludeArgs, params.size, Math.max(0, offset - exact.length)),
    ]);
    found = (count!.results[0] as { n: number } | undefined)?.n ?? 0;
    rows = page!.results as Row[];
    if (found > 0) break; // the strict query found something; the loose one is only a fallback
  }
  const total = found + exact.length;
  const textHits = rows.map((r) => toHit(r, 'text'));
  const hits = [...exact.slice(offset, offset + params.size), ...textHits].slice(0, params.size);
  return { query: text, total, totalIsLowerBound: found >= COUNT_CAP, page: params.page, size: params.size, hits };
}

/** The embedded backend behind the common interface. */
export class D1Backend implements SearchBackend {
  readonly name = 'd1' as const;
  constructor(private readonly db: D1Database) {}
  async index(docs: readonly SearchDocument[]) { if (docs.length) await this.db.batch(indexStatements(this.db, docs)); }
  async remove(ids: readonly string[]) { if (ids.length) await this.db.batch(removeStatements(this.db, ids)); }
  async search(params: SearchParams) { return searchD1(this.db, params, await loadSynonyms(this.db)); }
  async setSynonyms(groups: readonly (readonly string[])[]) {
    const terms = [...new Set(groups.map((g) => [...new Set(g)].join('|')))];
    await this.db.batch([this.db.prepare('DELETE FROM search_synonyms'), ...terms.map((t) => this.db.prepare('INSERT INTO search_synonyms (terms) VALUES (?)').bind(t))]);
    synonymCache = null;
  }
}

/**
 * Answering a policy question from documents, the D1 part: the candidate documents are the search index's best
 * BM25 matches among documents in force (有效) for the question's rarest content words in any of their
 * wordings, read with their text in one statement; qa-passage.ts picks the passage. Two round trips: document
 * frequencies, then candidates. The SQL is here once: the Worker runs it on D1, `npm run eval:qa` on node:sqlite.
 */
import { facetQuery } from './facets.ts';
import type { ColloquialEntry } from './qa-colloquial.ts';
import type { SqlQuery, SqlRows } from './qa-d1.ts';
import { bestPassage, buildDictionary, questionCue, questionUnits, tokensOf, unitWeight, type PassageHit, type WeightedUnit } from './qa-passage.ts';
import type { SynonymGroups } from './synonyms.ts';

/** Candidate documents whose passages are scored: on the tune half 3, 6 and 10 give the same cards at the threshold. */
export const PASSAGE_CANDIDATES = 3;
/**
 * Score from which a passage is shown as the answer: the lowest at which at most 2 % of the tune half's
 * questions get a wrong card (`npm run eval:qa`, docs/benchmarks.md).
 */
export const PASSAGE_THRESHOLD = 0.95;
/** Postings the candidate query may touch, as in the search planner: common words are left to the scorer. */
const POSTING_BUDGET = 6_000;
const MAX_PARAMS = 90;
const MAX_TOKENS = 80;

export interface PassageCandidate {
  id: string;
  title: string;
  validity: string | null;
  body: string;
}

// CROSS JOIN keeps the full-text match first (as qa-d1.ts); validity is a facet in the match and checked again.
const CANDIDATE_SQL = `SELECT d.document_id AS id, d.title, d.validity, t.body FROM search_fts CROSS JOIN search_docs d ON d.rowid = search_fts.rowid
   CROSS JOIN search_text t ON t.rowid = search_fts.rowid
   WHERE search_fts MATCH ? AND d.validity = '有效' ORDER BY bm25(search_fts, 8.0, 6.0, 4.0, 1.0, 0.0, 0.0) LIMIT ?`;

/** A site and the sites above it. */
const SCOPE_SQL = `WITH RECURSIVE scope(id) AS (SELECT ? UNION SELECT s.parent_id FROM sites s JOIN scope ON s.id = scope.id WHERE s.parent_id IS NOT NULL)
  SELECT id FROM scope`;

const phrase = (s: string) => {
  const toks = tokensOf(s);
  return toks.length ? `"${toks.join(' ').replace(/"/g, '')}"` : null;
};

/**
 * The best passage of a document in force for `question` and its score, whatever the score (the eval sweeps
 * thresholds over it); null when the question has too few content words or no document in force matches.
 * `siteId`: only documents placed on that site or a site above it (a region's rules apply in its counties);
 * null: every site. `colloquial`: the everyday-word list (default: qa-colloquial.ts; the eval also runs without).
 */
export async function bestPassageCandidate(
  sql: SqlRows,
  question: string,
  opts: { groups: SynonymGroups; siteId?: string | null; candidates?: number; colloquial?: readonly ColloquialEntry[] },
): Promise<PassageHit<PassageCandidate> | null> {
  const units = questionUnits(question, buildDictionary(opts.groups, opts.colloquial));
  if (units.length < 2) return null;
  const tokens = [...new Set(units.flatMap((u) => u.alts.flatMap(tokensOf)))].slice(0, MAX_TOKENS);
  if (tokens.length === 0) return null;
  const queries: SqlQuery[] = [
    { sql: 'SELECT count(*) AS n FROM search_docs', params: [] },
    opts.siteId ? { sql: SCOPE_SQL, params: [opts.siteId] } : { sql: 'SELECT NULL AS id WHERE 0', params: [] },
  ];
  for (let i = 0; i < tokens.length; i += MAX_PARAMS) {
    const part = tokens.slice(i, i + MAX_PARAMS);
    queries.push({ sql: `SELECT term, df FROM search_terms WHERE term IN (${part.map(() => '?').join(',')})`, params: part });
  }
  const [count, scopeRows, ...dfRows] = await sql.batch(queries);
  const siteIds = (scopeRows ?? []).map((r) => r.id as string);
  const n = (count![0]?.n as number | undefined) ?? 0;
  const df = new Map<string, number>();
  for (const rows of dfRows) for (const r of rows) df.set(r.term as string, r.df as number);
  const weighted: WeightedUnit[] = units.map((u) => ({ ...u, weight: unitWeight(u, df, n) }));

  // Retrieval: the units in any wording, rarest first, while their postings fit the budget (at least one).
  const cost = (u: WeightedUnit) => u.alts.reduce((s, a) => s + tokensOf(a).reduce((x, t) => x + (df.get(t) ?? 0), 0), 0);
  const known = weighted.filter((u) => cost(u) > 0).sort((a, b) => cost(a) - cost(b));
  const picked: string[] = [];
  let spent = 0;
  for (const u of known) {
    if (picked.length > 0 && spent + cost(u) > POSTING_BUDGET) break;
    const alts = u.alts.map(phrase).filter((p): p is string => p !== null);
    if (alts.length === 0) continue;
    picked.push(alts.length === 1 ? alts[0]! : `(${alts.join(' OR ')})`);
    spent += cost(u);
  }
  if (picked.length === 0) return null;
  // In force, and placed on one of the sites in scope (facetQuery gives a condition whenever validity is set).
  const inForce = (site?: string) => `(${facetQuery(site ? { validity: '有效', site } : { validity: '有效' }) ?? ''})`;
  const scope = siteIds.length ? `(${siteIds.map(inForce).join(' OR ')})` : inForce();
  const match = `${scope} AND (${picked.join(' OR ')})`;
  const [rows] = await sql.batch([{ sql: CANDIDATE_SQL, params: [match, opts.candidates ?? PASSAGE_CANDIDATES] }]);
  const docs = (rows ?? []).map((r) => r as unknown as PassageCandidate).filter((d) => d.validity === '有效');
  return bestPassage(weighted, questionCue(question), docs);
}

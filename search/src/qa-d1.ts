/**
 * Policy Q&A in D1 (worker/migrations/0007_policy_qa.sql): qa_fts indexes the approved entries' questions as
 * content tokens (qa-match.ts), qa_index maps its rowids to entry ids, qa_vocab counts each token's entries,
 * and qa_unanswered keeps questions no entry answered. The SQL lives here once: the Worker runs it on D1 and
 * `npm run eval:qa` runs it on node:sqlite, through the small `SqlRows` interface.
 */
import { bestMatch, qaIndexText, qaTokens, ANSWER_THRESHOLD, type Scored } from './qa-match.ts';

export type SqlParam = string | number | null;
export interface SqlQuery {
  sql: string;
  params: readonly SqlParam[];
}
/** Runs read queries, as one round trip where the driver can (D1 batch). */
export interface SqlRows {
  batch(queries: readonly SqlQuery[]): Promise<Record<string, unknown>[][]>;
}

export function d1Rows(db: D1Database): SqlRows {
  return {
    async batch(queries) {
      const results = await db.batch(queries.map((q) => db.prepare(q.sql).bind(...q.params)));
      return results.map((r) => r.results as Record<string, unknown>[]);
    },
  };
}

/**
 * BM25 candidates to score. On the eval's probes the first is already the right one (docs/benchmarks.md); a
 * few more cost well under a millisecond and cover rephrasings on which BM25 and the similarity disagree.
 */
const CANDIDATES = 5;
/** D1 binds at most 100 parameters per statement. */
const MAX_PARAMS = 90;
const MAX_QUERY_TOKENS = 64;

const CANDIDATE_COLUMNS = 'e.id, e.question, e.answer, e.source_document_id AS sourceDocumentId, e.site_id AS siteId';
// CROSS JOIN fixes the loop order: the planner otherwise walks every approved entry (qa_entries_status) and
// runs the full-text match once per entry — 120 ms instead of ≈ 1 ms for 4k entries (node:sqlite).
const CANDIDATE_FROM = 'qa_fts CROSS JOIN qa_index i ON i.rowid = qa_fts.rowid CROSS JOIN qa_entries e ON e.id = i.entry_id';
export const QA_SQL = {
  /** Approved entries whose question shares a token with the query, best BM25 first, on any site. */
  candidates: `SELECT ${CANDIDATE_COLUMNS} FROM ${CANDIDATE_FROM}
    WHERE qa_fts MATCH ? AND e.status = 'approved' ORDER BY bm25(qa_fts) LIMIT ?`,
  /** The same, for a site's own search: its entries and those of the sites above it (region rules apply to a county). */
  candidatesForSite: `WITH RECURSIVE scope(id) AS (SELECT ? UNION SELECT s.parent_id FROM sites s JOIN scope ON s.id = scope.id WHERE s.parent_id IS NOT NULL)
    SELECT ${CANDIDATE_COLUMNS} FROM ${CANDIDATE_FROM}
    WHERE qa_fts MATCH ? AND e.status = 'approved' AND e.site_id IN (SELECT id FROM scope) ORDER BY bm25(qa_fts) LIMIT ?`,
  indexed: 'SELECT count(*) AS n FROM qa_index',
  frequencies: (n: number) => `SELECT term, doc FROM qa_vocab WHERE term IN (${Array.from({ length: n }, () => '?').join(',')})`,
  unindexFts: 'DELETE FROM qa_fts WHERE rowid = (SELECT rowid FROM qa_index WHERE entry_id = ?)',
  unindexRow: 'DELETE FROM qa_index WHERE entry_id = ?',
  indexRow: 'INSERT INTO qa_index (entry_id) VALUES (?)',
  indexFts: 'INSERT INTO qa_fts (rowid, question) VALUES ((SELECT rowid FROM qa_index WHERE entry_id = ?), ?)',
  logUnanswered: `INSERT INTO qa_unanswered (question, count, first_day, last_day) VALUES (?, 1, ?, ?)
    ON CONFLICT (question) DO UPDATE SET count = count + 1, last_day = max(last_day, excluded.last_day), first_day = min(first_day, excluded.first_day)`,
} as const;

export interface QaCandidate {
  id: string;
  question: string;
  answer: string;
  sourceDocumentId: string;
  siteId: string;
}

/**
 * The knowledge-base question most similar to `question` and its score, whatever the score (the eval sweeps
 * thresholds over it); null when no approved entry shares a token. `siteId` limits it to a site and the
 * sites above it.
 */
export async function bestQaCandidate(
  sql: SqlRows,
  question: string,
  opts: { siteId?: string | null; candidates?: number } = {},
): Promise<Scored<QaCandidate> | null> {
  const tokens = qaTokens(question).slice(0, MAX_QUERY_TOKENS);
  if (tokens.length === 0) return null;
  const match = tokens.map((t) => `"${t.replace(/"/g, '')}"`).join(' OR ');
  const limit = opts.candidates ?? CANDIDATES;
  const [rows, count] = await sql.batch([
    opts.siteId ? { sql: QA_SQL.candidatesForSite, params: [opts.siteId, match, limit] } : { sql: QA_SQL.candidates, params: [match, limit] },
    { sql: QA_SQL.indexed, params: [] },
  ]);
  const candidates = rows!.map((r) => r as unknown as QaCandidate);
  if (candidates.length === 0) return null;
  const terms = [...new Set([...tokens, ...candidates.flatMap((c) => qaTokens(c.question))])];
  const chunks: SqlQuery[] = [];
  for (let i = 0; i < terms.length; i += MAX_PARAMS) {
    const part = terms.slice(i, i + MAX_PARAMS);
    chunks.push({ sql: QA_SQL.frequencies(part.length), params: part });
  }
  const df = new Map<string, number>();
  for (const result of await sql.batch(chunks)) for (const r of result) df.set(r.term as string, r.doc as number);
  return bestMatch(question, candidates, df, (count![0]?.n as number | undefined) ?? 0);
}

/** The entry that answers `question`, or null when none is similar enough (ANSWER_THRESHOLD). */
export async function findQaAnswer(sql: SqlRows, question: string, opts: { siteId?: string | null; threshold?: number } = {}): Promise<QaCandidate | null> {
  const best = await bestQaCandidate(sql, question, opts);
  return best && best.score >= (opts.threshold ?? ANSWER_THRESHOLD) ? best.item : null;
}

/** Statements that take an entry out of the answer index (unknown ids are a no-op). */
export function qaUnindexStatements(db: D1Database, entryId: string): D1PreparedStatement[] {
  return [db.prepare(QA_SQL.unindexFts).bind(entryId), db.prepare(QA_SQL.unindexRow).bind(entryId)];
}

/** Statements that put an approved entry into the answer index, replacing what it had there. */
export function qaIndexStatements(db: D1Database, entryId: string, question: string): D1PreparedStatement[] {
  return [...qaUnindexStatements(db, entryId), db.prepare(QA_SQL.indexRow).bind(entryId), db.prepare(QA_SQL.indexFts).bind(entryId, qaIndexText(question))];
}

export const QA_INDEX_COLUMNS = ['rowid', 'entry_id'] as const;
export const QA_FTS_COLUMNS = ['rowid', 'question'] as const;

/** The answer index as plain rows for bulk loads (the seed): approved entries only, rowids given explicitly. */
export function qaIndexRows(
  entries: readonly { id: string; question: string; status: string }[],
  firstRowid = 1,
): { index: [number, string][]; fts: [number, string][] } {
  const out = { index: [] as [number, string][], fts: [] as [number, string][] };
  for (const e of entries.filter((x) => x.status === 'approved')) {
    const rowid = firstRowid + out.index.length;
    out.index.push([rowid, e.id]);
    out.fts.push([rowid, qaIndexText(e.question)]);
  }
  return out;
}

/** Counts one more asking of an unanswered question on `day` (YYYY-MM-DD, China time). */
export function logUnansweredStatement(db: D1Database, text: string, day: string): D1PreparedStatement {
  return db.prepare(QA_SQL.logUnanswered).bind(text, day, day);
}

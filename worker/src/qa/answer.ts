/**
 * Policy Q&A on the search pages: a question gets the knowledge-base answer that matches it, with the document
 * it cites as that document stands now in the content store (its validity may have changed since the entry
 * was written); failing that, the passage of a document in force (有效) that answers it (search/src/
 * qa-passage*.ts); a question nothing answers is logged for editors. Neither may break a search: a failed
 * look-up means no card, and the log is written after the response.
 */
import type { Context } from 'hono';
import { documentPath } from '@ywtc/cms-schema';
import { loadSynonyms } from '@ywtc/search';
import { d1Rows, findQaAnswer, logUnansweredStatement } from '@ywtc/search/qa-d1';
import { isQuestionLike } from '@ywtc/search/qa-match';
import { PASSAGE_THRESHOLD, bestPassageCandidate } from '@ywtc/search/qa-passage-d1';
import type { AppEnv } from '../env.ts';
import { afterResponse, dayOf, loggableQuery } from '../search/analytics.ts';

export interface AnswerSource {
  id: string;
  title: string;
  docNumber: string | null;
  issuer: string | null;
  validity: string | null;
  publishedAt: string;
  /** Where the document is read: each site showing it and its path there, the owner's site first. */
  placements: { siteId: string; path: string }[];
}
export interface PolicyAnswer {
  /** `qa`: an approved knowledge-base entry; `document`: a passage quoted from the source document itself. */
  from: 'qa' | 'document';
  /** The entry's question, or for a passage the citizen's own question. */
  question: string;
  /** The entry's answer, or the passage word for word. */
  answer: string;
  source: AnswerSource;
}

/** A logged question must be one an editor could turn into an entry (QaEntryInput.question ≥ 4 characters). */
const MIN_LOGGED_CHARS = 4;

export async function answerSource(db: D1Database, documentId: string): Promise<AnswerSource | null> {
  const [doc, placed] = await db.batch([
    db.prepare('SELECT id, title, doc_number AS docNumber, issuer, validity, published_at AS publishedAt FROM documents WHERE id = ?').bind(documentId),
    db
      .prepare(
        `SELECT p.site_id AS siteId, c.slug FROM placements p JOIN columns c ON c.id = p.column_id JOIN documents d ON d.id = p.document_id
       WHERE p.document_id = ? ORDER BY p.site_id = d.owner_site_id DESC, p.site_id`,
      )
      .bind(documentId),
  ]);
  const d = doc!.results[0] as Omit<AnswerSource, 'placements'> | undefined;
  if (!d) return null;
  const placements = (placed!.results as { siteId: string; slug: string }[]).map((p) => ({ siteId: p.siteId, path: documentPath(p.slug, documentId) }));
  return { ...d, placements };
}

/**
 * The answer card for a search's first page, or null: when the query is not question-like (isQuestionLike),
 * when no approved entry is similar enough, or when the look-up fails. `siteId` scopes it to a site's own
 * entries and those of the sites above it; null searches every site's.
 */
export async function policyAnswer(c: Context<AppEnv>, raw: string, siteId: string | null, log = true): Promise<PolicyAnswer | null> {
  if (!isQuestionLike(raw)) return null;
  try {
    const db = c.env.DB;
    // Both look-ups at once: the passage is needed only when no entry answers, but waiting for that first
    // would add the entry look-up's round trips to every unanswered question's page.
    const [entry, passage] = await Promise.all([
      findQaAnswer(d1Rows(db), raw, { siteId }),
      loadSynonyms(db).then((groups) => bestPassageCandidate(d1Rows(db), raw, { groups, siteId })),
    ]);
    const source = entry ? await answerSource(db, entry.sourceDocumentId) : null;
    if (entry && source) return { from: 'qa', question: entry.question, answer: entry.answer, source };
    if (passage && passage.score >= PASSAGE_THRESHOLD) {
      const doc = await answerSource(db, passage.doc.id);
      // The index may lag a change of validity by a moment; the content store has the last word.
      if (doc?.validity === '有效') return { from: 'document', question: raw.trim(), answer: passage.passage, source: doc };
    }
  } catch (err) {
    console.error('policy Q&A look-up failed', err);
    return null; // not logged either: the question may well have an answer
  }
  if (log && c.req.method === 'GET') logUnanswered(c, raw);
  return null;
}

/** Counts a question no entry answered, unless it looks like personal data (same rule as search analytics). */
export function logUnanswered(c: Context<AppEnv>, raw: string, now = Date.now()): void {
  const text = loggableQuery(raw);
  if (!text || [...text.replace(/\s/g, '')].length < MIN_LOGGED_CHARS) return;
  afterResponse(c, () => logUnansweredStatement(c.env.DB, text, dayOf(now)).run());
}

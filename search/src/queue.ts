/**
 * The search queue (search_queue, cms-schema SearchTaskSchema): index updates owed after a content change,
 * written in that change's own D1 transaction — so a publish that committed always leaves its index update
 * behind, whatever happens to the process next. Draining reads the content store as it is *now*: a placed
 * document is (re)indexed, one no longer placed (withdrawn, deleted) is removed, and the dictionary in
 * search_synonyms is pushed to the served index. A task is deleted only after the configured backend took it,
 * and doing it twice does no harm, so the request that made the change, the Cron Trigger and `npm start` may
 * all drain, in any order.
 */
import { TABLES, fromRow, selectColumns } from '@ywtc/cms-schema';
import { searchDocumentsFor } from './reindex.ts';
import type { SearchBackend } from './schema.ts';

/** Statement for the content change's batch: index `documentId` as the store will then have it. */
export const enqueueDocument = (db: D1Database, documentId: string, at: string): D1PreparedStatement =>
  db.prepare("INSERT INTO search_queue (kind, document_id, queued_at) VALUES ('document', ?, ?)").bind(documentId, at);

/** Statement for a dictionary change's batch: push search_synonyms to the served index. */
export const enqueueSynonyms = (db: D1Database, at: string): D1PreparedStatement =>
  db.prepare("INSERT INTO search_queue (kind, document_id, queued_at) VALUES ('synonyms', NULL, ?)").bind(at);

export interface SearchDrain {
  tasks: number;
  indexed: number;
  removed: number;
  synonyms: boolean;
  failed: string | null;
}

const MAX_TASKS = 200;

/**
 * Works off the queue (only `documentId`'s tasks when given — what a request just changed — else everything).
 * On failure the tasks stay, with the attempt counted and the error kept for the editor page.
 */
export async function drainSearchQueue(db: D1Database, backend: SearchBackend, opts: { documentId?: string } = {}): Promise<SearchDrain> {
  const where = opts.documentId ? "WHERE kind = 'document' AND document_id = ?1" : '';
  const stmt = db.prepare(`SELECT ${selectColumns(TABLES.searchQueue)} FROM search_queue ${where} ORDER BY seq LIMIT ${MAX_TASKS}`);
  const { results } = await (opts.documentId ? stmt.bind(opts.documentId) : stmt).all();
  const tasks = results.map((r) => fromRow(TABLES.searchQueue, r));
  const out: SearchDrain = { tasks: tasks.length, indexed: 0, removed: 0, synonyms: false, failed: null };
  if (tasks.length === 0) return out;
  const seqs = JSON.stringify(tasks.map((t) => t.seq));
  try {
    const ids = [...new Set(tasks.flatMap((t) => (t.kind === 'document' && t.documentId ? [t.documentId] : [])))];
    if (ids.length) {
      const { results: rows } = await db
        .prepare(`SELECT ${selectColumns(TABLES.documents)} FROM documents WHERE id IN (SELECT value FROM json_each(?))`)
        .bind(JSON.stringify(ids))
        .all();
      const docs = await searchDocumentsFor(
        db,
        rows.map((r) => fromRow(TABLES.documents, r)),
      );
      const placed = new Set(docs.map((d) => d.id));
      const gone = ids.filter((id) => !placed.has(id));
      if (gone.length) await backend.remove(gone);
      if (docs.length) await backend.index(docs);
      out.indexed = docs.length;
      out.removed = gone.length;
    }
    if (tasks.some((t) => t.kind === 'synonyms')) {
      // The dictionary lives in D1; a D1 backend already serves it, another one is given it here.
      if (backend.name !== 'd1') {
        const { results: rows } = await db.prepare('SELECT terms FROM search_synonyms ORDER BY id').all<{ terms: string }>();
        await backend.setSynonyms(rows.map((r) => r.terms.split('|')));
      }
      out.synonyms = true;
    }
    await db.prepare('DELETE FROM search_queue WHERE seq IN (SELECT value FROM json_each(?1))').bind(seqs).run();
  } catch (e) {
    out.failed = e instanceof Error ? e.message : String(e);
    await db
      .prepare('UPDATE search_queue SET attempts = attempts + 1, last_error = ?2 WHERE seq IN (SELECT value FROM json_each(?1))')
      .bind(seqs, out.failed.slice(0, 500))
      .run();
  }
  return out;
}

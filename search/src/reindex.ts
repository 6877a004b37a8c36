/**
 * Bringing the search index in line with the content store (`npm run reindex`), a page of documents at a
 * time in id order. Each page compares the content's fingerprint of every placed document with the one the
 * index holds and rewrites only what differs — new, changed, withdrawn (no longer placed) or deleted — each
 * write one transaction. So the same pass that rebuilds an index repairs one left behind by a crash: whatever
 * a killed run had committed is complete, the rest is simply still different and gets done next time.
 */
import { TABLES, fromRow, selectColumns, type Document } from '@ywtc/cms-schema';
import { documentHash } from './d1-index.ts';
import { searchDocumentsOf } from './from-content.ts';
import type { SearchBackend, SearchDocument } from './schema.ts';

export interface ReindexStep {
  next: string | null;
  checked: number;
  indexed: number;
  removed: number;
}

const ids = (xs: readonly string[]) => JSON.stringify(xs);

/** The placed documents of one page of the content store, as the index should hold them. */
async function contentPage(db: D1Database, after: string, limit: number): Promise<{ docs: SearchDocument[]; last: string | null }> {
  const { results: rows } = await db
    .prepare(`SELECT ${selectColumns(TABLES.documents)} FROM documents WHERE id > ? ORDER BY id LIMIT ?`)
    .bind(after, limit)
    .all();
  const documents = rows.map((r) => fromRow(TABLES.documents, r));
  if (documents.length === 0) return { docs: [], last: null };
  return { docs: await searchDocumentsFor(db, documents), last: documents[documents.length - 1]!.id };
}

/** These documents as the index should hold them: with where each is placed now; unplaced ones are left out, but for the reference corpus. */
export async function searchDocumentsFor(db: D1Database, documents: readonly Document[]): Promise<SearchDocument[]> {
  if (documents.length === 0) return [];
  const page = ids(documents.map((d) => d.id));
  const [placements, links, reference] = await db.batch([
    // A migrating site's imported documents (a hidden import source, docs/import.md) are placed but not yet public:
    // they are findable once the site's switch-over makes them live, not before.
    db
      .prepare(
        `SELECT ${selectColumns(TABLES.placements)} FROM placements p WHERE p.document_id IN (SELECT value FROM json_each(?))
         AND NOT (EXISTS (SELECT 1 FROM import_records r JOIN import_sources s ON s.id = r.source_id WHERE r.document_id = p.document_id AND r.site_id = p.site_id AND s.hidden = 1)
              AND NOT EXISTS (SELECT 1 FROM site_switchovers w WHERE w.site_id = p.site_id AND w.state = 'live'))`,
      )
      .bind(page),
    db
      .prepare(`SELECT ${selectColumns(TABLES.interpretationLinks)} FROM interpretation_links WHERE interpretation_id IN (SELECT value FROM json_each(?))`)
      .bind(page),
    db.prepare(`SELECT document_id FROM ${TABLES.referenceDocuments.name} WHERE document_id IN (SELECT value FROM json_each(?))`).bind(page),
  ]);
  const placed = (placements!.results as Record<string, unknown>[]).map((r) => fromRow(TABLES.placements, r));
  const [sites, columns] = await db.batch([
    db
      .prepare(`SELECT ${selectColumns(TABLES.sites)} FROM sites WHERE id IN (SELECT value FROM json_each(?))`)
      .bind(ids([...new Set(placed.map((p) => p.siteId))])),
    db
      .prepare(`SELECT ${selectColumns(TABLES.columns)} FROM columns WHERE id IN (SELECT value FROM json_each(?))`)
      .bind(ids([...new Set(placed.map((p) => p.columnId))])),
  ]);
  return searchDocumentsOf({
    sites: (sites!.results as Record<string, unknown>[]).map((r) => fromRow(TABLES.sites, r)),
    columns: (columns!.results as Record<string, unknown>[]).map((r) => fromRow(TABLES.columns, r)),
    documents,
    placements: placed,
    links: (links!.results as Record<string, unknown>[]).map((r) => fromRow(TABLES.interpretationLinks, r)),
    reference: (reference!.results as { document_id: string }[]).map((r) => r.document_id),
  });
}

/**
 * One page: content documents with ids after `after` (up to `limit`), and index entries in the same id range.
 * `next` is the cursor for the following page, null when the whole store has been checked.
 */
export async function reindexStep(db: D1Database, backend: SearchBackend, after: string, limit: number): Promise<ReindexStep> {
  const { docs, last } = await contentPage(db, after, limit);
  // Index entries in (after, last] — or everything after `after` on the final page — that the content lacks.
  const range = last === null ? 'document_id > ?' : 'document_id > ? AND document_id <= ?';
  const { results: held } = await db
    .prepare(`SELECT document_id, hash FROM search_docs WHERE ${range}`)
    .bind(...(last === null ? [after] : [after, last]))
    .all<{ document_id: string; hash: string }>();
  const have = new Map(held.map((r) => [r.document_id, r.hash]));
  const want = new Set(docs.map((d) => d.id));
  // Fingerprints are kept by the D1 index only: another backend gets every document of the page again, and
  // its deletions from what the D1 index still holds — so it must be brought in line before the D1 index is.
  const stale = backend.name === 'd1' ? docs.filter((d) => have.get(d.id) !== documentHash(d)) : docs;
  const gone = [...have.keys()].filter((id) => !want.has(id));
  if (gone.length) await backend.remove(gone);
  if (stale.length) await backend.index(stale);
  return { next: last, checked: docs.length, indexed: stale.length, removed: gone.length };
}

/** The whole pass; `onStep` reports progress (the script prints it, the crash test watches it). */
export async function reindexAll(
  db: D1Database,
  backend: SearchBackend,
  limit = 200,
  onStep?: (s: ReindexStep) => void,
): Promise<{ checked: number; indexed: number; removed: number }> {
  const total = { checked: 0, indexed: 0, removed: 0 };
  let cursor: string | null = '';
  while (cursor !== null) {
    const step: ReindexStep = await reindexStep(db, backend, cursor, limit);
    total.checked += step.checked;
    total.indexed += step.indexed;
    total.removed += step.removed;
    onStep?.(step);
    cursor = step.next;
  }
  return total;
}

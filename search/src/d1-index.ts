/**
 * Writing the embedded index. One document's entry spans search_docs (what results show), search_fts and search_title_fts (the
 * bigram streams), search_text (the text, for snippets and for undoing its counts), search_sites (placements
 * with their filter facts), search_links (the policies it interprets) and its share of search_terms (document
 * frequencies). Every change goes to D1 as one batch — one transaction — so a crash leaves each document
 * either fully old or fully new, never half-indexed.
 */
import type { SearchDocument } from './schema.ts';
import { cstYear } from '@ywtc/cms-schema';
import { facetTokens, issuerTokens } from './facets.ts';
import { bumpVersion, forgetResults } from './d1-cache.ts';
import { forgetFrequencies } from './d1-search.ts';
import { documentTokens, indexText } from './tokenize.ts';

/** The cells of a document's rows in search_fts and search_title_fts (after the rowid), in column order. */
export function ftsCells(d: SearchDocument): [string, string, string, string, string, string] {
  return [
    indexText(d.title),
    d.docNumber ? indexText(d.docNumber) : '',
    indexText(d.keywords.join(' ')),
    indexText(d.body),
    facetTokens(d),
    issuerTokens(d.issuer),
  ];
}
export function titleCells(d: SearchDocument): [string, string, string, string, string] {
  const [title, number, keywords, , facets, issuer] = ftsCells({ ...d, body: '' });
  return [title, number, keywords, facets, issuer];
}

/** A stable fingerprint of what the index holds for a document (FNV-1a, 64 bit): reindex skips equal ones. */
export function documentHash(d: SearchDocument): string {
  const s = JSON.stringify([
    d.id,
    d.title,
    d.docNumber,
    d.keywords,
    d.body,
    d.summary,
    d.kind,
    d.issuer,
    d.validity,
    d.publishedAt,
    d.placements,
    d.interprets,
    d.area,
  ]);
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < s.length; i++) h = BigInt.asUintN(64, (h ^ BigInt(s.charCodeAt(i))) * 0x100000001b3n);
  return h.toString(16).padStart(16, '0');
}

/** Net change of document frequencies when `removed` entries go and `added` ones come. */
export function termDeltas(removed: Iterable<Set<string>>, added: Iterable<Set<string>>): Map<string, number> {
  const delta = new Map<string, number>();
  for (const set of removed) for (const t of set) delta.set(t, (delta.get(t) ?? 0) - 1);
  for (const set of added) for (const t of set) delta.set(t, (delta.get(t) ?? 0) + 1);
  for (const [t, n] of delta) if (n === 0) delta.delete(t);
  return delta;
}

/** JSON parameters stay well under D1's per-value limit. */
const TERMS_PER_STATEMENT = 20_000;
function termStatements(db: D1Database, delta: Map<string, number>): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  const entries = [...delta];
  for (let i = 0; i < entries.length; i += TERMS_PER_STATEMENT) {
    const chunk = entries.slice(i, i + TERMS_PER_STATEMENT);
    const json = JSON.stringify(Object.fromEntries(chunk));
    out.push(
      db
        .prepare('INSERT INTO search_terms (term, df) SELECT key, value FROM json_each(?) WHERE true ON CONFLICT (term) DO UPDATE SET df = df + excluded.df')
        .bind(json),
    );
    // Only a falling count can reach zero; most batches only add.
    const falling = chunk.filter(([, n]) => n < 0).map(([t]) => t);
    if (falling.length)
      out.push(db.prepare('DELETE FROM search_terms WHERE df <= 0 AND term IN (SELECT value FROM json_each(?))').bind(JSON.stringify(falling)));
  }
  return out;
}

interface StoredText {
  document_id: string;
  title: string;
  doc_number: string | null;
  keywords: string;
  body: string;
}
/** The tokens the index currently holds for these documents (absent ones are simply not in the map). */
async function storedTokens(db: D1Database, ids: readonly string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = ids.slice(i, i + 90);
    const { results } = await db
      .prepare(
        `SELECT d.document_id, d.title, d.doc_number, t.keywords, t.body FROM search_docs d JOIN search_text t ON t.rowid = d.rowid WHERE d.document_id IN (${chunk.map(() => '?').join(',')})`,
      )
      .bind(...chunk)
      .all<StoredText>();
    for (const r of results)
      out.set(r.document_id, documentTokens({ title: r.title, docNumber: r.doc_number, keywords: r.keywords ? r.keywords.split('\n') : [], body: r.body }));
  }
  return out;
}

function deleteEntry(db: D1Database, id: string): D1PreparedStatement[] {
  return [
    db.prepare('DELETE FROM search_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE document_id = ?)').bind(id),
    db.prepare('DELETE FROM search_title_fts WHERE rowid = (SELECT rowid FROM search_docs WHERE document_id = ?)').bind(id),
    db.prepare('DELETE FROM search_text WHERE rowid = (SELECT rowid FROM search_docs WHERE document_id = ?)').bind(id),
    db.prepare('DELETE FROM search_sites WHERE document_id = ?').bind(id),
    db.prepare('DELETE FROM search_links WHERE interpretation_id = ?').bind(id),
    db.prepare('DELETE FROM search_docs WHERE document_id = ?').bind(id),
  ];
}

/** Seconds since the epoch: what "newest first" sorts by (published_at strings of different offsets do not). */
export const publishedTs = (instant: string): number => Math.floor(Date.parse(instant) / 1000);

function insertEntry(db: D1Database, d: SearchDocument): D1PreparedStatement[] {
  const rowid = '(SELECT rowid FROM search_docs WHERE document_id = ?)';
  const sites = new Map(d.placements.map((p) => [p.siteId, p]));
  return [
    db
      .prepare(
        `INSERT INTO search_docs (document_id, title, doc_number, kind, issuer, validity, year, published_at, published_ts, summary, placements, hash, area)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(
        d.id,
        d.title,
        d.docNumber,
        d.kind,
        d.issuer,
        d.validity,
        cstYear(d.publishedAt),
        d.publishedAt,
        publishedTs(d.publishedAt),
        d.summary,
        JSON.stringify(d.placements.map(({ siteId, path }) => ({ siteId, path }))),
        documentHash(d),
        d.area ? JSON.stringify(d.area) : null,
      ),
    db
      .prepare(`INSERT INTO search_fts (rowid, title, doc_number, keywords, body, facets, issuer) VALUES (${rowid}, ?, ?, ?, ?, ?, ?)`)
      .bind(d.id, ...ftsCells(d)),
    db
      .prepare(`INSERT INTO search_title_fts (rowid, title, doc_number, keywords, facets, issuer) VALUES (${rowid}, ?, ?, ?, ?, ?)`)
      .bind(d.id, ...titleCells(d)),
    db.prepare(`INSERT INTO search_text (rowid, keywords, body) VALUES (${rowid}, ?, ?)`).bind(d.id, d.keywords.join('\n'), d.body),
    ...[...sites.values()].map((p) =>
      db
        .prepare('INSERT INTO search_sites (document_id, site_id, column_kind, level, region) VALUES (?, ?, ?, ?, ?)')
        .bind(d.id, p.siteId, p.columnKind, p.level, p.region),
    ),
    ...[...new Set(d.interprets)].map((policy) => db.prepare('INSERT INTO search_links (policy_id, interpretation_id) VALUES (?, ?)').bind(policy, d.id)),
  ];
}

/** This isolate changed the index: its cached document frequencies and results are stale at once. */
function changed() {
  forgetFrequencies();
  forgetResults();
}

/** Adds or replaces documents: one transaction for the whole call. */
export async function indexDocuments(db: D1Database, docs: readonly SearchDocument[]): Promise<void> {
  if (docs.length === 0) return;
  const unique = [...new Map(docs.map((d) => [d.id, d])).values()];
  const old = await storedTokens(
    db,
    unique.map((d) => d.id),
  );
  const delta = termDeltas(old.values(), unique.map(documentTokens));
  await db.batch([
    ...unique.flatMap((d) => [...(old.has(d.id) ? deleteEntry(db, d.id) : []), ...insertEntry(db, d)]),
    ...termStatements(db, delta),
    bumpVersion(db),
  ]);
  changed();
}

/** Removes documents by id (unknown ids are ignored): one transaction. */
export async function removeDocuments(db: D1Database, ids: readonly string[]): Promise<void> {
  const old = await storedTokens(db, [...new Set(ids)]);
  if (old.size === 0) return;
  await db.batch([...[...old.keys()].flatMap((id) => deleteEntry(db, id)), ...termStatements(db, termDeltas(old.values(), [])), bumpVersion(db)]);
  changed();
}

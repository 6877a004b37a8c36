/**
 * The part of the content store one site's pages are made from, read in one D1 batch: the site and its parent,
 * its columns, placements and Q&A, the documents placed on it — without their bodies, which only the pages
 * being re-rendered need — and the policy ↔ 解读 links among them. Its size follows the site, not the cluster.
 */
import { TABLES, fromRow, selectColumns, type Document, type TableSpec } from '@ywtc/cms-schema';
import type { Store } from '@ywtc/sites/edge';

const LIGHT_DOCUMENT_COLUMNS = selectColumns(TABLES.documents).replace(/\bbody_html\b/, "'' AS body_html");
const FULL_DOCUMENTS = `SELECT ${selectColumns(TABLES.documents)} FROM documents WHERE id IN (SELECT value FROM json_each(?1))`;
const ON_SITE = 'SELECT document_id FROM placements WHERE site_id = ?1';

const rows = <T>(spec: TableSpec, r: D1Result | undefined): T[] => (r?.results ?? []).map((x) => fromRow(spec, x as Record<string, unknown>) as T);

export async function loadSiteSlice(db: D1Database, siteId: string, fullIds: string[]): Promise<Store> {
  const [sites, columns, placements, light, links, qa, full] = await db.batch([
    db.prepare(`SELECT ${selectColumns(TABLES.sites)} FROM sites WHERE id = ?1 OR id = (SELECT parent_id FROM sites WHERE id = ?1)`).bind(siteId),
    db.prepare(`SELECT ${selectColumns(TABLES.columns)} FROM columns WHERE site_id = ?1 ORDER BY sort_order`).bind(siteId),
    db.prepare(`SELECT ${selectColumns(TABLES.placements)} FROM placements WHERE site_id = ?1`).bind(siteId),
    db.prepare(`SELECT ${LIGHT_DOCUMENT_COLUMNS} FROM documents WHERE id IN (${ON_SITE})`).bind(siteId),
    db
      .prepare(
        `SELECT ${selectColumns(TABLES.interpretationLinks)} FROM interpretation_links WHERE policy_id IN (${ON_SITE}) OR interpretation_id IN (${ON_SITE})`,
      )
      .bind(siteId),
    db.prepare(`SELECT ${selectColumns(TABLES.qaEntries)} FROM qa_entries WHERE site_id = ?1`).bind(siteId),
    db.prepare(FULL_DOCUMENTS).bind(JSON.stringify(fullIds)),
  ]);
  const documents = new Map(rows<Document>(TABLES.documents, light).map((d) => [d.id, d]));
  for (const d of rows<Document>(TABLES.documents, full)) documents.set(d.id, d);
  return {
    sites: rows(TABLES.sites, sites),
    columns: rows(TABLES.columns, columns),
    documents,
    placements: rows(TABLES.placements, placements),
    links: rows(TABLES.interpretationLinks, links),
    qa: rows(TABLES.qaEntries, qa),
    revision: 'incremental',
  };
}

/** Whole documents (with bodies), placed or not: a withdrawn document's kind still decides what to re-render. */
export async function loadDocuments(db: D1Database, ids: string[]): Promise<Document[]> {
  if (ids.length === 0) return [];
  const { results } = await db.prepare(FULL_DOCUMENTS).bind(JSON.stringify(ids)).all();
  return results.map((r) => fromRow(TABLES.documents, r));
}

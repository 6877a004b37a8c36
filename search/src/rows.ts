/**
 * The index as plain rows, for bulk loads (the seed writes them in the same transaction as the content, as
 * multi-row INSERTs): one search_docs row, one search_fts row and one search_sites row per placement. Rowids
 * are given explicitly so the FTS row and its side row line up without a look-up per document.
 */
import type { SearchDocument } from './schema.ts';
import { indexText } from './tokenize.ts';

export type Cell = string | number | null;
export interface IndexRows { docs: Cell[][]; fts: Cell[][]; sites: Cell[][] }

export const SEARCH_DOCS_COLUMNS = ['rowid', 'document_id', 'title', 'doc_number', 'kind', 'issuer', 'validity', 'year', 'published_at', 'summary', 'placements'] as const;
export const SEARCH_FTS_COLUMNS = ['rowid', 'title', 'doc_number', 'keywords', 'body'] as const;
export const SEARCH_SITES_COLUMNS = ['document_id', 'site_id'] as const;

export function indexRows(docs: readonly SearchDocument[], firstRowid = 1): IndexRows {
  const out: IndexRows = { docs: [], fts: [], sites: [] };
  docs.forEach((d, i) => {
    const rowid = firstRowid + i;
    out.docs.push([rowid, d.id, d.title, d.docNumber, d.kind, d.issuer, d.validity, Number(d.publishedAt.slice(0, 4)), d.publishedAt, d.summary, JSON.stringify(d.placements)]);
    out.fts.push([rowid, indexText(d.title), d.docNumber ? indexText(d.docNumber) : '', indexText(d.keywords.join(' ')), indexText(d.body)]);
    for (const p of new Set(d.placements.map((x) => x.siteId))) out.sites.push([d.id, p]);
  });
  return out;
}

/**
 * The index as plain rows, for bulk loads (the seed writes them in the same transaction as the content, as
 * multi-row INSERTs). Rowids are given explicitly so the FTS row and its side rows line up without a look-up
 * per document, and follow publication time: the planner (d1-search.ts) reads high rowids as recent.
 * Document frequencies are counted here over the whole set, the same numbers d1-index.ts keeps incrementally.
 */
import type { SearchDocument } from './schema.ts';
import { cstYear } from '@ywtc/cms-schema';
import { documentHash, ftsCells, publishedTs, titleCells } from './d1-index.ts';
import { documentTokens } from './tokenize.ts';

export type Cell = string | number | null;
export interface IndexRows {
  docs: Cell[][];
  fts: Cell[][];
  titles: Cell[][];
  text: Cell[][];
  sites: Cell[][];
  links: Cell[][];
  terms: Cell[][];
}

export const SEARCH_COLUMNS = {
  search_docs: [
    'rowid',
    'document_id',
    'title',
    'doc_number',
    'kind',
    'issuer',
    'validity',
    'year',
    'published_at',
    'published_ts',
    'summary',
    'placements',
    'hash',
    'area',
  ],
  search_fts: ['rowid', 'title', 'doc_number', 'keywords', 'body', 'facets', 'issuer'],
  search_title_fts: ['rowid', 'title', 'doc_number', 'keywords', 'facets', 'issuer'],
  search_text: ['rowid', 'keywords', 'body'],
  search_sites: ['document_id', 'site_id', 'column_kind', 'level', 'region'],
  search_links: ['policy_id', 'interpretation_id'],
  search_terms: ['term', 'df'],
} as const;
/** Table → the rows' key in IndexRows, in the order a load must insert them. */
export const SEARCH_TABLES = [
  ['search_docs', 'docs'],
  ['search_fts', 'fts'],
  ['search_title_fts', 'titles'],
  ['search_text', 'text'],
  ['search_sites', 'sites'],
  ['search_links', 'links'],
  ['search_terms', 'terms'],
] as const;

export function indexRows(input: readonly SearchDocument[], firstRowid = 1): IndexRows {
  const out: IndexRows = { docs: [], fts: [], titles: [], text: [], sites: [], links: [], terms: [] };
  const docs = [...input].sort((a, b) => Date.parse(a.publishedAt) - Date.parse(b.publishedAt) || a.id.localeCompare(b.id));
  const df = new Map<string, number>();
  docs.forEach((d, i) => {
    const rowid = firstRowid + i;
    out.docs.push([
      rowid,
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
    ]);
    out.fts.push([rowid, ...ftsCells(d)]);
    out.titles.push([rowid, ...titleCells(d)]);
    out.text.push([rowid, d.keywords.join('\n'), d.body]);
    for (const p of new Map(d.placements.map((x) => [x.siteId, x])).values()) out.sites.push([d.id, p.siteId, p.columnKind, p.level, p.region]);
    for (const policy of new Set(d.interprets)) out.links.push([policy, d.id]);
    for (const t of documentTokens(d)) df.set(t, (df.get(t) ?? 0) + 1);
  });
  for (const [t, n] of df) out.terms.push([t, n]);
  return out;
}

/**
 * What the admin pages list: documents the signed-in account may see (the API's own read rule, mayRead), and
 * what waits at a review level it may sign off (can(), as the API's approve does). SQL narrows by the sites
 * the account reaches and by the filters; the access rule itself is only ever the shared one.
 */
import { can, type DocumentKind, type Grant, type ParentOf, type State } from '@ywtc/cms-schema';
import { mayRead } from '../cms/document-access.ts';

export interface DocRow {
  id: string;
  siteId: string;
  siteName: string;
  columnId: string;
  columnName: string | null;
  title: string;
  kind: DocumentKind | null;
  state: State;
  level: number | null;
  depth: number;
  revision: number;
  updatedAt: string;
}
export interface ListFilter {
  site: string | null;
  column: string | null;
  state: State | null;
  kind: DocumentKind | null;
  q: string | null;
  page: number;
}
export interface SiteOption {
  id: string;
  name: string;
}

/** At most this many matching rows are read per request; a page says when there were more. */
export const SCAN_LIMIT = 5000;
export const PAGE_SIZE = 20;

/** Sites where the account may see at least some documents (a column-limited editor: some column of it). */
export async function visibleSites(db: D1Database, grants: readonly Grant[], parentOf: ParentOf): Promise<SiteOption[]> {
  const anyColumn = grants.map((g) => ({ ...g, columnIds: [] }));
  const { results } = await db.prepare('SELECT id, name FROM sites ORDER BY sort_order, id').all<SiteOption>();
  return results.filter((s) => mayRead(anyColumn, { siteId: s.id, columnId: '' }, parentOf));
}

const SELECT = `SELECT d.id, d.site_id AS siteId, s.name AS siteName, d.column_id AS columnId, c.name AS columnName,
  json_extract(r.data, '$.title') AS title, json_extract(r.data, '$.kind') AS kind, d.state, d.level, d.depth, d.revision, d.updated_at AS updatedAt
  FROM cms_documents d JOIN cms_revisions r ON r.document_id = d.id AND r.revision = d.revision
  JOIN sites s ON s.id = d.site_id LEFT JOIN columns c ON c.id = d.column_id`;

async function scan(db: D1Database, siteIds: string[], f: Omit<ListFilter, 'page'>): Promise<DocRow[]> {
  if (siteIds.length === 0) return [];
  const { results } = await db
    .prepare(
      `${SELECT}
    WHERE d.site_id IN (SELECT value FROM json_each(?1)) AND (?2 IS NULL OR d.site_id = ?2) AND (?3 IS NULL OR d.column_id = ?3)
      AND (?4 IS NULL OR d.state = ?4) AND (?5 IS NULL OR json_extract(r.data, '$.kind') = ?5)
      AND (?6 IS NULL OR instr(json_extract(r.data, '$.title'), ?6) > 0)
    ORDER BY d.updated_at DESC, d.id LIMIT ${SCAN_LIMIT + 1}`,
    )
    .bind(JSON.stringify(siteIds), f.site, f.column, f.state, f.kind, f.q)
    .all<DocRow>();
  return results;
}

export async function listDocuments(db: D1Database, grants: readonly Grant[], parentOf: ParentOf, sites: SiteOption[], f: ListFilter) {
  const rows = await scan(
    db,
    sites.map((s) => s.id),
    f,
  );
  const truncated = rows.length > SCAN_LIMIT;
  const visible = rows.slice(0, SCAN_LIMIT).filter((r) => mayRead(grants, r, parentOf));
  const pages = Math.max(1, Math.ceil(visible.length / PAGE_SIZE));
  const page = Math.min(Math.max(1, f.page), pages);
  return { rows: visible.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE), total: visible.length, page, pages, truncated };
}

/** Documents in review at a level this account may sign off, oldest first (first come, first reviewed). */
export async function reviewQueue(db: D1Database, grants: readonly Grant[], parentOf: ParentOf, sites: SiteOption[]): Promise<DocRow[]> {
  const rows = await scan(
    db,
    sites.map((s) => s.id),
    { site: null, column: null, state: 'review', kind: null, q: null },
  );
  return rows.filter((r) => r.level !== null && can(grants, 'document.review', { siteId: r.siteId, columnId: r.columnId, level: r.level }, parentOf)).reverse();
}

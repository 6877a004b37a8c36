/**
 * Reads the content store (D1) into memory for one publish run. Rows are decoded with the same table
 * mapping the seed and the Worker use (cms-schema/table.ts), so there is no second description of the data.
 */
import {
  TABLES,
  fromRow,
  selectColumns,
  type TableSpec,
  type Column,
  type Document,
  type InterpretationLink,
  type Placement,
  type QaEntry,
  type Site,
} from '@ywtc/cms-schema';

export interface Store {
  sites: Site[];
  columns: Column[];
  documents: Map<string, Document>;
  placements: Placement[];
  links: InterpretationLink[];
  qa: QaEntry[];
  /** Changes whenever content changes; recorded with each published version so unchanged sites are skipped. */
  revision: string;
}

async function all<T>(db: D1Database, spec: TableSpec, order: string): Promise<T[]> {
  const { results } = await db.prepare(`SELECT ${selectColumns(spec)} FROM ${spec.name} ORDER BY ${order}`).all<Record<string, unknown>>();
  return results.map((r) => fromRow(spec, r) as T);
}

export async function loadRevision(db: D1Database): Promise<string> {
  const row = await db.prepare("SELECT value FROM meta WHERE key = 'seed.fingerprint'").first<{ value: string }>();
  return row?.value ?? 'empty';
}

export async function loadStore(db: D1Database): Promise<Store> {
  const [sites, columns, documents, placements, links, qa, revision] = await Promise.all([
    all<Site>(db, TABLES.sites, 'sort_order'),
    all<Column>(db, TABLES.columns, 'site_id, sort_order'),
    all<Document>(db, TABLES.documents, 'id'),
    all<Placement>(db, TABLES.placements, 'site_id, column_id'),
    all<InterpretationLink>(db, TABLES.interpretationLinks, 'policy_id'),
    all<QaEntry>(db, TABLES.qaEntries, 'id'),
    loadRevision(db),
  ]);
  return { sites, columns, documents: new Map(documents.map((d) => [d.id, d])), placements, links, qa, revision };
}

/** The store as plain data, for handing to render threads (Maps do not cross postMessage as cheaply). */
export type StoreTransfer = Omit<Store, 'documents'> & { documents: Document[] };
export const toTransfer = (s: Store): StoreTransfer => ({ ...s, documents: [...s.documents.values()] });
export const fromTransfer = (s: StoreTransfer): Store => ({ ...s, documents: new Map(s.documents.map((d) => [d.id, d])) });

/**
 * What answering one interface needs, and what each dataset's query provides: a listing in a fixed order
 * (newest first for documents) paged by keyset, and — for datasets whose records are entities of the store —
 * the records of given ids as the store now holds them, which is how incremental sync tells a changed record
 * (present) from one that left the interface (absent → tombstone).
 */
import type { DatasetKey, OpenInterface } from '@ywtc/cms-schema';
import type { Registry } from '../catalogue.ts';

export type OpenRecord = Record<string, unknown>;

export interface QueryContext {
  db: D1Database;
  reg: Registry;
  iface: OpenInterface;
  dataset: DatasetKey;
  /** The sites the interface covers; null: the whole region. */
  scope: string[] | null;
  /** The dataset's filters, validated. */
  filters: Record<string, unknown>;
  now: Date;
}

/** Where a page ends: the sort key and id of its last record. */
export interface Keyset {
  k: (string | number)[];
  i: string;
}

export interface ListPage {
  records: OpenRecord[];
  /** Set when there are more records after this page. */
  next: Keyset | null;
}

/** The change feed's entity whose changes reach a dataset's records. */
export type ChangeEntity = 'document' | 'qa' | 'site' | 'column';

export interface DatasetQuery {
  list(ctx: QueryContext, after: Keyset | null, limit: number): Promise<ListPage>;
  /** For incremental sync: the store's entity behind the records, and the records of these ids now in the interface. */
  sync?: { entity: ChangeEntity; byIds(ctx: QueryContext, ids: string[]): Promise<Map<string, OpenRecord>> };
}

/** A `LIKE` pattern matching text that contains `s` (its own % and _ taken literally, escaped with \). */
export const containsPattern = (s: string) => `%${s.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** The interface's scope as an SQL condition on a site-id column. */
export function scopeCondition(column: string, ctx: QueryContext): { sql: string; args: string[] } {
  const site = ctx.filters.site as string | undefined;
  if (site) return { sql: `${column} = ?`, args: [site] };
  if (!ctx.scope) return { sql: '1', args: [] };
  return { sql: `${column} IN (SELECT value FROM json_each(?))`, args: [JSON.stringify(ctx.scope)] };
}

/** Pages records already computed in memory (aggregates: small by nature), ordered by a sort key. */
export function pageInMemory(rows: { key: string; record: OpenRecord }[], after: Keyset | null, limit: number): ListPage {
  rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const start = after ? rows.findIndex((r) => r.key > after.i) : 0;
  const slice = start < 0 ? [] : rows.slice(start, start + limit + 1);
  const more = slice.length > limit;
  const records = slice.slice(0, limit);
  return { records: records.map((r) => r.record), next: more ? { k: [0], i: slice[limit - 1]!.key } : null };
}

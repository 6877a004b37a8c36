/**
 * Incremental sync (?since=): which records changed or left an interface since a moment. Triggers on the
 * content tables write every change to open_changes (migration 0017) in the change's own transaction; a page
 * of changed entities is looked up as the store now holds them — present in the interface: a record; absent:
 * a tombstone. Changes are kept for CHANGE_RETENTION_DAYS; an older `since` is refused (410) rather than
 * answered incompletely.
 */
import { toCst } from '@ywtc/cms-schema';
import type { DatasetQuery, OpenRecord, QueryContext } from './datasets/index.ts';

export const CHANGE_RETENTION_DAYS = 90;
const FLOOR_KEY = 'open_changes_floor';

export interface SyncPage {
  records: OpenRecord[];
  deleted: { id: string; deleted_at: string }[];
  /** The last change sequence number of this page, when more follow. */
  nextSeq: number | null;
  /** On the last page: where the next sync starts. */
  nextSince: string | null;
}

/** The earliest `since` the change feed can still answer exactly (ms), 0 when nothing was ever pruned. */
export async function changeFloor(db: D1Database): Promise<number> {
  const row = await db.prepare('SELECT value FROM meta WHERE key = ?').bind(FLOOR_KEY).first<{ value: string }>();
  return row ? Number(row.value) : 0;
}

export async function syncPage(ctx: QueryContext, q: DatasetQuery, sinceMs: number, afterSeq: number, limit: number): Promise<SyncPage> {
  const sync = q.sync!;
  const { results } = await ctx.db
    .prepare(
      'SELECT entity_id, max(seq) AS seq, max(at) AS at FROM open_changes WHERE entity = ? AND at >= ? AND seq > ? GROUP BY entity_id ORDER BY seq LIMIT ?',
    )
    .bind(sync.entity, sinceMs, afterSeq, limit + 1)
    .all<{ entity_id: string; seq: number; at: number }>();
  const page = results.slice(0, limit);
  const present = page.length
    ? await sync.byIds(
        ctx,
        page.map((r) => r.entity_id),
      )
    : new Map<string, OpenRecord>();
  const records: OpenRecord[] = [];
  const deleted: SyncPage['deleted'] = [];
  for (const r of page) {
    const rec = present.get(r.entity_id);
    if (rec) records.push(rec);
    else deleted.push({ id: r.entity_id, deleted_at: toCst(r.at) });
  }
  const more = results.length > limit;
  let nextSince: string | null = null;
  if (!more) {
    // Inclusive: the next sync starts at the newest change seen (seen again: harmless), or where this one did.
    const row = await ctx.db
      .prepare('SELECT max(at) AS at FROM open_changes WHERE entity = ? AND at >= ?')
      .bind(sync.entity, sinceMs)
      .first<{ at: number | null }>();
    nextSince = toCst(Math.max(sinceMs, row?.at ?? sinceMs), true);
  }
  return { records, deleted, nextSeq: more ? page.at(-1)!.seq : null, nextSince };
}

/** Drops changes older than the retention period and remembers the new floor (scheduled work). */
export async function pruneChanges(db: D1Database, now: Date): Promise<number> {
  const floor = now.getTime() - CHANGE_RETENTION_DAYS * 86_400_000;
  const [, deleted] = await db.batch([
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').bind(FLOOR_KEY, String(floor)),
    db.prepare('DELETE FROM open_changes WHERE at < ?').bind(floor),
  ]);
  return deleted?.meta.changes ?? 0;
}

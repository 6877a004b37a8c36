/**
 * Writing many 整改 items at once. A first 普查 gives a site hundreds of findings, and one bound statement per
 * row (and as many again for their audit rows) is what made the seed take 45 s through the local simulator;
 * here each kind of write is one statement per ~500 KB of items, the items passed as one JSON parameter and
 * read with json_each (D1 allows 100 bound parameters and 100 KB of SQL per statement, but 2 MB per value).
 *
 * Every change is guarded by the state it was decided from, and its audit row is written only where the row
 * now holds what the change set (same batch, after the updates) — so an admin's action that lands between the
 * read and the batch is neither overwritten nor audited as something that did not happen.
 */
import type { Rectification, RectificationState } from '@ywtc/cms-schema';

/** The account the inspector's own changes are audited under (as the scheduler's releases are). */
export const SYSTEM_ACCOUNT = 'system';

/** One item's change of state, escalation or deadline, decided from `from` / `fromEscalation`. */
export interface ItemChange {
  id: string;
  from: RectificationState;
  fromEscalation: number;
  to: RectificationState;
  deadline: string;
  escalation: number;
  escalatedTo: string;
  severity: string;
  message: string;
  excerpt: string;
  /** The audit entry: `inspect.<verb>` and a sentence for the history. */
  action: string;
  detail: string;
}

const CHUNK_CHARS = 500_000;

/** Splits items into JSON arrays of at most ~CHUNK_CHARS characters (one item alone may exceed it). */
export function jsonChunks(items: readonly unknown[]): string[] {
  const out: string[] = [];
  let part: string[] = [];
  let size = 0;
  for (const item of items) {
    const s = JSON.stringify(item);
    if (part.length && size + s.length > CHUNK_CHARS) {
      out.push(`[${part.join(',')}]`);
      part = [];
      size = 0;
    }
    part.push(s);
    size += s.length + 1;
  }
  if (part.length) out.push(`[${part.join(',')}]`);
  return out;
}

const COLUMNS = [
  'id',
  'fingerprint',
  'site_id',
  'kind',
  'severity',
  'state',
  'url',
  'target',
  'message',
  'excerpt',
  'first_run_id',
  'last_run_id',
  'deadline',
  'escalation',
  'escalated_to',
  'note',
  'updated_by',
  'created_at',
  'updated_at',
] as const;
const FIELDS: Record<(typeof COLUMNS)[number], keyof Rectification> = {
  id: 'id',
  fingerprint: 'fingerprint',
  site_id: 'siteId',
  kind: 'kind',
  severity: 'severity',
  state: 'state',
  url: 'url',
  target: 'target',
  message: 'message',
  excerpt: 'excerpt',
  first_run_id: 'firstRunId',
  last_run_id: 'lastRunId',
  deadline: 'deadline',
  escalation: 'escalation',
  escalated_to: 'escalatedTo',
  note: 'note',
  updated_by: 'updatedBy',
  created_at: 'createdAt',
  updated_at: 'updatedAt',
};

const INSERT_ITEMS = `INSERT INTO rectifications (${COLUMNS.join(', ')})
  SELECT ${COLUMNS.map((c) => `json_extract(j.value, '$.${FIELDS[c]}')`).join(', ')} FROM json_each(?) j WHERE true
  ON CONFLICT DO NOTHING`;

export function insertItems(db: D1Database, items: readonly Rectification[]): D1PreparedStatement[] {
  return jsonChunks(items).map((json) => db.prepare(INSERT_ITEMS).bind(json));
}

const v = (field: keyof ItemChange) => `json_extract(j.value, '$.${field}')`;
const UPDATE_ITEMS = `UPDATE rectifications AS r SET state = ${v('to')}, deadline = ${v('deadline')}, escalation = ${v('escalation')},
    escalated_to = ${v('escalatedTo')}, severity = ${v('severity')}, message = ${v('message')}, excerpt = ${v('excerpt')},
    last_run_id = coalesce(?1, r.last_run_id), updated_at = ?2
  FROM json_each(?3) j WHERE r.id = ${v('id')} AND r.state = ${v('from')} AND r.escalation = ${v('fromEscalation')}`;

/** The changes, each applied only if the item is still as it was read; `runId` (when a run decided) becomes last_run_id. */
export function updateItems(db: D1Database, changes: readonly ItemChange[], runId: string | null, now: Date): D1PreparedStatement[] {
  return jsonChunks(changes).map((json) => db.prepare(UPDATE_ITEMS).bind(runId, now.toISOString(), json));
}

/** Items the run saw again with nothing to change: only the run that last judged them moves on. */
export function touchItems(db: D1Database, ids: readonly string[], runId: string): D1PreparedStatement[] {
  return jsonChunks(ids).map((json) => db.prepare('UPDATE rectifications SET last_run_id = ? WHERE id IN (SELECT value FROM json_each(?))').bind(runId, json));
}

const AUDIT_ITEMS = `INSERT INTO audit_log (at, account_id, action, target, site_id, before_hash, after_hash, detail)
  SELECT ?1, ?2, ${v('action')}, r.id, r.site_id, NULL, NULL, substr(${v('detail')}, 1, 500)
  FROM json_each(?3) j JOIN rectifications r ON r.id = ${v('id')}
  WHERE r.updated_at = ?1 AND r.state = ${v('to')} AND r.escalation = ${v('escalation')}`;

/** One audit row per change that took effect (to be placed after the writes, in the same batch). */
export function auditItems(
  db: D1Database,
  changes: readonly Pick<ItemChange, 'id' | 'to' | 'escalation' | 'action' | 'detail'>[],
  now: Date,
): D1PreparedStatement[] {
  return jsonChunks(changes.map(({ id, to, escalation, action, detail }) => ({ id, to, escalation, action, detail }))).map((json) =>
    db.prepare(AUDIT_ITEMS).bind(now.toISOString(), SYSTEM_ACCOUNT, json),
  );
}

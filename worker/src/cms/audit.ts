/**
 * Writing and reading the audit log (cms-schema/src/audit.ts). A change's entry is a statement for the same
 * D1 batch as the change, so either both are stored or neither. Reading is for auditors (and platform
 * admins), limited to the sites their grants reach; platform-wide entries (logins) only for platform-wide ones.
 */
import { TABLES, csvField, fromRow, selectColumns, type AuditEntry, type AuditQuery, type Grant } from '@ywtc/cms-schema';
import { sha256Hex } from './password.ts';

/** The UTC instant at which a China-time calendar day (plus `days`) begins, as stored instants are written. */
const cstDayStart = (day: string, days = 0) => new Date(Date.parse(`${day}T00:00:00+08:00`) + days * 86_400_000).toISOString();

export interface AuditInput {
  accountId: string | null;
  action: string;
  target: string;
  siteId: string | null;
  before?: unknown;
  after?: unknown;
  detail?: string;
}

const hashOf = async (v: unknown) => (v === undefined || v === null ? null : sha256Hex(JSON.stringify(v)));

export async function auditStatement(db: D1Database, e: AuditInput, now = new Date()): Promise<D1PreparedStatement> {
  return db
    .prepare('INSERT INTO audit_log (at, account_id, action, target, site_id, before_hash, after_hash, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .bind(
      now.toISOString(),
      e.accountId,
      e.action,
      e.target.slice(0, 200),
      e.siteId,
      await hashOf(e.before),
      await hashOf(e.after),
      (e.detail ?? '').slice(0, 500),
    );
}

/** The SQL condition limiting entries to what these grants may read (null: nothing). */
function scopeSql(grants: readonly Grant[]): { sql: string; args: string[] } | null {
  const readers = grants.filter((g) => g.role === 'platform-admin' || g.role === 'auditor');
  if (readers.some((g) => g.siteId === null)) return { sql: '1', args: [] };
  const roots = readers.map((g) => g.siteId!).filter(Boolean);
  if (roots.length === 0) return null;
  return {
    sql: `site_id IN (WITH RECURSIVE sub(id) AS (SELECT value FROM json_each(?) UNION SELECT s.id FROM sites s JOIN sub ON s.parent_id = sub.id) SELECT id FROM sub)`,
    args: [JSON.stringify(roots)],
  };
}

export async function queryAudit(db: D1Database, grants: readonly Grant[], q: AuditQuery, limit = q.size): Promise<{ total: number; entries: AuditEntry[] }> {
  const scope = scopeSql(grants);
  if (!scope) return { total: 0, entries: [] };
  const conds = [scope.sql];
  const args: (string | number)[] = [...scope.args];
  if (q.action) {
    conds.push('action = ?');
    args.push(q.action);
  }
  if (q.account) {
    conds.push('account_id = ?');
    args.push(q.account);
  }
  if (q.site) {
    conds.push('site_id = ?');
    args.push(q.site);
  }
  // `from` and `to` are calendar days in China time; `at` is stored as a UTC instant.
  if (q.from) {
    conds.push('at >= ?');
    args.push(cstDayStart(q.from));
  }
  if (q.to) {
    conds.push('at < ?');
    args.push(cstDayStart(q.to, 1));
  }
  if (q.q) {
    conds.push('(instr(target, ?) > 0 OR instr(detail, ?) > 0)');
    args.push(q.q, q.q);
  }
  const where = conds.join(' AND ');
  const [count, rows] = await db.batch([
    db.prepare(`SELECT count(*) AS n FROM audit_log WHERE ${where}`).bind(...args),
    db
      .prepare(`SELECT ${selectColumns(TABLES.auditLog)} FROM audit_log WHERE ${where} ORDER BY seq DESC LIMIT ? OFFSET ?`)
      .bind(...args, limit, (q.page - 1) * q.size),
  ]);
  return { total: (count!.results[0] as { n: number }).n, entries: (rows!.results as Record<string, unknown>[]).map((r) => fromRow(TABLES.auditLog, r)) };
}

export const AUDIT_CSV_HEADER = ['序号', '时间', '账号', '操作', '对象', '网站', '修改前摘要', '修改后摘要', '说明'];
export function auditCsv(entries: readonly AuditEntry[]): string {
  const lines = [AUDIT_CSV_HEADER.map(csvField).join(',')];
  for (const e of entries) lines.push([e.seq, e.at, e.accountId, e.action, e.target, e.siteId, e.beforeHash, e.afterHash, e.detail].map(csvField).join(','));
  // A byte-order mark so spreadsheet programs read the Chinese as UTF-8.
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

/**
 * 整改 items as their admins read and act on them: the list within the sites an account may see (its sites and
 * those below), one item with its history from the audit log, and the two actions — 已整改 by the site's admins
 * (and those above), 核销 only by the unit above the site — each written with its audit row in one guarded batch.
 */
import { z } from 'zod';
import {
  RECTIFICATION_STATES,
  RectificationStateSchema,
  SeveritySchema,
  TABLES,
  can,
  fromRow,
  selectColumns,
  type Grant,
  type ParentOf,
  type Rectification,
  type RectificationState,
  type RectifyAction,
} from '@ywtc/cms-schema';
import { auditStatement } from '../../cms/audit.ts';

/** The sites whose inspection results and 整改 these grants may read, in the registry's order. */
export async function readableSites(db: D1Database, grants: readonly Grant[], parentOf: ParentOf): Promise<SiteRow[]> {
  const { results } = await db.prepare('SELECT id, name, parent_id FROM sites ORDER BY sort_order, id').all<SiteRow>();
  return results.filter((s) => can(grants, 'inspect.read', { siteId: s.id }, parentOf));
}
export interface SiteRow {
  id: string;
  name: string;
  parent_id: string | null;
}

/** Unfinished: still the site's to do, or waiting for the next run's check. */
export const ACTIVE: readonly RectificationState[] = ['open', 'reopened', 'fixed'];
const blank = (v: unknown) => (v === '' ? undefined : v);

/** The list's GET form. */
export const ItemQuerySchema = z.object({
  state: z.preprocess(blank, z.union([RectificationStateSchema, z.enum(['active', 'all'])]).default('active')),
  severity: z.preprocess(blank, SeveritySchema.optional()),
  site: z.preprocess(blank, z.string().max(64).optional()),
  overdue: z.preprocess(blank, z.literal('1', '只能为 1').optional()),
  escalated: z.preprocess(blank, z.literal('1', '只能为 1').optional()),
  page: z.preprocess(blank, z.coerce.number().int('页码须为整数').min(1, '页码须从 1 开始').max(10_000).default(1)),
});
export type ItemQuery = z.infer<typeof ItemQuerySchema>;
export const QUERY_FIELDS: Record<string, string> = { state: '状态', severity: '性质', site: '网站', overdue: '逾期', escalated: '已上报', page: '页码' };
export const PAGE_SIZE = 50;

export interface ListedItem extends Rectification {
  siteName: string;
  escalatedName: string;
  overdue: boolean;
}

const OVERDUE = "(r.state IN ('open', 'reopened') AND r.deadline < ?)";

export async function listItems(
  db: D1Database,
  siteIds: readonly string[],
  q: ItemQuery,
  now: Date,
): Promise<{ items: ListedItem[]; total: number; counts: Record<RectificationState, number>; overdue: number }> {
  const at = now.toISOString();
  const scope = JSON.stringify(q.site ? [q.site] : siteIds);
  const conds = ['r.site_id IN (SELECT value FROM json_each(?))'];
  const args: (string | number)[] = [scope];
  if (q.state === 'active') conds.push(`r.state IN (${ACTIVE.map((s) => `'${s}'`).join(', ')})`);
  else if (q.state !== 'all') {
    conds.push('r.state = ?');
    args.push(q.state);
  }
  if (q.severity) {
    conds.push('r.severity = ?');
    args.push(q.severity);
  }
  if (q.overdue) {
    conds.push(OVERDUE);
    args.push(at);
  }
  if (q.escalated) conds.push('r.escalation > 0');
  const where = conds.join(' AND ');
  const [rows, total, counts] = await db.batch([
    db
      .prepare(
        `SELECT ${selectColumns(TABLES.rectifications, 'r')}, s.name AS site_name, coalesce(e.name, r.escalated_to) AS escalated_name, ${OVERDUE} AS is_overdue
           FROM rectifications r JOIN sites s ON s.id = r.site_id LEFT JOIN sites e ON e.id = r.escalated_to
          WHERE ${where}
          ORDER BY is_overdue DESC, r.state = 'fixed', r.escalation DESC, r.deadline, r.id LIMIT ? OFFSET ?`,
      )
      .bind(at, ...args, PAGE_SIZE, (q.page - 1) * PAGE_SIZE),
    db.prepare(`SELECT count(*) AS n FROM rectifications r WHERE ${where}`).bind(...args),
    db
      .prepare(
        `SELECT r.state, count(*) AS n, sum(${OVERDUE}) AS late FROM rectifications r WHERE r.site_id IN (SELECT value FROM json_each(?)) GROUP BY r.state`,
      )
      .bind(at, scope),
  ]);
  const byState = Object.fromEntries(Object.keys(RECTIFICATION_STATES).map((s) => [s, 0])) as Record<RectificationState, number>;
  let overdue = 0;
  for (const r of counts!.results as { state: RectificationState; n: number; late: number }[]) {
    if (r.state in byState) byState[r.state] = r.n;
    overdue += r.late ?? 0;
  }
  return {
    items: (rows!.results as Record<string, unknown>[]).map((r) => ({
      ...fromRow(TABLES.rectifications, r),
      siteName: String(r.site_name),
      escalatedName: String(r.escalated_name),
      overdue: r.is_overdue === 1,
    })),
    total: (total!.results[0] as { n: number }).n,
    counts: byState,
    overdue,
  };
}

export async function itemById(db: D1Database, id: string): Promise<Rectification | null> {
  const row = await db
    .prepare(`SELECT ${selectColumns(TABLES.rectifications)} FROM rectifications WHERE id = ?`)
    .bind(id)
    .first<Record<string, unknown>>();
  return row ? fromRow(TABLES.rectifications, row) : null;
}

export interface HistoryEntry {
  at: string;
  action: string;
  who: string;
  detail: string;
}

/** The item's audit entries, oldest first, with the account's name (the inspector's own as 系统). */
export async function historyOf(db: D1Database, item: Rectification): Promise<HistoryEntry[]> {
  const { results } = await db
    .prepare(
      `SELECT l.at, l.action, l.detail, l.account_id, a.display_name FROM audit_log l LEFT JOIN accounts a ON a.id = l.account_id
        WHERE l.site_id = ? AND l.target = ? AND l.action LIKE 'inspect.%' ORDER BY l.seq`,
    )
    .bind(item.siteId, item.id)
    .all<{ at: string; action: string; detail: string; account_id: string | null; display_name: string | null }>();
  return results.map((r) => ({
    at: r.at,
    action: r.action,
    detail: r.detail,
    who: r.display_name ?? (r.account_id === 'system' ? '系统（自动检查）' : (r.account_id ?? '')),
  }));
}

export const HISTORY_ACTIONS: Record<string, string> = {
  'inspect.open': '发现问题',
  'inspect.fix': '标记已整改',
  'inspect.reopen': '重新打开',
  'inspect.verify': '复核通过',
  'inspect.dismiss': '核销',
  'inspect.escalate': '逾期上报',
};

/** Who may mark the item fixed: admins of its site and those above. */
export const mayFix = (grants: readonly Grant[], item: Pick<Rectification, 'siteId'>, parentOf: ParentOf) =>
  can(grants, 'inspect.rectify', { siteId: item.siteId }, parentOf);
/** Who may dismiss it: only the unit above the site (at the top of the hierarchy, the platform). */
export const mayDismiss = (grants: readonly Grant[], item: Pick<Rectification, 'siteId'>, parentOf: ParentOf) =>
  can(grants, 'inspect.rectify', { siteId: parentOf(item.siteId) ?? '' }, parentOf);

const FROM: Record<RectifyAction['action'], readonly RectificationState[]> = { fix: ['open', 'reopened'], dismiss: ['open', 'reopened', 'fixed'] };

export type ActResult = { ok: true; item: Rectification } | { ok: false; status: 403 | 404 | 409; field: string; message: string };

/**
 * 已整改 or 核销, decided against the state the admin saw (`expected`, from the page) and written only if the item
 * is still in it: the change and its audit row in one batch, refused as a whole when someone acted meanwhile.
 */
export async function act(
  db: D1Database,
  accountId: string,
  grants: readonly Grant[],
  parentOf: ParentOf,
  id: string,
  action: RectifyAction,
  expected: RectificationState | undefined,
  now: Date,
): Promise<ActResult> {
  const item = await itemById(db, id);
  if (!item || !can(grants, 'inspect.read', { siteId: item.siteId }, parentOf))
    return { ok: false, status: 404, field: 'id', message: '整改事项不存在，或不属于您可查看的网站' };
  if (action.action === 'fix' && !mayFix(grants, item, parentOf)) return { ok: false, status: 403, field: 'action', message: '您无权办理该网站的整改事项' };
  if (action.action === 'dismiss' && !mayDismiss(grants, item, parentOf))
    return { ok: false, status: 403, field: 'action', message: '整改事项只能由上级单位核销，本级不能核销本网站的事项' };
  const stale = (state: RectificationState) => ({
    ok: false as const,
    status: 409 as const,
    field: 'state',
    message: `该事项当前状态为“${RECTIFICATION_STATES[state]}”，已不能${action.action === 'fix' ? '标记为已整改' : '核销'}，请刷新页面后查看`,
  });
  if ((expected && expected !== item.state) || !FROM[action.action].includes(item.state)) return stale(item.state);
  const to: RectificationState = action.action === 'fix' ? 'fixed' : 'dismissed';
  const at = now.toISOString();
  const after: Rectification = { ...item, state: to, note: action.note, updatedBy: accountId, updatedAt: at };
  try {
    await db.batch([
      db
        .prepare('UPDATE rectifications SET state = ?, note = ?, updated_by = ?, updated_at = ? WHERE id = ? AND state = ?')
        .bind(to, action.note, accountId, at, item.id, item.state),
      db.prepare('INSERT INTO cms_guard (ok) VALUES (changes())'),
      db.prepare('DELETE FROM cms_guard'),
      await auditStatement(
        db,
        { accountId, action: `inspect.${action.action}`, target: item.id, siteId: item.siteId, before: item, after, detail: action.note },
        now,
      ),
    ]);
  } catch (e) {
    if (!/CHECK constraint failed/i.test(String(e))) throw e;
    const now2 = await itemById(db, id);
    return stale(now2?.state ?? item.state);
  }
  return { ok: true, item: after };
}

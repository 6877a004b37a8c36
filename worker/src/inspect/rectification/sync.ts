/**
 * 整改 follow-up of a run (issue 14): what one site's findings do to its 整改 items, as statements for the batch
 * in which the engine commits that site, and the escalation of overdue items up the site hierarchy.
 *
 * A finding is known by its fingerprint across runs (cms-schema FindingSchema). What the run found:
 *   new                                  → an item `open`, its deadline by the kind's severity (fixWithinDays)
 *   `open` / `reopened`, found again     → unchanged, last judged by this run
 *   `fixed`, found again                 → `reopened` (复核未通过), a new deadline; still escalated where it was
 *   `verified`, found again              → `reopened` (问题再次出现), a new deadline, back with the site's own admins
 *   `dismissed`, found again             → stays dismissed: the unit above accepted it
 * What the run looked for (`covers`) and did not find:
 *   `fixed` / `open` / `reopened`        → `verified` (a problem fixed by publishing is as gone as one marked fixed)
 * Anything the run did not look for stays as it is. Every change of state is audited under `system`.
 */
import { FINDING_KINDS, TABLES, fromRow, selectColumns, type Finding, type FindingKind, type InspectionRun, type Rectification } from '@ywtc/cms-schema';
import { auditItems, insertItems, touchItems, updateItems, type ItemChange } from './bulk.ts';

const DAY_MS = 86_400_000;

/** The deadline an item of this kind gets from `now`. */
export const deadlineFor = (kind: FindingKind, now: Date) => new Date(now.getTime() + FINDING_KINDS[kind].fixWithinDays * DAY_MS).toISOString();

/** The 整改 items of one site, as stored. */
export async function itemsOfSite(db: D1Database, siteId: string): Promise<Rectification[]> {
  const { results } = await db
    .prepare(`SELECT ${selectColumns(TABLES.rectifications)} FROM rectifications WHERE site_id = ?`)
    .bind(siteId)
    .all<Record<string, unknown>>();
  return results.map((r) => fromRow(TABLES.rectifications, r));
}

export interface SyncArgs {
  run: InspectionRun;
  siteId: string;
  findings: Finding[];
  /** Whether this run looked for findings of this kind on this page (a weekly 巡检 does not look at every page). */
  covers: (kind: FindingKind, url: string) => boolean;
  now: Date;
}

/** The decisions of a run for one site, without touching the store (exported for tests and the report). */
export function decide(existing: readonly Rectification[], args: SyncArgs): { created: Rectification[]; changes: ItemChange[]; seen: string[] } {
  const { run, siteId, now } = args;
  const at = now.toISOString();
  const found = new Map<string, Finding>();
  for (const f of args.findings) if (f.siteId === siteId) found.set(f.fingerprint, f);
  const known = new Map(existing.map((r) => [r.fingerprint, r]));
  const created: Rectification[] = [];
  const changes: ItemChange[] = [];
  const seen: string[] = [];
  for (const f of found.values()) {
    const item = known.get(f.fingerprint);
    if (!item) {
      created.push({
        id: f.fingerprint,
        fingerprint: f.fingerprint,
        siteId,
        kind: f.kind,
        severity: f.severity,
        state: 'open',
        url: f.url,
        target: f.target,
        message: f.message,
        excerpt: f.excerpt,
        firstRunId: run.id,
        lastRunId: run.id,
        deadline: deadlineFor(f.kind, now),
        escalation: 0,
        escalatedTo: siteId,
        note: '',
        updatedBy: null,
        createdAt: at,
        updatedAt: at,
      });
      continue;
    }
    const base = { id: item.id, from: item.state, fromEscalation: item.escalation, severity: f.severity, message: f.message, excerpt: f.excerpt };
    if (item.state === 'fixed')
      changes.push({
        ...base,
        to: 'reopened',
        deadline: deadlineFor(f.kind, now),
        escalation: item.escalation,
        escalatedTo: item.escalatedTo,
        action: 'inspect.reopen',
        detail: `复核未通过：检查 ${run.id} 仍发现该问题，重新限期整改`,
      });
    else if (item.state === 'verified')
      changes.push({
        ...base,
        to: 'reopened',
        deadline: deadlineFor(f.kind, now),
        escalation: 0,
        escalatedTo: siteId,
        action: 'inspect.reopen',
        detail: `问题再次出现：检查 ${run.id} 又发现该问题，重新限期整改`,
      });
    else seen.push(item.id); // open, reopened: still to do; dismissed: accepted by the unit above
  }
  for (const item of existing) {
    if (found.has(item.fingerprint) || !['open', 'reopened', 'fixed'].includes(item.state) || !args.covers(item.kind, item.url)) continue;
    changes.push({
      id: item.id,
      from: item.state,
      fromEscalation: item.escalation,
      to: 'verified',
      deadline: item.deadline,
      escalation: item.escalation,
      escalatedTo: item.escalatedTo,
      severity: item.severity,
      message: item.message,
      excerpt: item.excerpt,
      action: 'inspect.verify',
      detail: item.state === 'fixed' ? `复核通过：检查 ${run.id} 未再发现该问题` : `检查 ${run.id} 未再发现该问题（已自行整改），复核通过`,
    });
  }
  return { created, changes, seen };
}

/**
 * The statements that bring one site's 整改 items in line with what the run found, for the batch in which the
 * engine commits the site (so the items and the findings are stored together or not at all).
 */
export async function rectificationStatements(db: D1Database, args: SyncArgs): Promise<D1PreparedStatement[]> {
  const { created, changes, seen } = decide(await itemsOfSite(db, args.siteId), args);
  const opened = created.map((r) => ({
    id: r.id,
    to: r.state,
    escalation: 0,
    action: 'inspect.open',
    detail: `检查 ${args.run.id} 发现问题，限 ${FINDING_KINDS[r.kind].fixWithinDays} 天内整改`,
  }));
  return [
    ...insertItems(db, created),
    ...updateItems(db, changes, args.run.id, args.now),
    ...touchItems(db, seen, args.run.id),
    ...auditItems(db, [...opened, ...changes], args.now),
  ];
}

/**
 * Overdue items (`open` or `reopened` past their deadline) move one level up: to the parent of the site they
 * are escalated to, with a new deadline; at the top of the hierarchy they stay where they are. One batch, an
 * audit row per move; returns how many moved.
 */
export async function escalateOverdue(db: D1Database, now: Date, parentOf: (siteId: string) => string | null | undefined): Promise<number> {
  const { results } = await db
    .prepare(
      "SELECT id, kind, state, severity, message, excerpt, escalation, escalated_to FROM rectifications WHERE state IN ('open', 'reopened') AND deadline < ?",
    )
    .bind(now.toISOString())
    .all<{
      id: string;
      kind: FindingKind;
      state: 'open' | 'reopened';
      severity: string;
      message: string;
      excerpt: string;
      escalation: number;
      escalated_to: string;
    }>();
  if (results.length === 0) return 0;
  const names = new Map((await db.prepare('SELECT id, name FROM sites').all<{ id: string; name: string }>()).results.map((s) => [s.id, s.name]));
  const changes: ItemChange[] = [];
  for (const r of results) {
    const up = parentOf(r.escalated_to);
    if (!up || !(r.kind in FINDING_KINDS)) continue;
    changes.push({
      id: r.id,
      from: r.state,
      fromEscalation: r.escalation,
      to: r.state,
      deadline: deadlineFor(r.kind, now),
      escalation: r.escalation + 1,
      escalatedTo: up,
      severity: r.severity,
      message: r.message,
      excerpt: r.excerpt,
      action: 'inspect.escalate',
      detail: `逾期未整改，上报至${names.get(up) ?? up}督办（第 ${r.escalation + 1} 级）`,
    });
  }
  if (changes.length === 0) return 0;
  const updates = updateItems(db, changes, null, now);
  const written = await db.batch([...updates, ...auditItems(db, changes, now)]);
  return written.slice(0, updates.length).reduce((n, r) => n + (r.meta.changes ?? 0), 0);
}

/**
 * An inspection run, worked off site by site so it survives anything: `startRun` writes the run and one task per
 * site in one batch; `workRun` inspects pending sites and commits each in ONE D1 batch — its findings, its score,
 * its skipped pages, the 整改 items it opens, reopens or verifies, the publish times first seen, the task marked
 * done and the run's counters — so a process killed between two sites loses nothing and repeats nothing, and a
 * run killed half-way is resumed by the next call (the Cron Trigger's next minute, or `npm run inspect` again).
 * The run judges against its start time, so a resumed run judges as the first part did.
 */
import { FINDING_KINDS, TABLES, fromRow, selectColumns, type Finding, type InspectionRun, type Schedule } from '@ywtc/cms-schema';
import { sha256Hex } from '../cms/password.ts';
import { runContext, type RunContext } from './context.ts';
import { inspectSite, type NetworkChecks } from './inspect-site.ts';
import { scoreSite } from './score.ts';
import type { FindingDraft } from './types.ts';
import { jsonChunks } from './rectification/bulk.ts';
import { rectificationStatements } from './rectification/sync.ts';

type Env = { DB: D1Database; PAGES: R2Bucket };

export async function fingerprintOf(f: Pick<Finding, 'kind' | 'siteId' | 'url' | 'target'>): Promise<string> {
  return (await sha256Hex(`${f.kind}|${f.siteId}|${f.url}|${f.target}`)).slice(0, 32);
}

const runId = (schedule: Schedule, now: Date) => `${now.toISOString().replace(/[-:]/g, '').replace('.', '').toLowerCase()}-${schedule}`;

export async function loadRun(db: D1Database, id: string): Promise<InspectionRun | null> {
  const row = await db
    .prepare(`SELECT ${selectColumns(TABLES.inspectionRuns)} FROM inspection_runs WHERE id = ?`)
    .bind(id)
    .first();
  return row ? fromRow(TABLES.inspectionRuns, row) : null;
}

/**
 * Starts a run of `schedule` over the given sites (every site of the registry when left out) — or returns the
 * run of that schedule still in progress: two runs of one schedule never overlap.
 */
export async function startRun(
  db: D1Database,
  opts: { schedule: Schedule; trigger: InspectionRun['trigger']; requestedBy?: string | null; siteIds?: readonly string[]; now?: Date },
): Promise<{ run: InspectionRun; started: boolean }> {
  const running = await db
    .prepare(`SELECT id FROM inspection_runs WHERE schedule = ? AND state = 'running' ORDER BY started_at DESC LIMIT 1`)
    .bind(opts.schedule)
    .first<{ id: string }>();
  if (running) return { run: (await loadRun(db, running.id))!, started: false };
  const now = opts.now ?? new Date();
  const id = runId(opts.schedule, now);
  const sites = opts.siteIds ?? (await db.prepare('SELECT id FROM sites ORDER BY sort_order, id').all<{ id: string }>()).results.map((r) => r.id);
  await db.batch([
    db
      .prepare(
        `INSERT INTO inspection_runs (id, schedule, state, trigger, started_at, finished_at, sites, pages, findings, skipped, requested_by) VALUES (?, ?, 'running', ?, ?, NULL, ?, 0, 0, 0, ?)`,
      )
      .bind(id, opts.schedule, opts.trigger, now.toISOString(), sites.length, opts.requestedBy ?? null),
    db.prepare(`INSERT INTO inspection_tasks (run_id, site_id, done) SELECT ?, value, 0 FROM json_each(?)`).bind(id, JSON.stringify(sites)),
  ]);
  return { run: (await loadRun(db, id))!, started: true };
}

const FINDING_COLUMNS = ['run_id', 'site_id', 'kind', 'severity', 'points', 'url', 'target', 'message', 'excerpt', 'fingerprint'] as const;
const FINDING_FIELDS = ['runId', 'siteId', 'kind', 'severity', 'points', 'url', 'target', 'message', 'excerpt', 'fingerprint'] as const;
const INSERT_FINDINGS = `INSERT OR REPLACE INTO inspection_findings (${FINDING_COLUMNS.join(', ')})
  SELECT ${FINDING_FIELDS.map((f) => `json_extract(j.value, '$.${f}')`).join(', ')} FROM json_each(?) j`;

export interface SiteProgress {
  siteId: string;
  pages: number;
  findings: number;
  skipped: number;
  verdict: 'pass' | 'fail';
  score: number | null;
  ms: number;
}

/** A site's findings from its rules' drafts: one per fingerprint (kind, page, target), fields cut to the stored sizes. */
export async function findingsOf(runId: string, siteId: string, drafts: readonly FindingDraft[]): Promise<Finding[]> {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const d of drafts) {
    const spec = FINDING_KINDS[d.kind];
    const fingerprint = await fingerprintOf({ kind: d.kind, siteId, url: d.url, target: d.target });
    if (seen.has(fingerprint)) continue;
    seen.add(fingerprint);
    findings.push({
      runId,
      siteId,
      kind: d.kind,
      severity: spec.severity,
      points: spec.points,
      url: d.url.slice(0, 2000),
      target: d.target.slice(0, 2000),
      message: d.message.slice(0, 500),
      excerpt: d.excerpt.slice(0, 300),
      fingerprint,
    });
  }
  return findings;
}

/** Inspects one site of a run and commits it (one batch). */
async function commitSite(env: Env, ctx: RunContext, run: InspectionRun, siteId: string, net: NetworkChecks): Promise<SiteProgress> {
  const t0 = Date.now();
  const r = await inspectSite(env, ctx, run, siteId, net);
  const findings = await findingsOf(run.id, siteId, r.drafts);
  const score = scoreSite(run.id, siteId, findings, r.columns, r.pages);
  const now = new Date();
  const db = env.DB;
  const covers = (kind: Finding['kind'], url: string) =>
    (FINDING_KINDS[kind].schedules as readonly string[]).includes(run.schedule) && (run.schedule !== 'weekly' || r.inspected.has(url) || url === '/');
  const statements = [
    ...jsonChunks(findings).map((json) => db.prepare(INSERT_FINDINGS).bind(json)),
    db
      .prepare(
        `INSERT OR REPLACE INTO inspection_scores (run_id, site_id, verdict, score, vetoes, deductions, pages, findings, veto_reasons) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .bind(run.id, siteId, score.verdict, score.score, score.vetoes, score.deductions, score.pages, score.findings, JSON.stringify(score.vetoReasons)),
    ...jsonChunks(r.skips.map((s) => ({ ...s, url: s.url.slice(0, 2000), reason: s.reason.slice(0, 300) }))).map((json) =>
      db
        .prepare(
          `INSERT OR REPLACE INTO inspection_skips (run_id, site_id, url, reason) SELECT ?, ?, json_extract(j.value, '$.url'), json_extract(j.value, '$.reason') FROM json_each(?) j`,
        )
        .bind(run.id, siteId, json),
    ),
    ...jsonChunks(r.firstSeen).map((json) =>
      db
        .prepare(
          `INSERT OR IGNORE INTO inspection_seen (document_id, published_at, seen_at) SELECT json_extract(j.value, '$.id'), json_extract(j.value, '$.publishedAt'), ? FROM json_each(?) j`,
        )
        .bind(now.toISOString(), json),
    ),
    ...(await rectificationStatements(db, { run, siteId, findings, covers, now })),
    // The task's guard: a site already committed (by a racing worker of the same run) is not counted twice.
    db.prepare('UPDATE inspection_tasks SET done = 1 WHERE run_id = ? AND site_id = ? AND done = 0').bind(run.id, siteId),
    db.prepare('INSERT INTO cms_guard VALUES (changes())'),
    db
      .prepare('UPDATE inspection_runs SET pages = pages + ?, findings = findings + ?, skipped = skipped + ? WHERE id = ?')
      .bind(r.pages, findings.length, r.skips.length, run.id),
  ];
  try {
    await db.batch(statements);
  } catch (e) {
    // The guard failed: another worker committed this site first. Anything else is a real error.
    const done = await db.prepare('SELECT done FROM inspection_tasks WHERE run_id = ? AND site_id = ?').bind(run.id, siteId).first<{ done: number }>();
    if (done?.done !== 1) throw e;
  }
  return { siteId, pages: r.pages, findings: findings.length, skipped: r.skips.length, verdict: score.verdict, score: score.score, ms: Date.now() - t0 };
}

export interface WorkOptions {
  /** Stop taking new sites after this instant (ms since epoch): the Cron Trigger's budget. */
  deadline?: number;
  net?: NetworkChecks;
  onSite?: (p: SiteProgress, done: number, total: number) => void;
}

/** Works off a run's pending sites (all of them, or until the deadline); finishes the run when none is left. */
export async function workRun(env: Env, id: string, opts: WorkOptions = {}): Promise<{ run: InspectionRun; sites: number }> {
  let run = await loadRun(env.DB, id);
  if (!run) throw new Error(`no inspection run ${id}`);
  if (run.state !== 'running') return { run, sites: 0 };
  const pending = (
    await env.DB.prepare('SELECT site_id FROM inspection_tasks WHERE run_id = ? AND done = 0 ORDER BY site_id').bind(id).all<{ site_id: string }>()
  ).results.map((r) => r.site_id);
  const ctx = await runContext(env);
  let n = 0;
  for (const siteId of pending) {
    if (opts.deadline !== undefined && Date.now() >= opts.deadline) break;
    const p = await commitSite(env, ctx, run, siteId, opts.net ?? {});
    n++;
    opts.onSite?.(p, run.sites - pending.length + n, run.sites);
  }
  const left = await env.DB.prepare('SELECT count(*) AS n FROM inspection_tasks WHERE run_id = ? AND done = 0').bind(id).first<{ n: number }>();
  if (left?.n === 0)
    await env.DB.prepare(`UPDATE inspection_runs SET state = 'finished', finished_at = ? WHERE id = ? AND state = 'running'`)
      .bind(new Date().toISOString(), id)
      .run();
  run = (await loadRun(env.DB, id))!;
  return { run, sites: n };
}

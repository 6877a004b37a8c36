/**
 * What the reports read: runs, each site's result in a run (score row, findings counted by kind, open 整改),
 * and one site's findings with the 整改 items they became. Every read is limited to the site ids the caller
 * passes — the sites the viewer may see.
 */
import {
  TABLES,
  fromRow,
  selectColumns,
  type Finding,
  type InspectionRun,
  type InspectionSkip,
  type RectificationState,
  type SiteScore,
} from '@ywtc/cms-schema';
import type { KindCount } from './tally.ts';

export const RUNS_PAGE = 30;

export interface RunRow extends InspectionRun {
  /** Within the viewer's sites: inspected, 合格, 不合格, findings. */
  mine: { sites: number; pass: number; fail: number; findings: number };
}

export async function listRuns(db: D1Database, siteIds: readonly string[], page: number): Promise<{ runs: RunRow[]; total: number }> {
  const scope = JSON.stringify(siteIds);
  const [rows, total] = await db.batch([
    db
      .prepare(
        `SELECT ${selectColumns(TABLES.inspectionRuns, 'r')},
           (SELECT count(*) FROM inspection_tasks t WHERE t.run_id = r.id AND t.done = 1 AND t.site_id IN (SELECT value FROM json_each(?1))) AS my_sites,
           (SELECT count(*) FROM inspection_scores s WHERE s.run_id = r.id AND s.verdict = 'pass' AND s.site_id IN (SELECT value FROM json_each(?1))) AS my_pass,
           (SELECT count(*) FROM inspection_scores s WHERE s.run_id = r.id AND s.verdict = 'fail' AND s.site_id IN (SELECT value FROM json_each(?1))) AS my_fail,
           (SELECT count(*) FROM inspection_findings f WHERE f.run_id = r.id AND f.site_id IN (SELECT value FROM json_each(?1))) AS my_findings
         FROM inspection_runs r ORDER BY r.started_at DESC, r.id DESC LIMIT ?2 OFFSET ?3`,
      )
      .bind(scope, RUNS_PAGE, (page - 1) * RUNS_PAGE),
    db.prepare('SELECT count(*) AS n FROM inspection_runs'),
  ]);
  return {
    runs: (rows!.results as Record<string, unknown>[]).map((r) => ({
      ...fromRow(TABLES.inspectionRuns, r),
      mine: { sites: Number(r.my_sites), pass: Number(r.my_pass), fail: Number(r.my_fail), findings: Number(r.my_findings) },
    })),
    total: (total!.results[0] as { n: number }).n,
  };
}

export async function runById(db: D1Database, id: string): Promise<InspectionRun | null> {
  const row = await db
    .prepare(`SELECT ${selectColumns(TABLES.inspectionRuns)} FROM inspection_runs WHERE id = ?`)
    .bind(id)
    .first<Record<string, unknown>>();
  return row ? fromRow(TABLES.inspectionRuns, row) : null;
}

export interface SiteInfo {
  id: string;
  name: string;
  parentId: string | null;
  idCode: string;
  sponsor: string;
  domains: string;
}

/** A site's result in a run: whether it was inspected, its score row, its findings by kind, its open 整改. */
export interface SiteResult {
  site: SiteInfo;
  inspected: boolean;
  score: SiteScore | null;
  kinds: KindCount[];
  findings: number;
  skipped: number;
  openItems: number;
}

export async function siteResults(db: D1Database, runId: string, sites: readonly SiteInfo[]): Promise<SiteResult[]> {
  const scope = JSON.stringify(sites.map((s) => s.id));
  const inScope = 'site_id IN (SELECT value FROM json_each(?))';
  const [tasks, scores, kinds, skips, open] = await db.batch([
    db.prepare(`SELECT site_id FROM inspection_tasks WHERE run_id = ? AND done = 1 AND ${inScope}`).bind(runId, scope),
    db.prepare(`SELECT ${selectColumns(TABLES.inspectionScores)} FROM inspection_scores WHERE run_id = ? AND ${inScope}`).bind(runId, scope),
    db
      .prepare(`SELECT site_id, kind, count(*) AS count, sum(points) AS points FROM inspection_findings WHERE run_id = ? AND ${inScope} GROUP BY site_id, kind`)
      .bind(runId, scope),
    db.prepare(`SELECT site_id, count(*) AS n FROM inspection_skips WHERE run_id = ? AND ${inScope} GROUP BY site_id`).bind(runId, scope),
    db
      .prepare(
        `SELECT site_id, count(*) AS n FROM rectifications WHERE state IN ('open', 'reopened', 'fixed') AND ${inScope} AND fingerprint IN (SELECT fingerprint FROM inspection_findings WHERE run_id = ?) GROUP BY site_id`,
      )
      .bind(scope, runId),
  ]);
  const done = new Set((tasks!.results as { site_id: string }[]).map((r) => r.site_id));
  const scoreOf = new Map((scores!.results as Record<string, unknown>[]).map((r) => [String(r.site_id), fromRow(TABLES.inspectionScores, r)]));
  const kindsOf = new Map<string, KindCount[]>();
  for (const r of kinds!.results as { site_id: string; kind: string; count: number; points: number }[])
    kindsOf.set(r.site_id, [...(kindsOf.get(r.site_id) ?? []), { kind: r.kind, count: r.count, points: r.points }]);
  const count = (rows: D1Result) => new Map((rows.results as { site_id: string; n: number }[]).map((r) => [r.site_id, r.n]));
  const skipsOf = count(skips!);
  const openOf = count(open!);
  return sites.map((site) => {
    const k = kindsOf.get(site.id) ?? [];
    return {
      site,
      inspected: done.has(site.id) || scoreOf.has(site.id),
      score: scoreOf.get(site.id) ?? null,
      kinds: k,
      findings: k.reduce((n, x) => n + x.count, 0),
      skipped: skipsOf.get(site.id) ?? 0,
      openItems: openOf.get(site.id) ?? 0,
    };
  });
}

export interface FindingWithItem extends Finding {
  item: { state: RectificationState; deadline: string } | null;
}

/** Sites' findings in a run (with the 整改 item each became) and the pages the run could not judge, by site. */
export async function findingsOf(
  db: D1Database,
  runId: string,
  siteIds: readonly string[],
): Promise<Map<string, { findings: FindingWithItem[]; skips: InspectionSkip[] }>> {
  const scope = JSON.stringify(siteIds);
  const [findings, skips] = await db.batch([
    db
      .prepare(
        `SELECT ${selectColumns(TABLES.inspectionFindings, 'f')}, r.state AS item_state, r.deadline AS item_deadline
           FROM inspection_findings f LEFT JOIN rectifications r ON r.fingerprint = f.fingerprint
          WHERE f.run_id = ? AND f.site_id IN (SELECT value FROM json_each(?)) ORDER BY f.kind, f.url, f.target`,
      )
      .bind(runId, scope),
    db
      .prepare(
        `SELECT ${selectColumns(TABLES.inspectionSkips)} FROM inspection_skips WHERE run_id = ? AND site_id IN (SELECT value FROM json_each(?)) ORDER BY url`,
      )
      .bind(runId, scope),
  ]);
  const out = new Map(siteIds.map((id) => [id, { findings: [] as FindingWithItem[], skips: [] as InspectionSkip[] }]));
  for (const r of findings!.results as Record<string, unknown>[])
    out.get(String(r.site_id))?.findings.push({
      ...fromRow(TABLES.inspectionFindings, r),
      item: r.item_state ? { state: r.item_state as RectificationState, deadline: String(r.item_deadline) } : null,
    });
  for (const r of skips!.results as Record<string, unknown>[]) out.get(String(r.site_id))?.skips.push(fromRow(TABLES.inspectionSkips, r));
  return out;
}

/** The registry's facts a report heads with, for the given sites, in the registry's order. */
export async function siteInfos(db: D1Database, siteIds: readonly string[]): Promise<SiteInfo[]> {
  const { results } = await db
    .prepare('SELECT id, name, parent_id, id_code, sponsor, domains FROM sites WHERE id IN (SELECT value FROM json_each(?)) ORDER BY sort_order, id')
    .bind(JSON.stringify(siteIds))
    .all<{ id: string; name: string; parent_id: string | null; id_code: string; sponsor: string; domains: string }>();
  return results.map((r) => ({ id: r.id, name: r.name, parentId: r.parent_id, idCode: r.id_code, sponsor: r.sponsor, domains: r.domains }));
}

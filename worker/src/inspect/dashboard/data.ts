/**
 * Everything the dashboard shows for one scope and period, read in one D1 batch (one round trip, one snapshot),
 * with the 留言 counts from the consult store beside it (its own definition of answered and overdue, not a copy).
 *
 * 信息发布 counts documents in the content store, not workflow steps: a document is the unit's when it owns it
 * (`owner_site_id`), published in the period by `published_at`, and counted only while some site still shows it
 * (a placement) — so seeded documents, which have no cms_transitions, count like CMS-published ones, and a
 * withdrawn one no longer counts. 本站新增 counts what the site shows, 转载 and reposts included.
 */
import { SCHEDULES, type Schedule } from '@ywtc/cms-schema';
import { statsFor, type ConsultStats } from '../../consult/store.ts';
import { lastDays } from '../../search/stats.ts';
import type { Period } from './query.ts';
import type { ScopeSite } from './scope.ts';

/** Rows a list panel shows (the CSV holds the same rows). */
export const TOP = 20;

export interface RunScore {
  runId: string;
  schedule: Schedule;
  startedAt: string;
  sites: number;
  /** Mean score of the sites that were scored (a vetoed site has none); null when every site was vetoed. */
  average: number | null;
  passed: number;
  failed: number;
}
export interface FailingSite {
  siteId: string;
  score: number | null;
  vetoes: number;
  reasons: string[];
}
export interface LatestCensus {
  runId: string;
  startedAt: string;
  sites: number;
  failing: FailingSite[];
}
export interface OverdueRow {
  siteId: string;
  /** Overdue items by escalation: [still the site's own, escalated one level, two or more levels]. */
  byLevel: [number, number, number];
  total: number;
  oldestDeadline: string;
}
export interface SiteCount {
  siteId: string;
  own: number;
  shown: number;
}
export interface DayCount {
  day: string;
  a: number;
  b: number;
}
export interface QueryRow {
  query: string;
  searches: number;
  zeroResults: number;
}
export interface QuestionRow {
  question: string;
  count: number;
  lastDay: string;
}
export interface DocumentViews {
  siteId: string;
  documentId: string;
  title: string | null;
  views: number;
}
export interface InterfaceUse {
  code: string;
  name: string;
  ownerSiteId: string;
  calls: number;
  refused: number;
  units: number;
}

export interface DashboardData {
  period: Period;
  /** The first instant of the period (midnight China time) and now. */
  since: string;
  now: string;
  days: string[];
  sites: ScopeSite[];
  scores: RunScore[];
  census: LatestCensus | null;
  overdue: OverdueRow[];
  publishing: SiteCount[];
  views: { bySite: Map<string, number>; total: number; top: DocumentViews[] };
  searches: DayCount[];
  hotQueries: QueryRow[];
  zeroQueries: QueryRow[];
  questions: { total: number; askedInPeriod: number; top: QuestionRow[] };
  consult: { all: ConsultStats; sites: Map<string, ConsultStats> };
  open: { days: DayCount[]; interfaces: InterfaceUse[] };
}

const SCOPE = 'SELECT value FROM json_each(?1)';

export async function dashboardData(db: D1Database, sites: ScopeSite[], period: Period, now = new Date()): Promise<DashboardData> {
  const ids = JSON.stringify(sites.map((s) => s.id));
  const nowIso = now.toISOString();
  const days = lastDays(period, now.getTime());
  const firstDay = days[0]!;
  // The period is whole China-time days, today included: instants are compared from the first day's midnight.
  const since = new Date(`${firstDay}T00:00:00+08:00`).toISOString();
  const q = (sql: string, ...args: unknown[]) => db.prepare(sql).bind(ids, ...args);
  const [scores, latest, failing, overdue, own, shown, viewSites, viewTop, searches, hot, zero, questions, questionTop, openDays, openInterfaces] =
    await db.batch([
      q(
        `SELECT r.id AS runId, r.schedule, r.started_at AS startedAt, COUNT(*) AS sites, AVG(s.score) AS average,
              SUM(s.verdict = 'pass') AS passed, SUM(s.verdict = 'fail') AS failed
         FROM inspection_runs r JOIN inspection_scores s ON s.run_id = r.id
        WHERE r.state = 'finished' AND unixepoch(r.started_at) >= unixepoch(?2) AND s.site_id IN (${SCOPE})
        GROUP BY r.id ORDER BY unixepoch(r.started_at), r.id LIMIT 500`,
        since,
      ),
      // The latest finished 季普查, whatever the period: the standing verdict on each site.
      q(
        `SELECT r.id AS runId, r.started_at AS startedAt, (SELECT COUNT(*) FROM inspection_scores s WHERE s.run_id = r.id AND s.site_id IN (${SCOPE})) AS sites
           FROM inspection_runs r WHERE r.schedule = 'quarterly' AND r.state = 'finished' ORDER BY unixepoch(r.started_at) DESC, r.id DESC LIMIT 1`,
      ),
      q(
        `SELECT s.site_id AS siteId, s.score, s.vetoes, s.veto_reasons AS reasons FROM inspection_scores s
          WHERE s.run_id = (SELECT id FROM inspection_runs WHERE schedule = 'quarterly' AND state = 'finished' ORDER BY unixepoch(started_at) DESC, id DESC LIMIT 1)
            AND s.verdict = 'fail' AND s.site_id IN (${SCOPE}) ORDER BY s.vetoes DESC, s.score, s.site_id`,
      ),
      // 整改 past its deadline and still not done (待整改, 复核未通过): fixed, verified and dismissed items are not overdue.
      q(
        `SELECT site_id AS siteId, escalation, COUNT(*) AS n, MIN(deadline) AS oldest FROM rectifications
          WHERE state IN ('open', 'reopened') AND unixepoch(deadline) < unixepoch(?2) AND site_id IN (${SCOPE})
          GROUP BY site_id, escalation`,
        nowIso,
      ),
      q(
        `SELECT d.owner_site_id AS siteId, COUNT(*) AS n FROM documents d
          WHERE unixepoch(d.published_at) >= unixepoch(?2) AND unixepoch(d.published_at) <= unixepoch(?3) AND d.owner_site_id IN (${SCOPE})
            AND EXISTS (SELECT 1 FROM placements p WHERE p.document_id = d.id)
          GROUP BY d.owner_site_id`,
        since,
        nowIso,
      ),
      q(
        `SELECT p.site_id AS siteId, COUNT(*) AS n FROM placements p JOIN documents d ON d.id = p.document_id
          WHERE p.site_id IN (${SCOPE}) AND unixepoch(d.published_at) >= unixepoch(?2) AND unixepoch(d.published_at) <= unixepoch(?3)
          GROUP BY p.site_id`,
        since,
        nowIso,
      ),
      q(`SELECT site_id AS siteId, SUM(views) AS views FROM page_view_days WHERE site_id IN (${SCOPE}) AND day >= ?2 GROUP BY site_id`, firstDay),
      q(
        `SELECT v.site_id AS siteId, v.document_id AS documentId, d.title, SUM(v.views) AS views FROM page_view_days v LEFT JOIN documents d ON d.id = v.document_id
          WHERE v.site_id IN (${SCOPE}) AND v.day >= ?2 GROUP BY v.site_id, v.document_id ORDER BY views DESC, v.document_id LIMIT ?3`,
        firstDay,
        TOP,
      ),
      // The search log and the unanswered questions hold no site (migration 0006, 0007): these are the cluster's.
      db.prepare('SELECT day, SUM(searches) AS a, SUM(zero_results) AS b FROM search_query_days WHERE day >= ? GROUP BY day').bind(firstDay),
      db
        .prepare(
          'SELECT query, SUM(searches) AS searches, SUM(zero_results) AS zeroResults FROM search_query_days WHERE day >= ? GROUP BY query HAVING SUM(searches) > 0 ORDER BY searches DESC, query LIMIT ?',
        )
        .bind(firstDay, TOP),
      db
        .prepare(
          'SELECT query, SUM(searches) AS searches, SUM(zero_results) AS zeroResults FROM search_query_days WHERE day >= ? GROUP BY query HAVING SUM(zero_results) > 0 ORDER BY zeroResults DESC, query LIMIT ?',
        )
        .bind(firstDay, TOP),
      db.prepare('SELECT COUNT(*) AS total, COALESCE(SUM(last_day >= ?), 0) AS recent FROM qa_unanswered').bind(firstDay),
      db
        .prepare('SELECT question, count, last_day AS lastDay FROM qa_unanswered WHERE last_day >= ? ORDER BY count DESC, last_day DESC, question LIMIT ?')
        .bind(firstDay, TOP),
      // 数据开放: calls of the interfaces the scope's units provide data for.
      q(
        `SELECT g.day, SUM(g.calls) AS a, SUM(g.refused) AS b FROM open_usage g JOIN open_interfaces i ON i.code = g.code
          WHERE i.owner_site_id IN (${SCOPE}) AND g.day >= ?2 GROUP BY g.day`,
        firstDay,
      ),
      q(
        `SELECT g.code, i.name, i.owner_site_id AS ownerSiteId, SUM(g.calls) AS calls, SUM(g.refused) AS refused, COUNT(DISTINCT g.unit_id) AS units
           FROM open_usage g JOIN open_interfaces i ON i.code = g.code
          WHERE i.owner_site_id IN (${SCOPE}) AND g.day >= ?2 GROUP BY g.code ORDER BY calls DESC, g.code LIMIT ?3`,
        firstDay,
        TOP,
      ),
    ]);
  const consult = await statsFor(
    db,
    sites.map((s) => s.id),
    now,
  );
  return {
    period,
    since,
    now: nowIso,
    days,
    sites,
    scores: rows<RunScore>(scores).map((r) => ({ ...r, average: r.average === null ? null : Math.round(r.average * 10) / 10 })),
    census: censusOf(
      rows<{ runId: string; startedAt: string; sites: number }>(latest)[0],
      rows<{ siteId: string; score: number | null; vetoes: number; reasons: string }>(failing),
    ),
    overdue: overdueRows(rows<{ siteId: string; escalation: number; n: number; oldest: string }>(overdue), sites),
    publishing: publishingRows(rows<{ siteId: string; n: number }>(own), rows<{ siteId: string; n: number }>(shown), sites),
    views: viewsOf(rows<{ siteId: string; views: number }>(viewSites), rows<DocumentViews>(viewTop)),
    searches: fill(days, rows<DayCount>(searches)),
    hotQueries: rows<QueryRow>(hot),
    zeroQueries: rows<QueryRow>(zero),
    questions: questionsOf(rows<{ total: number; recent: number }>(questions)[0], rows<QuestionRow>(questionTop)),
    consult,
    open: { days: fill(days, rows<DayCount>(openDays)), interfaces: rows<InterfaceUse>(openInterfaces) },
  };
}

const rows = <T>(r: D1Result | undefined): T[] => (r?.results ?? []) as T[];

/** Every day of the period, zero where nothing was recorded. */
function fill(days: readonly string[], found: readonly DayCount[]): DayCount[] {
  const by = new Map(found.map((d) => [d.day, d]));
  return days.map((day) => ({ day, a: by.get(day)?.a ?? 0, b: by.get(day)?.b ?? 0 }));
}

function censusOf(
  run: { runId: string; startedAt: string; sites: number } | undefined,
  failing: { siteId: string; score: number | null; vetoes: number; reasons: string }[],
) {
  if (!run) return null;
  const reasons = (raw: string): string[] => {
    try {
      const v: unknown = JSON.parse(raw);
      return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    } catch {
      return [];
    }
  };
  return { ...run, failing: failing.map((f) => ({ siteId: f.siteId, score: f.score, vetoes: f.vetoes, reasons: reasons(f.reasons) })) };
}

function overdueRows(found: { siteId: string; escalation: number; n: number; oldest: string }[], sites: readonly ScopeSite[]): OverdueRow[] {
  const by = new Map<string, OverdueRow>();
  for (const r of found) {
    const row: OverdueRow = by.get(r.siteId) ?? { siteId: r.siteId, byLevel: [0, 0, 0], total: 0, oldestDeadline: r.oldest };
    const level = r.escalation >= 2 ? 2 : r.escalation === 1 ? 1 : 0;
    row.byLevel[level] += r.n;
    row.total += r.n;
    if (Date.parse(r.oldest) < Date.parse(row.oldestDeadline)) row.oldestDeadline = r.oldest;
    by.set(r.siteId, row);
  }
  // In the order of the site selector, so a unit's rows sit together.
  return sites.flatMap((s) => by.get(s.id) ?? []);
}

function publishingRows(own: { siteId: string; n: number }[], shown: { siteId: string; n: number }[], sites: readonly ScopeSite[]): SiteCount[] {
  const o = new Map(own.map((r) => [r.siteId, r.n]));
  const s = new Map(shown.map((r) => [r.siteId, r.n]));
  return sites.map((site) => ({ siteId: site.id, own: o.get(site.id) ?? 0, shown: s.get(site.id) ?? 0 }));
}

function viewsOf(bySite: { siteId: string; views: number }[], top: DocumentViews[]) {
  const map = new Map(bySite.map((r) => [r.siteId, r.views]));
  return { bySite: map, total: bySite.reduce((a, r) => a + r.views, 0), top };
}

function questionsOf(counts: { total: number; recent: number } | undefined, top: QuestionRow[]) {
  return { total: counts?.total ?? 0, askedInPeriod: counts?.recent ?? 0, top };
}

export const scheduleLabel = (s: string) => (s in SCHEDULES ? SCHEDULES[s as Schedule].label : s);

/**
 * The work the Cron Trigger does each minute (wrangler.toml [triggers]), also run on demand by a machine
 * (POST /_ingest/scheduled: `npm start` at start-up and every minute, since `wrangler dev` fires no cron):
 * scheduled documents whose time has come are released, then every search-index update and page update still
 * owed is worked off — after a failure, a crash, or a change made elsewhere; and the open-data change log is
 * kept to its retention period (open/sync.ts), as are the page-view counts of 热点 (personal/hot-signals.ts) and
 * the contact details of 留言 (consult/store.ts); and the sites whose home page is due are probed for 首页可用性
 * (inspect/net/probe.ts). Each step goes on if another fails.
 */
import type { Env } from '../env.ts';
import { releaseDue } from '../cms/scheduler.ts';
import { drainSearch } from '../search/backend.ts';
import { processRenderQueue } from '../render/render-queue.ts';
import { pruneChanges } from '../open/sync.ts';
import { flushViews, pruneViews } from '../personal/hot-signals.ts';
import { purgeContacts, pruneRates } from '../consult/store.ts';
import { probeRegistry } from '../inspect/net/probe.ts';
import { inspectionWork, type InspectionTick } from '../inspect/scheduled.ts';

export interface ScheduledReport {
  released: string[];
  releaseFailed: { id: string; message: string }[];
  search: { tasks: number; indexed: number; removed: number; failed: string | null };
  pages: { sites: number; tasks: number; failed: { siteId: string; error: string }[] };
  /** Entries of the open-data change log older than its retention, dropped (null: the step failed). */
  openChangesPruned: number | null;
  /** Page-view counts written from this isolate, and days past their retention dropped (null: the step failed). */
  pageViews: { flushed: number; pruned: number } | null;
  /** Contact details of 留言 past their retention, deleted (null: the step failed). */
  consultContactsPurged: number | null;
  /** Home pages probed for 首页可用性 (inspect/net/probe.ts; 0 without SITE_ORIGIN_TEMPLATE; null: the step failed). */
  homeProbes: number | null;
  /** 内容监管: runs started and worked on, 整改 items escalated, domains probed (null: the step failed). */
  inspection: InspectionTick | null;
}

/** Search tasks are drained a batch at a time; a backlog larger than this waits for the next run. */
const SEARCH_BATCHES = 10;

export async function scheduledWork(env: Env, now: Date, waitUntil: (p: Promise<unknown>) => void): Promise<ScheduledReport> {
  const release = await releaseDue(env.DB, now).catch((e: unknown) => ({ released: [], failed: [{ id: '*', message: String(e) }] }));
  const search = { tasks: 0, indexed: 0, removed: 0, failed: null as string | null };
  for (let i = 0; i < SEARCH_BATCHES; i++) {
    const r = await drainSearch(env).catch((e: unknown) => ({ tasks: 0, indexed: 0, removed: 0, synonyms: false, failed: String(e) }));
    search.tasks += r.tasks;
    search.indexed += r.indexed;
    search.removed += r.removed;
    search.failed ??= r.failed;
    if (r.tasks === 0 || r.failed) break;
  }
  const pages = await processRenderQueue(env, { waitUntil }).catch((e: unknown) => ({ sites: [], tasks: 0, failed: [{ siteId: '*', error: String(e) }] }));
  const pruned = await pruneChanges(env.DB, now).catch((e: unknown) => (console.error('pruning the open-data change log failed', String(e)), null));
  const views = await Promise.all([flushViews(env.DB), pruneViews(env.DB, now)])
    .then(([flushed, prunedDays]) => ({ flushed, pruned: prunedDays }))
    .catch((e: unknown) => (console.error('page-view counts could not be written', String(e)), null));
  const purged = await env.DB.batch([purgeContacts(env.DB, now), pruneRates(env.DB, now)])
    .then(([contacts]) => contacts!.meta.changes ?? 0)
    .catch((e: unknown) => (console.error('purging 留言 contact details failed', String(e)), null));
  const probes = await probeRegistry(env, now).catch((e: unknown) => (console.error('probing the home pages failed', String(e)), null));
  // Last: an inspection run takes what is left of the call's budget (inspect/scheduled.ts).
  const inspection = await inspectionWork(env, now).catch((e: unknown) => (console.error('inspection work failed', String(e)), null));
  const report: ScheduledReport = {
    released: release.released,
    releaseFailed: release.failed,
    search,
    pages: { sites: pages.sites.length, tasks: pages.tasks, failed: pages.failed },
    openChangesPruned: pruned,
    pageViews: views,
    consultContactsPurged: purged,
    homeProbes: probes,
    inspection,
  };
  if (
    report.releaseFailed.length ||
    search.failed ||
    report.pages.failed.length ||
    pruned === null ||
    purged === null ||
    probes === null ||
    inspection === null
  )
    console.error('scheduled work left something owed', JSON.stringify(report));
  return report;
}

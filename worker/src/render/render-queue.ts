/**
 * The render queue (cms-schema RenderTaskSchema, D1 table render_queue): which sites owe a page update for
 * which document. Tasks are written in the same batch as the content change, so a committed publish always
 * leaves its page update behind, even if the Worker is stopped right after. The publish request works off its
 * own tasks at once; the Cron Trigger works off anything left (after an error, or a change made elsewhere).
 */
import { TABLES, fromRow, selectColumns, type RenderTask } from '@ywtc/cms-schema';
import { updateSite, type RenderEnv, type SiteUpdate } from './update-site.ts';
import { rebuildSite } from './whole-site.ts';

/** Every page of the site rendered again (in its stamped origin, or the configured one for a site never published). */
async function wholeSite(env: RenderEnv, siteId: string): Promise<WholeSiteUpdate> {
  const t0 = Date.now();
  const r = await rebuildSite(env, siteId, env.SITE_ORIGIN_TEMPLATE);
  return r
    ? { siteId, status: 'whole-site', version: r.version, pages: r.pages, changed: r.changed, ms: Date.now() - t0 }
    : { siteId, status: 'unpublished', pages: 0, changed: 0, ms: Date.now() - t0 };
}
import type { SiteChange } from '@ywtc/sites/edge';

// The statements a change adds to its batch live in enqueue.ts (no renderer behind them: scripts import them too).
export { enqueueRenders, enqueueSiteRender } from './enqueue.ts';

export interface QueueRun {
  sites: (SiteUpdate | WholeSiteUpdate)[];
  failed: { siteId: string; error: string }[];
  tasks: number;
}
export interface WholeSiteUpdate {
  siteId: string;
  status: 'whole-site' | 'unpublished';
  version?: string;
  pages: number;
  changed: number;
  ms: number;
}

const MAX_TASKS = 500;

/**
 * Works off the queue: all tasks of the sites that `documentId` touches, or of every site. Each site is updated
 * once for all its tasks, sites in parallel; a site's tasks are deleted only once its new version is live.
 */
export async function processRenderQueue(
  env: RenderEnv,
  opts: { documentId?: string; siteId?: string; waitUntil?: (p: Promise<unknown>) => void } = {},
): Promise<QueueRun> {
  // A site being switched over (import/switchover.ts) holds its tasks: its store already shows imported documents that
  // must not go live before the switch-over, and the switch-over's whole-site version covers them (and drops them).
  const held = "site_id NOT IN (SELECT site_id FROM site_switchovers WHERE state NOT IN ('live', 'refused'))";
  const where = `WHERE ${held}${opts.documentId ? ' AND site_id IN (SELECT site_id FROM render_queue WHERE document_id = ?1)' : opts.siteId ? ' AND site_id = ?1' : ''}`;
  const stmt = env.DB.prepare(`SELECT ${selectColumns(TABLES.renderQueue)} FROM render_queue ${where} ORDER BY seq LIMIT ${MAX_TASKS}`);
  const key = opts.documentId ?? opts.siteId;
  const { results } = await (key ? stmt.bind(key) : stmt).all();
  const tasks = results.map((r) => fromRow(TABLES.renderQueue, r));
  const bySite = new Map<string, RenderTask[]>();
  for (const t of tasks) bySite.set(t.siteId, [...(bySite.get(t.siteId) ?? []), t]);
  const run: QueueRun = { sites: [], failed: [], tasks: tasks.length };
  await Promise.all(
    [...bySite].map(async ([siteId, list]) => {
      const change: SiteChange = {
        documentIds: [...new Set(list.flatMap((t) => (t.documentId ? [t.documentId] : [])))],
        columnIds: [...new Set(list.flatMap((t) => (t.columnId ? [t.columnId] : [])))],
        relatedIds: [...new Set(list.flatMap((t) => t.related))],
      };
      const seqs = JSON.stringify(list.map((t) => t.seq));
      try {
        // A whole-site task (a template switch) covers every document task of the site queued before it is read.
        if (list.some((t) => t.scope === 'site')) run.sites.push(await wholeSite(env, siteId));
        else run.sites.push(await updateSite(env, siteId, change, opts.waitUntil));
        await env.DB.prepare('DELETE FROM render_queue WHERE seq IN (SELECT value FROM json_each(?1))').bind(seqs).run();
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        console.error(`render ${siteId}:`, e);
        run.failed.push({ siteId, error });
        await env.DB.prepare('UPDATE render_queue SET attempts = attempts + 1, last_error = ?2 WHERE seq IN (SELECT value FROM json_each(?1))')
          .bind(seqs, error.slice(0, 500))
          .run();
      }
    }),
  );
  return run;
}

/**
 * Right after a content change commits: bring the sites it touched up to date before answering, so an editor
 * who gets "已发布" can open the page. An error here never undoes the change; the tasks stay for the Cron Trigger.
 */
export async function renderAfterChange<T>(
  env: RenderEnv,
  documentId: string,
  value: T,
  waitUntil?: (p: Promise<unknown>) => void,
): Promise<T & { pages: { sites: number; pending: number; ms: number } }> {
  const t0 = Date.now();
  try {
    const run = await processRenderQueue(env, { documentId, ...(waitUntil ? { waitUntil } : {}) });
    return { ...value, pages: { sites: run.sites.length, pending: run.failed.length, ms: Date.now() - t0 } };
  } catch (e) {
    console.error(`render after ${documentId}:`, e);
    return { ...value, pages: { sites: 0, pending: 1, ms: Date.now() - t0 } };
  }
}

/**
 * Starting a run by hand: the platform admin's 发起检查 form on /admin/inspect/runs, and POST /_ingest/inspect for
 * machines (`npm start`'s first 普查, the end-to-end tests). Either starts the run — or finds the one of that
 * schedule still in progress — and works on it for one budget; the Cron Trigger (or the next call) does the rest.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { canAnywhere, SCHEDULES, ScheduleSchema, SiteIdSchema } from '@ywtc/cms-schema';
import type { AppEnv, Env } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { startRun, workRun } from './run.ts';
import { workerNetworkChecks } from './network.ts';
import { DEFAULT_BUDGET_MS } from './scheduled.ts';

async function startAndWork(env: Env, opts: Parameters<typeof startRun>[1], budgetMs: number) {
  const { run, started } = await startRun(env.DB, opts);
  const worked = await workRun(env, run.id, { deadline: Date.now() + budgetMs, net: workerNetworkChecks(env) });
  return { run: worked.run, started, sitesThisCall: worked.sites };
}

/** The 发起检查 form, for those who may start runs. */
export const startForm = (csrf: string, grants: Parameters<typeof canAnywhere>[0]) =>
  canAnywhere(grants, 'inspect.run')
    ? html`<form method="post" action="/admin/inspect/runs" class="inline"><input type="hidden" name="csrf" value="${csrf}">
<label for="run-schedule">发起检查</label> <select id="run-schedule" name="schedule">${Object.entries(SCHEDULES).map(
        ([k, s]) => html`<option value="${k}"${k === 'quarterly' ? ' selected' : ''}>${s.label}（${s.covers}）</option>`,
      )}</select> <button type="submit">开始</button></form>`
    : '';

export const startRoutes = new Hono<AppEnv>();

const FormSchema = z.object({ schedule: ScheduleSchema });
startRoutes.post('/inspect/runs', authorize('inspection', 'run', 'page'), async (c) => {
  const form: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
  const parsed = FormSchema.safeParse({ schedule: form.schedule });
  if (!parsed.success)
    return c.html(
      html`<p role="alert">检查类型：应为 ${Object.values(SCHEDULES)
        .map((s) => s.label)
        .join('、')} 之一</p>`,
      400,
    );
  const p = staffOf(c);
  const r = await startAndWork(c.env, { schedule: parsed.data.schedule, trigger: 'manual', requestedBy: p.accountId }, DEFAULT_BUDGET_MS);
  return c.redirect(`/admin/inspect/runs/${r.run.id}`, 303);
});

const IngestSchema = z.object({
  schedule: ScheduleSchema,
  sites: z.array(SiteIdSchema).min(1).max(1000).optional(),
  budgetMs: z.int().min(1_000).max(600_000).default(DEFAULT_BUDGET_MS),
  /** Start only if the store has no run of this schedule yet (`npm start`'s first 普查); a run in progress is continued. */
  ifNone: z.boolean().default(false),
});
/** Machines: start (or continue) a run; the answer says whether it finished, so a caller repeats until it has. */
export const ingestInspect = new Hono<AppEnv>().post('/inspect', async (c) => {
  const parsed = IngestSchema.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return c.json({ error: 'invalid', message: `${String(issue.path[0] ?? '请求体')}：${issue.message}` }, 400);
  }
  const { schedule, sites, budgetMs, ifNone } = parsed.data;
  if (ifNone) {
    const last = await c.env.DB.prepare('SELECT id, state FROM inspection_runs WHERE schedule = ? ORDER BY started_at DESC LIMIT 1')
      .bind(schedule)
      .first<{ id: string; state: string }>();
    if (last && last.state !== 'running') return c.json({ runId: last.id, started: false, state: last.state, skipped: true });
  }
  const r = await startAndWork(c.env, { schedule, trigger: 'manual', requestedBy: 'machine', ...(sites ? { siteIds: sites } : {}) }, budgetMs);
  return c.json({
    runId: r.run.id,
    started: r.started,
    state: r.run.state,
    sites: r.run.sites,
    pages: r.run.pages,
    findings: r.run.findings,
    sitesThisCall: r.sitesThisCall,
  });
});

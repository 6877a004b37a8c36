/**
 * 周巡检 / 月监测 / 季普查 on the Cron Trigger (platform/scheduled.ts calls this each minute): a schedule whose
 * period has begun (Monday, the 1st of a month, the 1st of a quarter — China time) and has no run yet gets one;
 * the runs in progress are worked off site by site within a time budget, so a 普查 of every site spreads over a
 * few minutes of cron calls; overdue 整改 items escalate one level up; and a few domains are probed (域名管理).
 * Which schedules start by themselves is configuration (INSPECT_SCHEDULES), so a developer's `npm start` or a
 * test cluster does not inspect 210 sites behind its back; runs started by hand are worked off either way.
 */
import { SCHEDULES, ScheduleSchema, type Schedule } from '@ywtc/cms-schema';
import type { Env } from '../env.ts';
import { startRun, workRun } from './run.ts';
import { workerNetworkChecks } from './network.ts';
import { escalateOverdue } from './rectification/sync.ts';
import { parentMap } from '../cms/documents.ts';
import { probeDomains } from '../domains/probes.ts';
import { hostsDue } from '../domains/status-store.ts';

const CST_MS = 8 * 3_600_000;
/** A run's share of one cron call (Workers allow a Cron Trigger 30 s of CPU by default). */
export const DEFAULT_BUDGET_MS = 20_000;
/** Domains probed per cron call (four requests each: A, AAAA, CNAME, certificate). */
const DOMAINS_PER_CALL = 5;

/** When the current period of a schedule began, as a UTC instant (periods are China-time calendar units). */
export function periodStart(schedule: Schedule, now: Date): Date {
  const cst = new Date(now.getTime() + CST_MS);
  const y = cst.getUTCFullYear();
  const m = cst.getUTCMonth();
  let start: number;
  if (schedule === 'weekly') {
    const day = (cst.getUTCDay() + 6) % 7; // Monday = 0
    start = Date.UTC(y, m, cst.getUTCDate() - day);
  } else if (schedule === 'monthly') start = Date.UTC(y, m, 1);
  else start = Date.UTC(y, m - (m % 3), 1);
  return new Date(start - CST_MS);
}

/** The schedules to start by themselves: INSPECT_SCHEDULES, e.g. "weekly,monthly,quarterly" (unset: none). */
export function autoSchedules(value: string | undefined): Schedule[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => ScheduleSchema.safeParse(s).success) as Schedule[];
}

export interface InspectionTick {
  started: string[];
  worked: { runId: string; sites: number; finished: boolean }[];
  escalated: number;
  domainsProbed: number;
}

export async function inspectionWork(env: Env, now: Date, budgetMs = Number(env.INSPECT_BUDGET_MS ?? DEFAULT_BUDGET_MS)): Promise<InspectionTick> {
  const tick: InspectionTick = { started: [], worked: [], escalated: 0, domainsProbed: 0 };
  for (const schedule of autoSchedules(env.INSPECT_SCHEDULES)) {
    const since = periodStart(schedule, now).toISOString();
    const had = await env.DB.prepare('SELECT 1 FROM inspection_runs WHERE schedule = ? AND started_at >= ? LIMIT 1').bind(schedule, since).first();
    if (!had) {
      const { run, started } = await startRun(env.DB, { schedule, trigger: 'cron', now });
      if (started) tick.started.push(`${SCHEDULES[schedule].label} ${run.id}`);
    }
  }
  const deadline = Date.now() + budgetMs;
  const running = await env.DB.prepare("SELECT id FROM inspection_runs WHERE state = 'running' ORDER BY started_at").all<{ id: string }>();
  const net = workerNetworkChecks(env);
  for (const { id } of running.results) {
    if (Date.now() >= deadline) break;
    const r = await workRun(env, id, { deadline, net });
    tick.worked.push({ runId: id, sites: r.sites, finished: r.run.state === 'finished' });
  }
  tick.escalated = await escalateOverdue(env.DB, now, await parentMap(env.DB));
  if (env.DOMAIN_PROBES === 'on') {
    const hosts = await hostsDue(env.DB, DOMAINS_PER_CALL);
    if (hosts.length) tick.domainsProbed = (await probeDomains(env, hosts)).statuses.length;
  }
  return tick;
}

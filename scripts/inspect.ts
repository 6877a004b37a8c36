/**
 * `npm run inspect -- [--schedule quarterly|monthly|weekly] [--sites a,b] [--probe] [--remote]`: runs an
 * inspection with the same library the Worker's Cron Trigger uses (worker/src/inspect/run.ts) against the local
 * store (`npm start`'s state) or, with --remote, the production D1 and R2. A run left half-way (killed) is
 * resumed, not started again. --probe also loads each site's home page through the running Worker (SITE_ORIGIN_TEMPLATE,
 * default http://{domain}.localhost:8787) and times it. Prints one line per site and the run's summary.
 */
import { ScheduleSchema, SCHEDULES } from '@ywtc/cms-schema';
import { applyMigrations, openPlatform, STATE_DIR } from './lib/platform.ts';
import { startRun, workRun } from '../worker/src/inspect/run.ts';
import { networkChecks } from '../worker/src/inspect/network.ts';
import { peakRssMb } from './lib/rss.ts';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const schedule = ScheduleSchema.safeParse(arg('schedule') ?? 'quarterly');
if (!schedule.success) {
  console.error(`--schedule：应为 ${Object.keys(SCHEDULES).join('、')} 之一`);
  process.exit(2);
}
const remote = args.includes('--remote');
const stateDir = arg('state') ?? STATE_DIR;
const siteIds = arg('sites')
  ?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);

if (!remote) applyMigrations(stateDir);
const platform = await openPlatform(stateDir, remote);
try {
  const env = { DB: platform.env.DB, PAGES: platform.env.PAGES };
  const t0 = performance.now();
  const { run, started } = await startRun(env.DB, { schedule: schedule.data, trigger: 'cli', ...(siteIds ? { siteIds } : {}) });
  console.log(`${SCHEDULES[run.schedule].label} ${run.id}：${started ? '开始' : '继续未完成的检查'}，共 ${run.sites} 个网站`);
  const net = networkChecks(env, {
    origin: process.env.SITE_ORIGIN_TEMPLATE ?? 'http://{domain}.localhost:8787',
    probe: args.includes('--probe'),
    external: args.includes('--external'),
  });
  const done = await workRun(env, run.id, {
    net,
    onSite: (p, n, total) =>
      console.log(
        `[${n}/${total}] ${p.siteId}：${p.pages} 页，${p.findings} 条问题${p.skipped ? `，${p.skipped} 页跳过` : ''}，${p.verdict === 'pass' ? `合格 ${String(p.score)} 分` : '不合格'}（${p.ms} 毫秒）`,
      ),
  });
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  const r = done.run;
  console.log(
    `${SCHEDULES[r.schedule].label}${r.state === 'finished' ? '完成' : '未完成'}：${r.sites} 个网站，${r.pages} 个页面，${r.findings} 条问题，${r.skipped} 页跳过，用时 ${secs} 秒`,
  );
  // Memory of everything the run needs: this process and workerd below it (wrangler's platform proxy: D1 and R2).
  const rss = peakRssMb();
  console.log(
    `RESULT run=${r.id} sites=${r.sites} pages=${r.pages} findings=${r.findings} skipped=${r.skipped} seconds=${secs} peak_rss_mb=${Math.round(rss.self + rss.children)} inspector_rss_mb=${Math.round(rss.self)} workerd_rss_mb=${Math.round(rss.children)}`,
  );
} finally {
  await platform.dispose();
}

/**
 * `npm run bench:inspect [-- --news 68]`: how long a 季普查 takes and how much memory it needs. Two clusters, each
 * seeded into a fresh local store and published through the Worker as `npm start` does: the default cluster
 * (210 sites, `npm start`'s content) and a ≥ 20,000-page one (the same sites with more 示例 news items per news
 * column: generated texts, each different, not copies). Each 普查 runs in a process of its own (`npm run inspect`,
 * the library the Cron Trigger uses) so its peak memory — that process and the workerd holding D1 and R2 — is the
 * inspection's alone. External links and live probes are off (this machine reaches nothing outside).
 * Last line: RESULT pages=… seconds=… pages_per_s=… peak_rss_mb=… (the 20k cluster); goal ≤ 300 s on 2 cores.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, applyMigrations, freePort, newIngestToken, openPlatform, startDevServer, stopProcessGroup, waitForHttp } from '../lib/platform.ts';
import { seed } from '../seed/index.ts';
import { seedCheckTerms } from '../seed/check-terms.ts';
import { ensureRenderer, publishSites, workerTarget } from '../../sites/publisher/index.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const work = existsSync('/dev/shm') ? '/dev/shm/ywtc-bench-inspect' : join(ROOT, '.bench-inspect');
const GOAL_S = 300;

const FIELDS = ['pages', 'seconds', 'findings', 'peak_rss_mb', 'inspector_rss_mb', 'workerd_rss_mb'] as const;
type Result = Record<(typeof FIELDS)[number], string>;

async function cluster(label: string, newsPerColumn: number): Promise<Result> {
  const state = join(work, label);
  rmSync(state, { recursive: true, force: true });
  applyMigrations(state);
  const platform = await openPlatform(state);
  const seeded = await seed(platform.env.DB, { newsPerColumn, force: true });
  await seedCheckTerms(platform.env.DB);
  await platform.dispose();
  const port = await freePort();
  const token = newIngestToken();
  const dev = startDevServer(port, 'pipe', state, token, { frozen: true });
  let pages: number;
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, 120_000);
    const rep = await publishSites(workerTarget(`http://127.0.0.1:${port}`, token), {
      rendererHash: ensureRenderer().hash,
      originTemplate: 'https://{domain}',
      force: true,
      cards: false,
    });
    pages = rep.htmlPages;
  } finally {
    stopProcessGroup(dev);
  }
  console.log(`${label}: ${seeded.sites} sites, ${seeded.documents} documents, ${pages} HTML pages published`);
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/inspect.ts'), '--state', state, '--schedule', 'quarterly'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run inspect failed on ${label}:\n${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  console.log(lines.at(-2));
  const found = new Map([...lines.at(-1)!.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
  const result = Object.fromEntries(FIELDS.map((f) => [f, found.get(f) ?? '?'])) as Result;
  rmSync(state, { recursive: true, force: true });
  return result;
}

console.log('bench:inspect — 季普查 of the default cluster and of a ≥ 20,000-page cluster, 2 cores');
const small = await cluster('default', 6);
console.log(`RESULT cluster=default pages=${small.pages} seconds=${small.seconds} findings=${small.findings} peak_rss_mb=${small.peak_rss_mb}`);
const big = await cluster('20k', arg('news', 68));
const rate = Number(big.pages) / Number(big.seconds);
console.log(
  `RESULT cluster=20k pages=${big.pages} seconds=${big.seconds} findings=${big.findings} peak_rss_mb=${big.peak_rss_mb} inspector_rss_mb=${big.inspector_rss_mb} workerd_rss_mb=${big.workerd_rss_mb}`,
);
const ok = Number(big.pages) >= 20_000 && Number(big.seconds) <= GOAL_S;
console.log(`RESULT pages=${big.pages} seconds=${big.seconds} pages_per_s=${rate.toFixed(0)} peak_rss_mb=${big.peak_rss_mb} goal=${ok ? 'met' : 'NOT met'}`);
process.exit(ok ? 0 : 1);

/**
 * `npm run import -- --source <id | path.json> [--file <export>] [--dry-run] [--batch 500] [--progress batch] [--no-index] [--state dir] [--remote]`
 *
 * Brings content from an existing website (a crawl source) or a separately built platform's export (a file
 * source: JSON, JSONL, CSV, XML, RSS/Atom) into the content store through the same store the push API uses
 * (worker/src/import/store.ts): validated, sanitized, checked, deduplicated, classified, indexed. Sources are
 * data: scripts/import/sources/<id>.json (docs/import.md describes both kinds). Shows a progress line, writes a
 * per-record report (CSV, beside the state: import-reports/<run>.csv) and prints the counts; a run killed
 * half-way is continued by running the same command again. --dry-run changes nothing and reports what would happen.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { IMPORT_OUTCOMES, type ImportOutcome } from '@ywtc/cms-schema';
import { ROOT, STATE_DIR, applyMigrations, openPlatform, stopProcessGroup } from './lib/platform.ts';
import { runImport, type ImportEvent, type RunProgress } from './lib/import-run.ts';
import { directStore, startImportWorker, workerStore, type ImportStore, type RunStart } from './lib/import-store.ts';
import { runningWorker } from './lib/running-worker.ts';
import { loadImportSource, eventsOf } from './import/source-events.ts';
import { peakRssMb } from './lib/rss.ts';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const sourceArg = arg('source');
if (!sourceArg) {
  console.error('用法：npm run import -- --source <来源标识或配置文件> [--file 导出文件] [--dry-run]（来源配置见 scripts/import/sources/）');
  process.exit(2);
}
const configPath = existsSync(sourceArg) ? resolve(sourceArg) : join(ROOT, 'scripts/import/sources', `${sourceArg}.json`);
if (!existsSync(configPath)) {
  console.error(`--source：找不到来源配置 ${configPath}`);
  process.exit(2);
}
let config;
try {
  config = loadImportSource(JSON.parse(readFileSync(configPath, 'utf8')) as unknown, configPath);
} catch (e) {
  console.error((e as Error).message);
  process.exit(2);
}
const dryRun = args.includes('--dry-run');
const remote = args.includes('--remote');
const stateDir = arg('state') ?? STATE_DIR;
const batchSize = Number(arg('batch') ?? 500);

/**
 * Locally the writes go through the Worker (a `wrangler dev` of this state folder, the way `npm start` publishes):
 * it runs the store beside its D1, a batch per request, half again as fast as through the platform proxy. The dev server
 * stays in this process's group, so whatever stops this run stops it too; if `npm start` is serving this state,
 * its Worker is used instead (scripts/lib/running-worker.ts). --remote writes to the bound production D1 and R2
 * directly.
 */
let dev: ChildProcess | null = null;
let platform: Awaited<ReturnType<typeof openPlatform>> | null = null;
let store: ImportStore;
const running = remote ? null : await runningWorker(stateDir);
if (remote) {
  platform = await openPlatform(stateDir, true);
  store = directStore(platform.env);
} else if (running) {
  // `npm start` serves this state: its Worker takes the batches (one workerd per local store).
  console.log(`写入正在运行的 npm start 的 Worker（${running.origin}）`);
  store = workerStore(running.origin, running.token);
} else {
  applyMigrations(stateDir);
  ({ store, dev } = await startImportWorker(stateDir, { detached: false }));
}
try {
  const source = { id: config.id, name: config.name, siteIds: [config.siteId], hidden: config.hidden ?? false };
  const file = arg('file');
  const events = (start: RunStart): AsyncIterable<ImportEvent> => {
    if (start.resume) console.log(`继续未完成的导入 ${start.resume.id}：已处理 ${start.resume.records} 条`);
    const skip = new Set(start.importedUrls);
    return eventsOf(config, { file: file ? resolve(file) : undefined, startAt: start.resume?.records ?? 0, skip: (url) => skip.has(url) });
  };

  const tty = process.stderr.isTTY;
  // --progress batch: a line per committed batch (what a supervising process reads), else every 5 s off a terminal.
  const everyBatch = arg('progress') === 'batch';
  let last = 0;
  const show = (p: RunProgress) => {
    const now = performance.now();
    if (!tty && !everyBatch && now - last < 5000) return;
    last = now;
    const c = p.counts;
    const line = `${config.type === 'crawl' ? `页面 ${p.pages} ` : ''}记录 ${p.records}：新增 ${c.imported} 更新 ${c.updated} 未变化 ${c.unchanged} 合并 ${c.merged} 撤下 ${c.deleted} 失败 ${c.failed}  ${(p.records / Math.max(p.seconds, 0.001)).toFixed(0)} 条/秒`;
    process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  };
  const reportPath = join(stateDir, '..', 'import-reports', `${config.id}-${new Date().toISOString().replace(/[:.]/g, '-')}${dryRun ? '-dry-run' : ''}.csv`);
  const summary = await runImport(store, events, { source, kind: config.type, dryRun, batchSize, reportPath, onProgress: show });
  if (tty) process.stderr.write('\n');

  console.log(
    `${dryRun ? '试运行（未写入任何数据）' : '导入完成'}：来源 ${config.id}，${summary.records} 条记录${config.type === 'crawl' ? `，${summary.pages} 个页面` : ''}，用时 ${summary.seconds.toFixed(1)} 秒`,
  );
  for (const k of Object.keys(IMPORT_OUTCOMES) as ImportOutcome[]) console.log(`  ${IMPORT_OUTCOMES[k]}：${summary.counts[k]}`);
  if (summary.unmapped) console.log(`  未映射的旧网址：${summary.unmapped}（见 /admin/import/unmapped）`);
  for (const [reason, n] of summary.failureReasons) console.log(`  失败原因 ×${n}：${reason}`);
  console.log(`  逐条报告：${reportPath}`);

  // Findable now, not at the next cron: the index updates the imported documents owe (the configured backend).
  if (!dryRun && !args.includes('--no-index')) {
    const t = performance.now();
    let indexed = 0;
    for (;;) {
      const d = await store.indexRound();
      indexed += d.indexed;
      if (d.failed) throw new Error(`搜索索引更新失败（已保留在队列中，下次定时任务重试）：${d.failed}`);
      if (d.tasks === 0) break;
    }
    console.log(`  搜索索引：${indexed} 篇，用时 ${((performance.now() - t) / 1000).toFixed(1)} 秒`);
  }
  const rss = peakRssMb();
  console.log(
    `RESULT run=${summary.runId} records=${summary.records} imported=${summary.counts.imported} updated=${summary.counts.updated} unchanged=${summary.counts.unchanged} merged=${summary.counts.merged} failed=${summary.counts.failed} seconds=${summary.seconds.toFixed(1)} peak_rss_mb=${Math.round(rss.self + rss.children)}`,
  );
} catch (e) {
  // The store's answers are already in Chinese and name the field (source.siteIds: 网站 … 不在注册表中).
  console.error(`导入未完成：${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await platform?.dispose();
  if (dev) stopProcessGroup(dev);
}

/**
 * `npm run bench:import [-- --docs 100000 --pages 5000 --index-seconds 60]`: the importers against a fresh store.
 *
 *  1. Files: a generated export of --docs records (scripts/import/files/corpus.ts: real policy texts recombined,
 *     units, dates and numbers varied, six bad records planted) read by the JSONL reader and written through the
 *     import store — the same code as `npm run import` and the push API, run as `npm run import` runs it: in the
 *     Worker, on a local wrangler dev — into a store holding only the seeded registry of 南宁市. Checked: every
 *     good record stored once, the planted bad ones reported.
 *  2. The search index the import owes, drained through the configured backend for --index-seconds (its rate).
 *  3. Crawl: a --pages fixture website (scripts/import/fixtures/site.ts) served over HTTP on this machine, crawled
 *     with no delay and 4 at once (the crawler's own ceiling), then a 200-page crawl at the politeness settings
 *     a real site gets scaled down (100 ms per host, 2 at once) — its rate must sit at the politeness limit.
 *
 * Memory: the peak RSS of this process and every process below it (wrangler, and workerd running the Worker, D1
 * and R2). Last line:
 * `RESULT docs=<n> docs_per_s=<x> crawl_pages_per_s=<y> peak_rss_mb=<m>`. Fails on any count that does not add up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, openPlatform, stopProcessGroup } from '../lib/platform.ts';
import { seed } from '../seed/index.ts';
import { writeCorpus } from '../import/files/corpus-write.ts';
import { eventsOf } from '../import/source-events.ts';
import { runImport, type RunProgress, type RunSummary } from '../lib/import-run.ts';
import { startImportWorker } from '../lib/import-store.ts';
import { generateFixtureSite, fixtureSource } from '../import/fixtures/site.ts';
import { serveFixtureSite } from '../import/fixtures/serve.ts';
import { peakRssMb } from '../lib/rss.ts';

const args = process.argv.slice(2);
const num = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const DOCS = num('docs', 100_000);
const PAGES = num('pages', 5_000);
const INDEX_SECONDS = num('index-seconds', 60);

const dir = mkdtempSync(join(tmpdir(), 'ywtc-bench-import-'));
const state = join(dir, 'state');
let failed = false;
const check = (ok: boolean, what: string) => {
  if (!ok) {
    failed = true;
    console.error(`✗ ${what}`);
  }
};

applyMigrations(state);
// The registry first, through the platform proxy; then the imports the way `npm run import` runs them: through
// the Worker's publishing API on a local wrangler dev of the same state (scripts/lib/import-store.ts).
let platform = await openPlatform(state);
await seed(platform.env.DB, { siteIds: ['nanning', 'rd-nanning'] });
const before = (await platform.env.DB.prepare('SELECT count(*) AS n FROM documents').first<number>('n')) ?? 0;
await platform.dispose();
const t0 = performance.now();
const corpus = await writeCorpus(dir, 'jsonl', DOCS, 1);
console.log(`语料：${DOCS} 条，${(corpus.bytes / 1e6).toFixed(0)} MB JSONL，生成用时 ${((performance.now() - t0) / 1000).toFixed(1)} 秒`);

const { store, dev } = await startImportWorker(state, { detached: true });
let files: RunSummary;
let crawlPerS: number;
let peak: { all: number; self: number; children: number };
let newDocs = 0;
const source = { id: corpus.source.id, name: corpus.source.name, siteIds: [corpus.source.siteId], hidden: false };
try {
  // 1. Files.
  let shown = 0;
  const progress = (p: RunProgress) => {
    if (p.records - shown >= 10_000 || p.records === DOCS) {
      shown = p.records;
      console.log(`  ${p.records} 条，${(p.records / p.seconds).toFixed(0)} 条/秒`);
    }
  };
  files = await runImport(store, () => eventsOf(corpus.source, { file: corpus.path }), { source, kind: 'file', onProgress: progress });
  console.log(
    `文件导入：${files.records} 条，${files.seconds.toFixed(1)} 秒，${(files.records / files.seconds).toFixed(0)} 条/秒 — 新增 ${files.counts.imported}，合并 ${files.counts.merged}，失败 ${files.counts.failed}`,
  );
  newDocs += files.counts.imported;
  check(files.counts.failed === DOCS - (corpus.truth.documents - 1), `失败 ${files.counts.failed} ≠ 埋入的问题记录 ${DOCS - (corpus.truth.documents - 1)}`);

  // 2. The index the import owes, for a while (one round after another, as `npm run import` does at its end).
  const ti = performance.now();
  let indexed = 0;
  let left = 1;
  while ((performance.now() - ti) / 1000 < INDEX_SECONDS) {
    const d = await store.indexRound();
    if (d.failed) throw new Error(`搜索索引失败：${d.failed}`);
    indexed += d.indexed;
    left = d.tasks;
    if (d.tasks === 0) break;
  }
  const indexSeconds = (performance.now() - ti) / 1000;
  console.log(`搜索索引：${indexed} 篇，${indexSeconds.toFixed(1)} 秒，${(indexed / indexSeconds).toFixed(0)} 篇/秒${left ? '（队列未清空）' : ''}`);

  // 3. Crawl: the crawler's ceiling, then at politeness settings.
  const site = generateFixtureSite({ seed: 1, pages: PAGES });
  const server = await serveFixtureSite(site);
  try {
    const fast = fixtureSource(server.origin, { delayMs: 0, concurrency: 4, maxPages: PAGES * 2 });
    const crawlSource = { id: fast.id, name: fast.name, siteIds: [fast.siteId], hidden: fast.hidden };
    const crawl = await runImport(store, () => eventsOf(fast, {}), { source: crawlSource, kind: 'crawl' });
    crawlPerS = crawl.pages / crawl.seconds;
    newDocs += crawl.counts.imported;
    console.log(
      `采集：${crawl.pages} 个页面（${server.requests.length} 次请求），${crawl.records} 篇，${crawl.seconds.toFixed(1)} 秒，${crawlPerS.toFixed(1)} 页/秒 — 新增 ${crawl.counts.imported}，合并 ${crawl.counts.merged}，失败 ${crawl.counts.failed}，未映射 ${crawl.unmapped}`,
    );
    check(crawl.counts.imported + crawl.counts.merged >= site.truth.articles.filter((a) => a.publishedAt).length - 2, '采集到的文章少于测试网站的文章');

    const politeSite = generateFixtureSite({ seed: 2, pages: 200 });
    const politeServer = await serveFixtureSite(politeSite);
    try {
      const polite = fixtureSource(politeServer.origin, { delayMs: 100, concurrency: 2, maxPages: 400 });
      const politeSource = { id: 'fixture-rd-polite', name: polite.name, siteIds: [polite.siteId], hidden: true };
      const run = await runImport(store, () => eventsOf({ ...polite, id: politeSource.id }, {}), { source: politeSource, kind: 'crawl' });
      const rate = politeServer.requests.length / run.seconds;
      newDocs += run.counts.imported;
      console.log(
        `礼貌采集（同一主机间隔 100 毫秒，并发 2）：${politeServer.requests.length} 次请求，${run.seconds.toFixed(1)} 秒，${rate.toFixed(1)} 次/秒（上限 10 次/秒）`,
      );
      check(rate <= 10.5, `礼貌采集 ${rate.toFixed(1)} 次/秒超过了间隔设置允许的 10 次/秒`);
    } finally {
      await politeServer.close();
    }
  } finally {
    await server.close();
  }

  const rss = peakRssMb();
  peak = { all: Math.round(rss.self + rss.children), self: Math.round(rss.self), children: Math.round(rss.children) };
} finally {
  stopProcessGroup(dev);
}

// The counts, read back from the store once the Worker has stopped.
platform = await openPlatform(state);
try {
  const db = platform.env.DB;
  const expected = corpus.truth.documents - 1; // the record without a date is refused by the store
  const stored = await db
    .prepare("SELECT count(*) AS n FROM import_records WHERE source_id = ? AND outcome IN ('imported', 'merged')")
    .bind(source.id)
    .first<number>('n');
  check(stored === expected, `导入记录 ${String(stored)} ≠ 应有 ${expected}`);
  const fileDocs = await db.prepare("SELECT count(*) AS n FROM import_records WHERE source_id = ? AND outcome = 'imported'").bind(source.id).first<number>('n');
  check(fileDocs === files.counts.imported, `新文档 ${String(fileDocs)} ≠ 新增 ${files.counts.imported}`);
  const docs = ((await db.prepare('SELECT count(*) AS n FROM documents').first<number>('n')) ?? 0) - before;
  check(docs === newDocs, `文档 ${docs} ≠ 各次导入新增之和 ${newDocs}`);
} finally {
  await platform.dispose();
  rmSync(dir, { recursive: true, force: true });
}
console.log(`内存峰值：${peak.all} MB（导入进程 ${peak.self} + wrangler 与 workerd ${peak.children}）`);
console.log(
  `RESULT docs=${files.records} docs_per_s=${(files.records / files.seconds).toFixed(0)} crawl_pages_per_s=${crawlPerS.toFixed(1)} peak_rss_mb=${peak.all}`,
);
process.exit(failed ? 1 : 0);

/**
 * `npm run bench:build [-- --news 40]`: builds the whole cluster at benchmark scale (210 sites, ≥50 documents
 * each) from a fresh local D1 into a fresh local R2, then builds the same pages with Debian's Hugo, and
 * reports pages/s, peak RSS and the ratio. Memory covers every process the build needs: the publisher (this
 * process) and wrangler dev with workerd holding D1 and R2 and running the Workers; peak_rss_mb is their sum
 * (each process's own peak, VmHWM, added up: an upper bound, since the peaks need not coincide).
 * Last line: RESULT pages=… astro_pages_per_s=… hugo_pages_per_s=… ratio=… peak_rss_mb=… publisher_rss_mb=… workers_rss_mb=…
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { peakRssMb } from '../lib/rss.ts';
import { join } from 'node:path';
import { ROOT, applyMigrations, freePort, newIngestToken, openPlatform, startDevServer, stopProcessGroup, waitForHttp } from '../lib/platform.ts';
import { ensureDebianPackage } from '../lib/browser.ts';
import { seed } from '../seed/index.ts';
import { ensureRenderer, loadStore, publishSites, workerTarget } from '../../sites/publisher/index.ts';
import { writeHugoSite } from './hugo-site.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const newsPerColumn = arg('news', 40);
const threadsArg = process.argv.includes('--threads') ? arg('threads', 0) : undefined;
// On tmpfs when there is one: this VM's disk is rate-limited after bursts (Hugo's three runs took 8, 12 and
// 14.5 s in a row on it), which would measure the disk's throttle rather than either builder.
const work = existsSync('/dev/shm') ? '/dev/shm/ywtc-bench' : join(ROOT, '.bench');
const state = join(work, 'state');
rmSync(state, { recursive: true, force: true });

const t = () => performance.now();
console.log(
  `bench:build — 210 sites, ${newsPerColumn} 示例 news items per news column, ${threadsArg ?? 'default'} render threads, gzip ${process.env.YWTC_GZIP === '0' ? 'off' : 'on'}`,
);
applyMigrations(state);
const platform = await openPlatform(state);
let t0 = t();
const seeded = await seed(platform.env.DB, { newsPerColumn, force: true });
const seedMs = t() - t0;
console.log(`seed: ${seeded.sites} sites, ${seeded.documents} documents, ${seeded.placements} placements in ${(seedMs / 1000).toFixed(1)} s`);

const store = await loadStore(platform.env.DB);
await platform.dispose();

// Publish the way `npm start` does: through the Worker's publishing API on a local wrangler dev. The page Worker
// alone (frozen bundle): a build draws no share cards, so the cards Worker is not among what it needs.
const port = await freePort();
const token = newIngestToken();
const dev = startDevServer(port, 'pipe', state, token, { frozen: true });
let rep: Awaited<ReturnType<typeof publishSites>>;
let rendererMs: number;
let publishMs: number;
let rss: { self: number; children: number };
try {
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 120_000);
  rmSync(join(ROOT, 'sites/dist/renderer-hash.txt'), { force: true }); // measure a cold renderer build too
  t0 = t();
  const renderer = ensureRenderer();
  rendererMs = t() - t0;
  spawnSync('sync');
  t0 = t();
  rep = await publishSites(workerTarget(`http://127.0.0.1:${port}`, token), {
    rendererHash: renderer.hash,
    originTemplate: 'https://{domain}',
    force: true,
    cards: false /* pages only: cards are measured by bench:cards */,
    ...(threadsArg !== undefined ? { threads: threadsArg } : {}),
  });
  publishMs = t() - t0;
  rss = peakRssMb();
} finally {
  stopProcessGroup(dev);
}
const minDocs = Math.min(...store.sites.map((s) => store.placements.filter((p) => p.siteId === s.id).length));
const astroRate = rep.htmlPages / (publishMs / 1000);
console.log(`astro: ${rep.htmlPages} HTML pages (+${rep.pages - rep.htmlPages} feeds/assets), ≥${minDocs} documents on every site`);
console.log(`  renderer build (cold, once per code change): ${(rendererMs / 1000).toFixed(1)} s`);
console.log(
  `  read D1 + render + write R2: ${(publishMs / 1000).toFixed(1)} s ${JSON.stringify(rep.timings)}; render threads busy ${(rep.renderMs / 1000).toFixed(1)} s; ${(rep.rawBytes / 1e6).toFixed(0)} MB of pages packed into ${(rep.bytes / 1e6).toFixed(0)} MB`,
);
console.log(`  ${astroRate.toFixed(0)} pages/s; with the cold renderer build ${(rep.htmlPages / ((publishMs + rendererMs) / 1000)).toFixed(0)} pages/s`);
console.log(`  peak RSS: publisher ${rss.self.toFixed(0)} MB; wrangler dev + workerd serving D1 and R2 ${rss.children.toFixed(0)} MB`);

ensureDebianPackage('/usr/bin/hugo', 'hugo');
const hugoDir = join(work, 'hugo');
writeHugoSite(store, hugoDir);
// Hugo runs three times on a synced disk; its median is the figure (it varies with the state of the page cache).
const hugoRuns: number[] = [];
for (let i = 0; i < 3; i++) {
  rmSync(join(hugoDir, 'public'), { recursive: true, force: true });
  spawnSync('sync');
  t0 = t();
  const h = spawnSync('hugo', ['--quiet', '--source', hugoDir, '--destination', join(hugoDir, 'public')], { encoding: 'utf8' });
  hugoRuns.push(t() - t0);
  if (h.status !== 0) throw new Error(`hugo failed: ${h.stderr}`);
}
const hugoMs = [...hugoRuns].sort((a, b) => a - b)[1]!;
// Hugo also writes /page/1/ alias pages that only redirect; they are not pages a reader sees, so they are not counted.
const countHtml = (d: string): number =>
  readdirSync(d).reduce((n, f) => {
    const p = join(d, f);
    return n + (statSync(p).isDirectory() ? countHtml(p) : f.endsWith('.html') && !p.endsWith('/page/1/index.html') ? 1 : 0);
  }, 0);
const hugoPages = existsSync(join(hugoDir, 'public')) ? countHtml(join(hugoDir, 'public')) : 0;
const hugoRate = hugoPages / (hugoMs / 1000);
console.log(
  `hugo ${spawnSync('hugo', ['version'], { encoding: 'utf8' }).stdout.split(' ')[1] ?? '?'}: ${hugoPages} HTML pages, runs ${hugoRuns.map((x) => (x / 1000).toFixed(1)).join(' / ')} s, median ${(hugoMs / 1000).toFixed(1)} s = ${hugoRate.toFixed(0)} pages/s`,
);
const peak = rss.self + rss.children;
console.log(
  `RESULT pages=${rep.htmlPages} astro_pages_per_s=${astroRate.toFixed(0)} hugo_pages_per_s=${hugoRate.toFixed(0)} ratio=${(astroRate / hugoRate).toFixed(2)} peak_rss_mb=${peak.toFixed(0)} publisher_rss_mb=${rss.self.toFixed(0)} workers_rss_mb=${rss.children.toFixed(0)}`,
);

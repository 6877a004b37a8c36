/**
 * Publishes sites from the content store to R2: render every page in a pool of render threads, pack the
 * changed ones, write pack → manifest → pointer. The pointer put is the commit: until it lands, readers keep
 * the previous version whole. A site is up to date — skipped — when its pointer records this renderer and
 * content revision and it owes no page update (the render queue is empty for it); all pointers are read with
 * one list call.
 */
import { buildPack, newVersion, type PackFile } from './pack.ts';
import { RenderPool, inlineRenderer, type SiteRenderer } from './render-pool.ts';
import { rendererAssets } from './renderer.ts';
import { liveCards } from './cards/site-cards.ts';
import type { PublishTarget } from './target.ts';
import { availableParallelism } from 'node:os';

export interface PublishOptions {
  rendererHash: string;
  /** Public origin of a host, e.g. https://{domain}, or http://{domain}.localhost:8787 for the local preview. */
  originTemplate: string;
  force?: boolean;
  only?: string[];
  log?: (line: string) => void;
  /**
   * Render threads; 0 renders on the calling thread. Default: on two cores, none — the second core is busy
   * with workerd writing R2, and threads then only add memory (bench:build: 1,800 pages/s inline at 520 MB,
   * 1,720–1,890 with two threads at 900+ MB); with more cores, one thread per spare core.
   */
  threads?: number;
  /**
   * Share cards (≈ 36 ms each, thousands on a fresh cluster). false publishes the pages without them (no
   * og:image), which `npm start` does first so the cluster serves in seconds, then publishes again with cards
   * in the background. A site already published with cards counts as up to date for a publish without them.
   */
  cards?: boolean;
}
export interface SiteReport {
  siteId: string;
  skipped: boolean;
  pages: number;
  htmlPages: number;
  changed: number;
  bytes: number;
  rawBytes: number;
  renderMs: number;
}
export interface PublishReport {
  sites: SiteReport[];
  pages: number;
  htmlPages: number;
  changed: number;
  renderMs: number;
  totalMs: number;
  bytes: number;
  rawBytes: number;
  timings: Record<string, number>;
}

async function forEachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}

export { newVersion };

export async function publishSites(target: PublishTarget, opts: PublishOptions): Promise<PublishReport> {
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const lap = (name: string, since: number) => {
    timings[name] = Math.round(performance.now() - since);
    return performance.now();
  };
  const log = opts.log ?? (() => {});
  let t = performance.now();
  // Page updates owed are read before the content: a site rendered whole from content read after them has
  // done them, and says so (ackRenders) once its new version is live.
  const pending = await target.pendingRenders();
  // Render threads boot (loading the Astro build) while the store is read from D1; they are stopped again
  // if nothing needs publishing.
  const storeP = target.loadStore();
  const threads = opts.threads ?? (availableParallelism() > 2 ? Math.min(4, availableParallelism() - 1) : 0);
  const withCards = opts.cards !== false;
  const poolP: Promise<SiteRenderer> =
    threads === 0
      ? inlineRenderer(storeP, opts.originTemplate, rendererAssets(), withCards)
      : RenderPool.start(storeP, opts.originTemplate, rendererAssets(), threads, withCards);
  poolP.catch(() => {}); // a failed start surfaces where the pool is awaited
  const [store, pointers] = await Promise.all([storeP, target.listPointers()]);
  t = lap('loadStoreMs', t);
  // What a version was built from: a change of renderer code or of the origins in links rebuilds the site.
  const withCardsStamp = `${opts.rendererHash}|${opts.originTemplate}`;
  const stamp = opts.cards === false ? `${opts.rendererHash}+nocards|${opts.originTemplate}` : withCardsStamp;
  const upToDate = (h: string) => h === stamp || h === withCardsStamp;
  const targets = opts.only ? store.sites.filter((s) => opts.only!.includes(s.id)) : store.sites;
  const reports: SiteReport[] = [];
  const toBuild = targets.filter((site) => {
    const p = pointers.get(site.id);
    const fresh = !opts.force && p && upToDate(p.rendererHash) && p.contentRevision === store.revision && !pending.has(site.id);
    if (fresh) reports.push({ siteId: site.id, skipped: true, pages: p.pageCount, htmlPages: 0, changed: 0, bytes: 0, rawBytes: 0, renderMs: 0 });
    return !fresh;
  });
  const pool = await poolP;
  t = lap('startThreadsMs', t);
  if (toBuild.length === 0) {
    await pool.close();
    return { sites: reports, pages: 0, htmlPages: 0, changed: 0, renderMs: 0, totalMs: Math.round(performance.now() - t0), bytes: 0, rawBytes: 0, timings };
  }
  let renderMs = 0;
  let done = 0;
  try {
    // Sites in flight at once: with render threads the main thread only waits on I/O, so several requests
    // overlap (each costs milliseconds of latency, not CPU); rendering inline, two lanes overlap one
    // site's writes with the next one's rendering. Few enough either way that rendered sites do not pile up.
    await forEachLimit(toBuild, threads === 0 ? 2 : 8, async (site) => {
      // The live manifest first: the share cards it already holds as they are need no rendering.
      const previous = pointers.get(site.id) ? await target.readManifest(site.id, pointers.get(site.id)!.version) : null;
      const result = await pool.render(site.id, [...liveCards(previous?.pages)]);
      renderMs += result.renderMs;
      const files = new Map<string, PackFile>(result.files.map((f) => [f.path, f]));
      const version = newVersion();
      const packed = buildPack(version, files, previous);
      const nothingChanged = previous !== null && packed.changed === 0 && packed.removed === 0;
      const pointer = {
        version: nothingChanged ? previous.version : version,
        publishedAt: new Date().toISOString(),
        rendererHash: stamp,
        contentRevision: store.revision,
        pageCount: files.size,
      };
      const expected = pointers.get(site.id)?.version ?? null; // what this build started from
      if (nothingChanged) await target.putPointer(site.id, pointer, expected);
      else await target.publishVersion({ siteId: site.id, version, createdAt: new Date().toISOString(), pages: packed.pages }, packed.pack, pointer, expected);
      const owed = pending.get(site.id);
      if (owed !== undefined) await target.ackRenders(site.id, owed);
      reports.push({
        siteId: site.id,
        skipped: false,
        pages: files.size,
        htmlPages: result.files.filter((f) => f.path.endsWith('.html')).length,
        changed: packed.changed,
        bytes: packed.pack.byteLength,
        rawBytes: result.files.reduce((n, f) => n + f.rawLength, 0),
        renderMs: result.renderMs,
      });
      if (++done % 25 === 0 || done === toBuild.length) log(`  已发布 ${done}/${toBuild.length} 个网站`);
    });
  } finally {
    await pool.close();
  }
  lap('renderAndWriteMs', t);
  const built = reports.filter((r) => !r.skipped);
  return {
    sites: reports,
    pages: built.reduce((n, r) => n + r.pages, 0),
    htmlPages: built.reduce((n, r) => n + r.htmlPages, 0),
    changed: built.reduce((n, r) => n + r.changed, 0),
    renderMs,
    totalMs: Math.round(performance.now() - t0),
    bytes: built.reduce((n, r) => n + r.bytes, 0),
    rawBytes: built.reduce((n, r) => n + r.rawBytes, 0),
    timings,
  };
}

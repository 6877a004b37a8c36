/** Something that renders a site: in this thread, or in a pool of render threads. */
/** `live`: the share cards the live version holds (path → ETag), which need no rendering. */
export interface SiteRenderer {
  render(siteId: string, live?: [string, string][]): Promise<RenderResult>;
  close(): Promise<void>;
}

/** Rendering on the calling thread: no copies between threads, and the other core is left to workerd. */
export async function inlineRenderer(store: Promise<Store>, originTemplate: string, assets: Map<string, Uint8Array>, withCards = true): Promise<SiteRenderer> {
  const [renderer, s] = await Promise.all([loadRenderer(), store]);
  const ix = indexStore(s);
  const cards = withCards ? nodeCardSource() : null;
  return { render: (siteId, live) => renderSite(renderer, ix, siteId, originTemplate, assets, cards, new Map(live)), close: async () => {} };
}

/** A few render threads (render-worker.ts) fed one site at a time. */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { loadRenderer } from './renderer.ts';
import { renderSite, type RenderResult } from './render-site.ts';
import { nodeCardSource } from './cards/node-cache.ts';
import { indexStore } from './routes.ts';
import { toTransfer, type Store } from './store.ts';

export class RenderPool implements SiteRenderer {
  private idle: Worker[] = [];
  private waiting: { siteId: string; live: [string, string][] | undefined; resolve: (r: RenderResult) => void; reject: (e: Error) => void }[] = [];
  private busy = new Map<Worker, { resolve: (r: RenderResult) => void; reject: (e: Error) => void }>();

  private readonly workers: Worker[];
  private constructor(workers: Worker[]) {
    this.workers = workers;
  }

  /**
   * Threads start (and load the renderer) while `store` is still being read from D1; each gets the store as
   * soon as it arrives, as one JSON string, which is cheaper to post than the object graph.
   */
  static async start(
    store: Promise<Store>,
    originTemplate: string,
    assets: Map<string, Uint8Array>,
    threads = Math.min(4, availableParallelism()),
    withCards = true,
  ): Promise<RenderPool> {
    const workerData = { originTemplate, assets: [...assets], withCards };
    const workers = Array.from({ length: Math.max(1, threads) }, () => new Worker(new URL('./render-worker.ts', import.meta.url), { workerData }));
    const json = JSON.stringify(toTransfer(await store));
    for (const w of workers) w.postMessage({ store: json });
    const pool = new RenderPool(workers);
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            w.once('error', reject);
            w.once('message', () => {
              w.off('error', reject);
              resolve();
            });
          }),
      ),
    );
    for (const w of workers) {
      w.on('message', (r: RenderResult) => pool.done(w, r));
      w.on('error', (e) => {
        pool.busy.get(w)?.reject(e);
        pool.busy.delete(w);
      });
      // A thread that dies takes its job with it; fail that job and everything queued rather than hang.
      w.on('exit', (code) => {
        if (pool.closing) return;
        const err = new Error(`render thread exited (${code})`);
        pool.busy.get(w)?.reject(err);
        pool.busy.delete(w);
        pool.idle = pool.idle.filter((x) => x !== w);
        if (pool.idle.length === 0 && pool.busy.size === 0) for (const job of pool.waiting.splice(0)) job.reject(err);
      });
      pool.idle.push(w);
    }
    return pool;
  }

  render(siteId: string, live?: [string, string][]): Promise<RenderResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ siteId, live, resolve, reject });
      this.pump();
    });
  }

  private pump() {
    while (this.idle.length && this.waiting.length) {
      const w = this.idle.pop()!;
      const job = this.waiting.shift()!;
      this.busy.set(w, job);
      w.postMessage({ siteId: job.siteId, live: job.live });
    }
  }

  private done(w: Worker, r: RenderResult) {
    const job = this.busy.get(w);
    this.busy.delete(w);
    this.idle.push(w);
    if (job && r.error) job.reject(new Error(`render ${r.siteId}: ${r.error}`));
    else if (job) job.resolve(r);
    this.pump();
  }

  private closing = false;
  async close() {
    this.closing = true;
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

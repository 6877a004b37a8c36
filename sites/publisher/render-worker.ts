/**
 * A render thread: holds the store index and the warm Astro renderer and turns a site id into pack-ready
 * files (render-site.ts), so rendering can use more than one core while the main thread talks to D1 and R2.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadRenderer } from './renderer.ts';
import { renderSite, type RenderResult } from './render-site.ts';
import { indexStore } from './routes.ts';
import { nodeCardSource } from './cards/node-cache.ts';
import { fromTransfer, type StoreTransfer } from './store.ts';

const { originTemplate, assets, withCards } = workerData as { originTemplate: string; assets: [string, Uint8Array][]; withCards: boolean };
const rendererReady = loadRenderer();
const storeReady = new Promise<StoreTransfer>((resolve) =>
  parentPort!.once('message', (m: { store: string }) => resolve(JSON.parse(m.store) as StoreTransfer)),
);
const ix = indexStore(fromTransfer(await storeReady));
const renderer = await rendererReady;

const cards = withCards ? nodeCardSource() : null;

parentPort!.on('message', async ({ siteId, live }: { siteId: string; live?: [string, string][] }) => {
  try {
    // Copied, not transferred: small Buffers share pooled memory that must not be detached.
    parentPort!.postMessage(await renderSite(renderer, ix, siteId, originTemplate, assets, cards, new Map(live)));
  } catch (e) {
    parentPort!.postMessage({ siteId, files: [], renderMs: 0, error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies RenderResult);
  }
});
parentPort!.postMessage({ ready: true });

/**
 * A render thread: holds the store index and the warm Astro renderer, and turns a site id into its packed-ready
 * files (rendered, hashed, compressed). Several run side by side so rendering uses every core while the main
 * thread talks to D1 and R2.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { prepareFile } from './pack.ts';
import { loadRenderer } from './renderer.ts';
import { indexStore, sitePages } from './routes.ts';
import { fromTransfer, type StoreTransfer } from './store.ts';

export interface RenderJob { siteId: string }
export interface RenderedFile { path: string; bytes: Uint8Array; etag: string; type: string; encoding: 'gzip' | 'identity'; rawLength: number }
export interface RenderResult { siteId: string; files: RenderedFile[]; renderMs: number; error?: string }

const { originTemplate, assets } = workerData as { originTemplate: string; assets: [string, Uint8Array][] };
const rendererReady = loadRenderer();
const storeReady = new Promise<StoreTransfer>((resolve) => parentPort!.once('message', (m: { store: string }) => resolve(JSON.parse(m.store) as StoreTransfer)));
const ix = indexStore(fromTransfer(await storeReady));
const renderer = await rendererReady;
const encoder = new TextEncoder();
const originFor = (domain: string) => originTemplate.replace('{domain}', domain);

parentPort!.on('message', async ({ siteId }: RenderJob) => {
  const t = performance.now();
  try {
    const { html, feeds } = sitePages(ix, siteId, { originFor });
    const out: RenderedFile[] = [];
    const add = (path: string, raw: Uint8Array) => out.push({ path, rawLength: raw.byteLength, ...prepareFile(path, raw) });
    for (const [path, bytes] of assets) add(path, bytes);
    for (const p of html) add(p.path, encoder.encode(await renderer.page(p)));
    for (const f of feeds) add(f.path, encoder.encode(await renderer.feed(f)));
    const result: RenderResult = { siteId, files: out, renderMs: performance.now() - t };
    // Copied, not transferred: small Buffers share pooled memory that must not be detached.
    parentPort!.postMessage(result);
  } catch (e) {
    parentPort!.postMessage({ siteId, files: [], renderMs: 0, error: e instanceof Error ? e.stack ?? e.message : String(e) } satisfies RenderResult);
  }
});
parentPort!.postMessage({ ready: true });

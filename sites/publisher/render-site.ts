/** Renders one site into pack-ready files: pages and feeds through the Astro renderer, then hashed and compressed. */
import { prepareFile } from './pack.ts';
import type { Renderer } from './renderer.ts';
import { sitePages, type StoreIndex } from './routes.ts';
import { chromeCache } from './chrome-cache.ts';

export { chromeCache };

export interface RenderedFile { path: string; bytes: Uint8Array; etag: string; type: string; encoding: 'gzip' | 'identity'; rawLength: number }
export interface RenderResult { siteId: string; files: RenderedFile[]; renderMs: number; error?: string }


export async function renderSite(renderer: Renderer, ix: StoreIndex, siteId: string, originTemplate: string, assets: Iterable<[string, Uint8Array]>): Promise<RenderResult> {
  const t = performance.now();
  const { html, feeds } = sitePages(ix, siteId, { originFor: (domain) => originTemplate.replace('{domain}', domain) });
  const chromeOf = chromeCache(renderer);
  const files: RenderedFile[] = [];
  const add = (path: string, raw: Uint8Array) => files.push({ path, rawLength: raw.byteLength, ...prepareFile(path, raw) });
  for (const [path, bytes] of assets) add(path, bytes);
  for (const p of html) add(p.path, await renderer.page({ ...p, chrome: await chromeOf(p) }));
  for (const f of feeds) add(f.path, await renderer.feed(f));
  return { siteId, files, renderMs: performance.now() - t };
}

/** Renders one site into pack-ready files: pages and feeds through the Astro renderer, then hashed and compressed. */
import { prepareFile } from './pack.ts';
import type { Renderer } from './renderer.ts';
import type { Chrome, PageModel } from '../src/model.ts';
import { sitePages, type StoreIndex } from './routes.ts';

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

/**
 * The header and footer differ between a site's pages only by link depth and by which section is open, so they
 * are rendered once per (directory, section) — about twenty times a site instead of once a page. A test checks the
 * result is byte-identical to rendering them in every page.
 */
export function chromeCache(renderer: Renderer) {
  const cache = new Map<string, Promise<Chrome>>();
  return (p: PageModel): Promise<Chrome> => {
    const current = 'column' in p ? p.column.id : undefined;
    const top = current === undefined ? undefined : p.site.nav.find((n) => n.id === current || n.children.some((k) => k.id === current))?.id;
    // Relative links depend on the page's directory (a link to its own section is "./"), not just its depth.
    const dir = p.path.slice(0, p.path.lastIndexOf('/') + 1);
    const key = p.path === '/index.html' ? 'home' : `${dir}|${top ?? ''}`;
    let c = cache.get(key);
    if (!c) {
      c = renderer.chrome({ site: p.site, path: p.path, current: top });
      cache.set(key, c);
    }
    return c;
  };
}

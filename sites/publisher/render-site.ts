/** Renders one site into pack-ready files: pages and feeds through the Astro renderer, then hashed and compressed. */
import { prepareFile, type PackFile } from './pack.ts';
import type { Renderer } from './renderer.ts';
import { sitePages, type StoreIndex } from './routes.ts';
import { chromeCache } from './chrome-cache.ts';
import { renderCards, type CardSource, type LiveCards } from './cards/site-cards.ts';

export { chromeCache };

export interface RenderedFile {
  path: string;
  bytes: Uint8Array;
  etag: string;
  type: string;
  encoding: 'gzip' | 'identity';
  rawLength: number;
}
export interface RenderResult {
  siteId: string;
  files: RenderedFile[];
  renderMs: number;
  error?: string;
}

/**
 * `cards` renders the documents' share cards (null: pages without cards); `live` lists the cards the live version already has (path → ETag),
 * which are passed on empty for buildPack to keep.
 */
export async function renderSite(
  renderer: Renderer,
  ix: StoreIndex,
  siteId: string,
  originTemplate: string,
  assets: Iterable<[string, Uint8Array]>,
  cards: CardSource | null,
  live?: LiveCards,
): Promise<RenderResult> {
  const t = performance.now();
  const pages = sitePages(ix, siteId, { originFor: (domain) => originTemplate.replace('{domain}', domain) });
  const feeds = pages.feeds;
  // Without a card source (a quick first publish) or when cards cannot be rendered, the pages go out without
  // cards and without og:image.
  const html = pages.html;
  const chromeOf = chromeCache(renderer);
  const files: RenderedFile[] = [];
  const add = (path: string, raw: Uint8Array) => files.push({ path, rawLength: raw.byteLength, ...prepareFile(path, raw) });
  for (const [path, bytes] of assets) add(path, bytes);
  // Cards first: where they cannot be rendered (the Worker, for now) the pages must not point at them.
  let cardFiles: Map<string, PackFile> | null = null;
  try {
    if (cards) cardFiles = await renderCards(cards, html, live);
  } catch (e) {
    console.warn(`share cards of ${siteId} left to the next full publish: ${e instanceof Error ? e.message : String(e)}`);
  }
  for (const p of html) add(p.path, await renderer.page({ ...(cardFiles || p.type !== 'document' ? p : { ...p, card: null }), chrome: await chromeOf(p) }));
  for (const f of feeds) add(f.path, await renderer.feed(f));
  for (const [path, f] of cardFiles ?? []) files.push({ path, rawLength: f.bytes.byteLength, ...f });
  return { siteId, files, renderMs: performance.now() - t };
}

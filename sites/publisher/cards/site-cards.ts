/**
 * The share cards of a site's document pages as pack files. A card's ETag is the hash of what it shows
 * (cardKey), not of its bytes, so a publish knows without rendering whether the live version already holds it:
 * such a card is passed on empty and buildPack keeps its old byte range. Only new or changed cards are
 * rendered (≈ 35 ms each, docs/benchmarks.md "Share cards").
 */
import type { CardSpec, PageModel } from '../../src/model.ts';
import { etagOf, type PackFile } from '../pack.ts';
import { cardKey } from './card-key.ts';

/**
 * What draws cards: a CardRenderer in this process (Node, the cards Worker), or the cards Worker reached
 * through a service binding (the page-serving Worker, which does not carry the font and wasm itself).
 */
export interface CardDrawer {
  render(specs: CardSpec[]): Promise<Uint8Array[]>;
}

/** Where cards come from: the runtime's drawer, and optionally a store of cards made before (Node: on disk). */
export interface CardSource {
  renderer: () => Promise<CardDrawer>;
  cache?: { get(etag: string): Uint8Array | undefined; set(etag: string, png: Uint8Array): void };
}
/** Card path → ETag in the live manifest: cards that need no rendering. */
export type LiveCards = ReadonlyMap<string, string>;

type DocPage = Extract<PageModel, { type: 'document' }>;
const enc = new TextEncoder();
export const cardEtag = (p: NonNullable<DocPage['card']>) => 'c' + etagOf(enc.encode(cardKey(p.spec))).slice(1);

export async function renderCards(source: CardSource, pages: PageModel[], live: LiveCards = new Map()): Promise<Map<string, PackFile>> {
  const files = new Map<string, PackFile>();
  const toDraw: { path: string; etag: string; spec: NonNullable<DocPage['card']>['spec'] }[] = [];
  for (const p of pages) {
    if (p.type !== 'document' || !p.card || files.has(p.card.path)) continue;
    const etag = cardEtag(p.card);
    const cached = live.get(p.card.path) === etag ? new Uint8Array(0) : source.cache?.get(etag);
    if (cached) files.set(p.card.path, { bytes: cached, etag, type: 'image/png', encoding: 'identity' });
    else {
      toDraw.push({ path: p.card.path, etag, spec: p.card.spec });
      files.set(p.card.path, { bytes: new Uint8Array(0), etag, type: 'image/png', encoding: 'identity' });
    }
  }
  if (toDraw.length === 0) return files;
  const renderer = await source.renderer();
  const pngs = await renderer.render(toDraw.map((t) => t.spec));
  toDraw.forEach((t, i) => {
    files.set(t.path, { bytes: pngs[i]!, etag: t.etag, type: 'image/png', encoding: 'identity' });
    source.cache?.set(t.etag, pngs[i]!);
  });
  return files;
}

/** The cards a live manifest holds (path → ETag). */
export function liveCards(pages: Record<string, readonly unknown[]> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, e] of Object.entries(pages ?? {})) if (path.startsWith('/cards/')) out.set(path, e[3] as string);
  return out;
}

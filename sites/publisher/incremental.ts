/**
 * Publishing or withdrawing one document re-renders only what it changes on a site: its own page, the pages of
 * the documents linked to it (policy ↔ 解读), every page of the columns that list it (a new item shifts the
 * pagination), the home page, the policy library when it is a policy or 解读, Q&A pages citing it, and the
 * sitemap and RSS feed. Everything else keeps its bytes in R2. Runs in the Worker (worker/src/render/) and in
 * Node (the tests compare it with a full render of the same store): no Node APIs beyond node:zlib/crypto,
 * which workerd provides with nodejs_compat.
 */
import type { FeedModel, NavColumn, PageModel } from '../src/model.ts';
import { buildPack, prepareFile, type PackFile } from './pack.ts';
import type { Renderer } from './render-calls.ts';
import { chromeCache } from './chrome-cache.ts';
import { cardPath, sitePages, type StoreIndex } from './routes.ts';
import { cardEtag, renderCards, type CardSource, type LiveCards } from './cards/site-cards.ts';
import type { Manifest, PageEntry } from '@ywtc/cms-schema';

export interface SiteChange {
  /** Documents published, re-published, withdrawn, shared here or unshared. */
  documentIds: string[];
  /** Columns of this site that showed them before the change: a withdrawal leaves no trace of them in the new state. */
  columnIds: string[];
  /** Documents linked to them before the change (policy ↔ 解读), whose pages list them. */
  relatedIds: string[];
}

const LIBRARY_KINDS = new Set(['policy', 'regulation', 'interpretation']);

/** Which of a site's page models a change touches, and every path the site has after it. */
export function affectedModels(
  ix: StoreIndex,
  siteId: string,
  change: SiteChange,
  originFor: (domain: string) => string,
): { html: PageModel[]; feeds: (FeedModel & { path: string })[]; paths: Set<string> } {
  const { html, feeds } = sitePages(ix, siteId, { originFor });
  const docs = new Set(change.documentIds);
  const docPages = new Set([...change.documentIds, ...change.relatedIds]);
  // Columns to redo whole: those that showed a document before, those that show it now, and their ancestors
  // (a column lists its sub-columns' documents too).
  const columns = new Set(change.columnIds);
  for (const p of html) if (p.type === 'column' && p.items.some((d) => docs.has(d.id))) columns.add(p.column.id);
  const parentOf = new Map<string, string>();
  const walk = (n: NavColumn) =>
    n.children.forEach((k) => {
      parentOf.set(k.id, n.id);
      walk(k);
    });
  html[0]?.site.nav.forEach(walk);
  for (const id of [...columns]) for (let up = parentOf.get(id); up; up = parentOf.get(up)) columns.add(up);
  // A document no longer in the store may have been in the library: redo it rather than guess.
  const library = change.documentIds.some((id) => {
    const kind = ix.store.documents.get(id)?.kind;
    return kind === undefined || LIBRARY_KINDS.has(kind);
  });

  const touched = (p: PageModel): boolean => {
    switch (p.type) {
      case 'home':
        return true;
      case 'column':
        return columns.has(p.column.id);
      case 'document':
        return docPages.has(p.doc.id) || [...p.interpretations, ...p.policies].some((d) => docs.has(d.id));
      case 'library':
        return library;
      case 'qa':
        return p.entries.some((e) => docs.has(e.sourceDocumentId));
      default:
        return false;
    }
  };
  return {
    html: html.filter(touched),
    feeds: feeds.filter((f) => f.type !== 'robots'),
    paths: new Set([...html.map((p) => p.path), ...feeds.map((f) => f.path), ...html.flatMap((p) => (p.type === 'document' ? [cardPath(p.doc.id)] : []))]),
  };
}

export interface RenderedChange {
  files: Map<string, PackFile>;
  paths: Set<string>;
  pages: number;
}
export type AffectedModels = ReturnType<typeof affectedModels>;

/**
 * Renders the touched pages, and the share cards of the touched document pages that the live version does not
 * already hold as they are (`live`: card path → ETag, from the live manifest).
 */
export async function renderModels(
  renderer: Renderer,
  { html, feeds, paths }: AffectedModels,
  cards: CardSource,
  live: LiveCards = new Map(),
): Promise<RenderedChange> {
  const chromeOf = chromeCache(renderer);
  const files = new Map<string, PackFile>();
  // Cards first: a page whose card cannot be rendered here (the Worker, for now) must not point at it.
  let withoutCard = new Set<string>();
  try {
    for (const [path, f] of await renderCards(cards, html, live)) files.set(path, f);
  } catch (e) {
    console.warn(`share cards left to the next full publish: ${e instanceof Error ? e.message : String(e)}`);
    withoutCard = new Set(html.flatMap((p) => (p.type === 'document' && p.card && live.get(p.card.path) !== cardEtag(p.card) ? [p.card.path] : [])));
    for (const [path, f] of await renderCards(
      { renderer: () => Promise.reject(e instanceof Error ? e : new Error(String(e))) },
      html.filter((p) => p.type === 'document' && p.card && !withoutCard.has(p.card.path)),
      live,
    ))
      files.set(path, f);
  }
  for (const p of html) {
    const model = p.type === 'document' && p.card && withoutCard.has(p.card.path) ? { ...p, card: null } : p;
    files.set(p.path, prepareFile(p.path, await renderer.page({ ...model, chrome: await chromeOf(p) })));
  }
  for (const f of feeds) files.set(f.path, prepareFile(f.path, await renderer.feed(f)));
  return { files, paths, pages: html.length + feeds.length };
}

export function renderChange(
  renderer: Renderer,
  ix: StoreIndex,
  siteId: string,
  change: SiteChange,
  originFor: (domain: string) => string,
  cards: CardSource,
  live?: LiveCards,
): Promise<RenderedChange> {
  return renderModels(renderer, affectedModels(ix, siteId, change, originFor), cards, live);
}

/** Files the routes produce (pages, feeds, share cards); anything else in a manifest (the stylesheet, other build assets) is kept as it is. */
const isRouteOutput = (path: string) => path.endsWith('.html') || path.endsWith('.xml') || path.startsWith('/cards/');

/**
 * The next version of a site's manifest: re-rendered pages whose bytes changed go into a new pack; unchanged
 * pages keep their place in older packs; pages that no longer exist (a withdrawn document, a vanished last list
 * page) are dropped. `extra` adds files the live version lacks (the Worker's own stylesheet).
 */
export function nextManifest(
  previous: Manifest,
  version: string,
  rendered: RenderedChange,
  extra: Map<string, PackFile> = new Map(),
): { manifest: Manifest; pack: Uint8Array; changed: number; removed: string[] } {
  const files = new Map([...[...extra].filter(([path]) => !previous.pages[path]), ...rendered.files]);
  const packed = buildPack(version, files, previous);
  const pages: Record<string, PageEntry> = {};
  const removed: string[] = [];
  for (const [path, entry] of Object.entries(previous.pages)) {
    if (files.has(path)) continue;
    if (!isRouteOutput(path) || rendered.paths.has(path)) pages[path] = entry;
    else removed.push(path);
  }
  Object.assign(pages, packed.pages);
  return { manifest: { siteId: previous.siteId, version, createdAt: new Date().toISOString(), pages }, pack: packed.pack, changed: packed.changed, removed };
}

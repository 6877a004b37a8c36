/**
 * Publishes sites from the content store to R2: render every page with the warm renderer, pack the changed
 * ones, write pack → manifest → pointer. The pointer put is the commit: until it lands, readers keep the
 * previous version whole. A site whose pointer already records this renderer and content revision is skipped.
 */
import { ManifestSchema, PointerSchema, publicationKeys as keys, type Manifest, type Pointer } from '@ywtc/cms-schema';
import { buildPack } from './pack.ts';
import { loadRenderer, rendererAssets, type Renderer } from './renderer.ts';
import { indexStore, sitePages, type RouteOptions, type StoreIndex } from './routes.ts';
import { loadStore } from './store.ts';

export interface PublishEnv { DB: D1Database; PAGES: R2Bucket }
export interface PublishOptions extends RouteOptions {
  rendererHash: string;
  /** A label for the origin scheme, part of the build stamp: a change of origins rebuilds every page. */
  originLabel: string;
  force?: boolean;
  only?: string[];
  log?: (line: string) => void;
  /** How many sites' R2 writes may be in flight while the next site renders. */
  concurrency?: number;
}
export interface SiteReport { siteId: string; skipped: boolean; pages: number; htmlPages: number; changed: number; bytes: number; renderMs: number }
export interface PublishReport { sites: SiteReport[]; pages: number; htmlPages: number; changed: number; renderMs: number; totalMs: number; bytes: number }

const encoder = new TextEncoder();

export function newVersion(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'z').toLowerCase() + '-' + Math.random().toString(36).slice(2, 8);
}

async function readJson<T>(bucket: R2Bucket, key: string, parse: (v: unknown) => T): Promise<T | null> {
  const obj = await bucket.get(key);
  return obj ? parse(await obj.json()) : null;
}
export const readPointer = (bucket: R2Bucket, siteId: string) => readJson(bucket, keys.pointer(siteId), (v) => PointerSchema.parse(v));
export const readManifest = (bucket: R2Bucket, siteId: string, version: string) => readJson(bucket, keys.manifest(siteId, version), (v) => ManifestSchema.parse(v));

async function renderSite(renderer: Renderer, ix: StoreIndex, siteId: string, opts: RouteOptions, assets: Map<string, Uint8Array>) {
  const { html, feeds } = sitePages(ix, siteId, opts);
  const files = new Map<string, Uint8Array>(assets);
  for (const p of html) files.set(p.path, encoder.encode(await renderer.page(p)));
  for (const f of feeds) files.set(f.path, encoder.encode(await renderer.feed(f)));
  return files;
}

export async function publishSites(env: PublishEnv, opts: PublishOptions): Promise<PublishReport> {
  const t0 = Date.now();
  const log = opts.log ?? (() => {});
  const store = await loadStore(env.DB);
  const ix = indexStore(store);
  const renderer = await loadRenderer();
  const assets = rendererAssets();
  const stamp = `${opts.rendererHash}|${opts.originLabel}`;
  const targets = opts.only ? store.sites.filter((s) => opts.only!.includes(s.id)) : store.sites;
  const reports: SiteReport[] = [];
  const inFlight = new Set<Promise<void>>();
  let renderMs = 0;

  for (const [i, site] of targets.entries()) {
    const pointer = await readPointer(env.PAGES, site.id);
    if (!opts.force && pointer && pointer.rendererHash === stamp && pointer.contentRevision === store.revision) {
      reports.push({ siteId: site.id, skipped: true, pages: pointer.pageCount, htmlPages: 0, changed: 0, bytes: 0, renderMs: 0 });
      continue;
    }
    const tr = performance.now();
    const files = await renderSite(renderer, ix, site.id, opts, assets);
    const ms = performance.now() - tr;
    renderMs += ms;
    const previous = pointer ? await readManifest(env.PAGES, site.id, pointer.version) : null;
    const version = newVersion();
    const packed = buildPack(version, files, previous);
    const htmlPages = [...files.keys()].filter((p) => p.endsWith('.html')).length;
    const report: SiteReport = { siteId: site.id, skipped: false, pages: files.size, htmlPages, changed: packed.changed, bytes: packed.pack.byteLength, renderMs: ms };
    reports.push(report);
    const write = async () => {
      const nothingChanged = previous && packed.changed === 0 && packed.removed === 0;
      const live = nothingChanged ? previous.version : version;
      if (!nothingChanged) {
        if (packed.pack.byteLength > 0) await env.PAGES.put(keys.pack(site.id, version), packed.pack);
        const manifest: Manifest = { siteId: site.id, version, createdAt: new Date().toISOString(), pages: packed.pages };
        await env.PAGES.put(keys.manifest(site.id, version), JSON.stringify(manifest), { httpMetadata: { contentType: 'application/json' } });
      }
      const next: Pointer = { version: live, publishedAt: new Date().toISOString(), rendererHash: stamp, contentRevision: store.revision, pageCount: files.size };
      await env.PAGES.put(keys.pointer(site.id), JSON.stringify(next), { httpMetadata: { contentType: 'application/json' } });
    };
    const p = write().finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= (opts.concurrency ?? 4)) await Promise.race(inFlight);
    if ((i + 1) % 25 === 0 || i === targets.length - 1) log(`  已渲染 ${i + 1}/${targets.length} 个网站`);
  }
  await Promise.all(inFlight);
  const built = reports.filter((r) => !r.skipped);
  return {
    sites: reports,
    pages: reports.reduce((n, r) => n + r.pages, 0),
    htmlPages: reports.reduce((n, r) => n + r.htmlPages, 0),
    changed: built.reduce((n, r) => n + r.changed, 0),
    renderMs,
    totalMs: Date.now() - t0,
    bytes: built.reduce((n, r) => n + r.bytes, 0),
  };
}

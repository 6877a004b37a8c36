/**
 * A whole site rendered inside the Worker: after its template was switched (every page changes), or for a site
 * that has never been published (a unit joining the platform). Same renderer and pack layout as the Node
 * publisher; pages whose bytes did not change keep their place in older packs; the pointer moves by
 * compare-and-swap, and a lost race is redone on the winner's version.
 */
import { ManifestSchema, PointerSchema, commitPointer, publicationKeys as keys, type Pointer } from '@ywtc/cms-schema';
import { loadSiteSlice } from './site-slice.ts';
import { cardSourceFor } from './cards-client.ts';
import { renderer, rendererAssetBytes, rendererHash } from './renderer.ts';
import { stampFor, stampOf } from './stamp.ts';
import type { Env } from '../env.ts';
import { buildPack, indexStore, liveCards, newVersion, renderSite } from '@ywtc/sites/edge';

export interface WholeSite {
  version: string;
  pages: number;
  changed: number;
  ms: number;
}
/** The pointer naming the version (written, unless `hidden`), and the live version it was built on. */
export interface BuiltSite extends WholeSite {
  pointer: Pointer;
  base: string | null;
}

const ATTEMPTS = 3;

/**
 * @param originTemplate where the pages live (`https://{domain}`), needed only when the site has no live version
 *        to take it from; without either, nothing is rendered and null comes back.
 * @param opts.hidden write the version but leave the pointer alone: a migrated site's switch-over
 *        (import/switchover.ts) has the inspector judge the version before one pointer write makes it live.
 */
export async function rebuildSite(
  env: Pick<Env, 'DB' | 'PAGES' | 'CARDS'>,
  siteId: string,
  originTemplate?: string,
  opts: { hidden?: boolean } = {},
): Promise<BuiltSite | null> {
  const t0 = Date.now();
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const ptrObj = await env.PAGES.get(keys.pointer(siteId));
    const pointer: Pointer | null = ptrObj ? PointerSchema.parse(await ptrObj.json()) : null;
    const origin = pointer ? stampOf(pointer).originTemplate : originTemplate;
    if (!origin) return null;
    const placed = await env.DB.prepare('SELECT document_id FROM placements WHERE site_id = ?').bind(siteId).all<{ document_id: string }>();
    const [store, previous] = await Promise.all([
      loadSiteSlice(
        env.DB,
        siteId,
        placed.results.map((r) => r.document_id),
      ),
      pointer
        ? env.PAGES.get(keys.manifest(siteId, pointer.version)).then(async (o) => (o ? ManifestSchema.parse(await o.json()) : null))
        : Promise.resolve(null),
    ]);
    if (!store.sites.some((s) => s.id === siteId)) return null;
    const result = await renderSite(renderer, indexStore(store), siteId, origin, rendererAssetBytes(), cardSourceFor(env), liveCards(previous?.pages));
    const version = newVersion();
    const packed = buildPack(version, new Map(result.files.map((f) => [f.path, f])), previous);
    if (packed.pack.byteLength > 0) await env.PAGES.put(keys.pack(siteId, version), packed.pack);
    await env.PAGES.put(keys.manifest(siteId, version), JSON.stringify({ siteId, version, createdAt: new Date().toISOString(), pages: packed.pages }), {
      httpMetadata: { contentType: 'application/json' },
    });
    const next: Pointer = {
      version,
      publishedAt: new Date().toISOString(),
      rendererHash: stampFor(rendererHash, origin, result.files.filter((f) => f.path.startsWith('/cards/')).length >= placed.results.length),
      contentRevision: pointer?.contentRevision ?? 'worker',
      pageCount: result.files.length,
    };
    const done = { version, pages: result.files.length, changed: packed.changed, ms: Date.now() - t0, pointer: next, base: pointer?.version ?? null };
    if (opts.hidden || (await commitPointer(env.PAGES, siteId, next, pointer?.version ?? null))) return done;
    await env.PAGES.delete([keys.pack(siteId, version), keys.manifest(siteId, version)]);
  }
  throw new Error(`site ${siteId}: the live version kept changing during ${ATTEMPTS} attempts`);
}

/**
 * One site's pages brought up to date after a change, inside the Worker: read the live pointer and manifest,
 * load the site's slice of the content store, re-render the pages the change touches (sites/publisher/
 * incremental.ts), write a small pack and the next manifest, then move the pointer by compare-and-swap — the
 * commit. Readers see the old version or the new one, never a mix. If someone else published the site
 * meanwhile, the update starts again from their version.
 */
import { PointerSchema, commitPointer, publicationKeys as keys, ManifestSchema, type Pointer } from '@ywtc/cms-schema';
import { loadDocuments, loadSiteSlice } from './site-slice.ts';
import { renderer, rendererAssetFiles, rendererHash } from './renderer.ts';
import { cardSourceFor } from './cards-client.ts';
import { collectGarbage } from './publication-gc.ts';
import { rebuildSite } from './whole-site.ts';
import { stampFor, stampOf } from './stamp.ts';
import type { Env } from '../env.ts';
import { affectedModels, indexStore, liveCards, newVersion, nextManifest, renderModels, type PackFile, type SiteChange } from '@ywtc/sites/edge';

/** What rendering needs of the Worker's bindings. */
export type RenderEnv = Pick<Env, 'DB' | 'PAGES' | 'SITE_ORIGIN_TEMPLATE' | 'CARDS'>;

export interface SiteUpdate {
  siteId: string;
  status: 'updated' | 'whole-site' | 'unpublished';
  version?: string;
  pages: number;
  changed: number;
  removed: number;
  ms: number;
  attempts: number;
}

const ATTEMPTS = 4;

export async function updateSite(env: RenderEnv, siteId: string, change: SiteChange, waitUntil: (p: Promise<unknown>) => void = () => {}): Promise<SiteUpdate> {
  const t0 = Date.now();
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const ptrObj = await env.PAGES.get(keys.pointer(siteId));
    // A site never published has no pages to update: it is rendered whole here if its public origin is known,
    // or else by its first `npm run publish`.
    if (!ptrObj) {
      const whole = env.SITE_ORIGIN_TEMPLATE ? await rebuildSite(env, siteId, env.SITE_ORIGIN_TEMPLATE) : null;
      if (!whole && env.SITE_ORIGIN_TEMPLATE) continue; // published by someone else meanwhile: update theirs
      return {
        siteId,
        status: whole ? 'whole-site' : 'unpublished',
        ...(whole ? { version: whole.version } : {}),
        pages: whole?.pages ?? 0,
        changed: whole?.pages ?? 0,
        removed: 0,
        ms: Date.now() - t0,
        attempts: attempt,
      };
    }
    const pointer = PointerSchema.parse(await ptrObj.json());
    const full = [...new Set([...change.documentIds, ...change.relatedIds])];
    const [manifestObj, store] = await Promise.all([env.PAGES.get(keys.manifest(siteId, pointer.version)), loadSiteSlice(env.DB, siteId, full)]);
    if (!manifestObj) throw new Error(`site ${siteId}: manifest of live version ${pointer.version} is missing`);
    const previous = ManifestSchema.parse(await manifestObj.json());
    const { hash, originTemplate } = stampOf(pointer);
    const models = affectedModels(indexStore(store), siteId, change, (d) => originTemplate.replace('{domain}', d));
    // Pages of documents the change lists but did not name (rare) need their bodies too.
    const bodiless = models.html.flatMap((p) => (p.type === 'document' && !full.includes(p.doc.id) ? [p.doc.id] : []));
    if (bodiless.length) {
      const docs = new Map((await loadDocuments(env.DB, bodiless)).map((d) => [d.id, d]));
      models.html = models.html.map((p) => (p.type === 'document' && docs.has(p.doc.id) ? { ...p, doc: docs.get(p.doc.id)! } : p));
    }
    const rendered = await renderModels(renderer, models, cardSourceFor(env), liveCards(previous.pages));
    const version = newVersion();
    // Pages from a newer renderer than the live version's link to its own stylesheet, which must be there too.
    const extra = hash === rendererHash ? new Map<string, PackFile>() : rendererAssetFiles();
    const next = nextManifest(previous, version, rendered, extra);
    if (next.pack.byteLength > 0) await env.PAGES.put(keys.pack(siteId, version), next.pack);
    await env.PAGES.put(keys.manifest(siteId, version), JSON.stringify(next.manifest), { httpMetadata: { contentType: 'application/json' } });
    // A document page that went out without its card marks the version, so the next full publish adds the card.
    const cardless = models.html.some((p) => p.type === 'document' && p.card && !(p.card.path in next.manifest.pages));
    const stamp = cardless ? stampFor(hash, originTemplate, false) : pointer.rendererHash;
    const moved: Pointer = {
      ...pointer,
      rendererHash: stamp,
      version,
      publishedAt: new Date().toISOString(),
      pageCount: Object.keys(next.manifest.pages).length,
    };
    if (await commitPointer(env.PAGES, siteId, moved, pointer.version)) {
      waitUntil(collectGarbage(env.PAGES, siteId, version).catch((e) => console.error(`gc ${siteId}:`, e)));
      return {
        siteId,
        status: 'updated',
        version,
        pages: rendered.pages,
        changed: next.changed,
        removed: next.removed.length,
        ms: Date.now() - t0,
        attempts: attempt,
      };
    }
    // Lost the race: this version was never live; drop it and build on the winner's.
    await env.PAGES.delete([keys.pack(siteId, version), keys.manifest(siteId, version)]);
  }
  throw new Error(`site ${siteId}: the live version kept changing during ${ATTEMPTS} attempts`);
}

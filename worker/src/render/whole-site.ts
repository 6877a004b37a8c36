/**
 * A whole site rendered inside the Worker: for a site that has never been published (a unit joining the
 * platform), where there is no live version to update page by page. Same renderer, same pack layout as the
 * Node publisher; the pointer is committed only if the site is still unpublished.
 */
import { commitPointer, publicationKeys as keys, type Pointer } from '@ywtc/cms-schema';
import { renderSite } from '../../../sites/publisher/render-site.ts';
import { indexStore } from '../../../sites/publisher/routes.ts';
import { buildPack, newVersion } from '../../../sites/publisher/pack.ts';
import { loadSiteSlice } from './site-slice.ts';
import { renderer, rendererAssetBytes, rendererHash } from './renderer.ts';

export async function publishWholeSite(env: { DB: D1Database; PAGES: R2Bucket }, siteId: string, originTemplate: string): Promise<{ version: string; pages: number } | null> {
  const placed = await env.DB.prepare('SELECT document_id FROM placements WHERE site_id = ?').bind(siteId).all<{ document_id: string }>();
  const store = await loadSiteSlice(env.DB, siteId, placed.results.map((r) => r.document_id));
  if (!store.sites.some((s) => s.id === siteId)) return null;
  const result = await renderSite(renderer, indexStore(store), siteId, originTemplate, rendererAssetBytes());
  const version = newVersion();
  const packed = buildPack(version, new Map(result.files.map((f) => [f.path, f])), null);
  await env.PAGES.put(keys.pack(siteId, version), packed.pack);
  await env.PAGES.put(keys.manifest(siteId, version), JSON.stringify({ siteId, version, createdAt: new Date().toISOString(), pages: packed.pages }), { httpMetadata: { contentType: 'application/json' } });
  const pointer: Pointer = { version, publishedAt: new Date().toISOString(), rendererHash: `${rendererHash}|${originTemplate}`, contentRevision: 'worker', pageCount: result.files.length };
  if (await commitPointer(env.PAGES, siteId, pointer, null)) return { version, pages: result.files.length };
  await env.PAGES.delete([keys.pack(siteId, version), keys.manifest(siteId, version)]);
  return null;
}

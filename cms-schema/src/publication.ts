import { z } from 'zod';
import { SiteIdSchema } from './site.ts';
import { defineAccess } from './access.ts';
import { lookup } from './lookup.ts';

/**
 * How a rendered site sits in R2 — the contract between the publisher (sites/) and the Worker that serves it.
 *
 *   sites/<site>/packs/<version>       many pages concatenated (each gzip-compressed when that pays);
 *                                      a page is a byte range of one pack
 *   sites/<site>/manifests/<version>   path → [pack version, offset, length, etag, content type, encoding]
 *   current/<site>                     which manifest is live (its fields also in customMetadata, so one
 *                                      list call tells the publisher the state of every site)
 *
 * Packs and manifests are immutable; publishing writes new ones and then replaces `current` with a single
 * put, which R2 makes atomic, so a reader sees the old site or the new one, never a mix. A rebuild re-uses
 * the byte ranges of unchanged pages from older packs, so a small change writes a small pack. Packing turns
 * ~15,000 page puts (≈425/s through the local simulator) into one put per site; compressing pages before
 * packing cuts the bytes written (the simulator writes ≈40 MB/s) about 2.5× (gzip level 1) and is what the
 * edge would send anyway.
 */
export const PageEntrySchema = z.tuple([
  z.string().regex(/^[0-9a-z-]+$/), // pack version
  z.int().min(0), // offset
  z.int().min(0), // length
  z.string().regex(/^[0-9a-f]{16,64}$/), // etag: content hash
  z.string().min(3), // content type
  z.enum(['gzip', 'identity']), // how the bytes in the pack are encoded
]);
export type PageEntry = z.infer<typeof PageEntrySchema>;

export const ManifestSchema = z.object({
  siteId: SiteIdSchema,
  version: z.string().regex(/^[0-9a-z-]+$/),
  createdAt: z.iso.datetime({ offset: true }),
  pages: z.record(z.string().startsWith('/'), PageEntrySchema),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export const PointerSchema = z.object({
  version: z.string().regex(/^[0-9a-z-]+$/),
  publishedAt: z.iso.datetime({ offset: true }),
  /** What the live version was built from; equal stamps mean nothing needs rebuilding. */
  rendererHash: z.string(),
  contentRevision: z.string(),
  pageCount: z.int().min(0),
});
export type Pointer = z.infer<typeof PointerSchema>;

export const publicationKeys = {
  pointer: (siteId: string) => `current/${siteId}`,
  pointerPrefix: 'current/',
  manifest: (siteId: string, version: string) => `sites/${siteId}/manifests/${version}`,
  pack: (siteId: string, version: string) => `sites/${siteId}/packs/${version}`,
};

export const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  json: 'application/json; charset=utf-8',
};
export function contentTypeFor(path: string): string {
  if (path.endsWith('/rss.xml')) return CONTENT_TYPES.rss!;
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return lookup(CONTENT_TYPES, ext) ?? 'application/octet-stream';
}

/**
 * Which versions of a site may be deleted: everything but the live version and the `keep` newest ones (readers
 * mid-request may still hold a just-replaced manifest), except packs that a kept manifest still points into —
 * unchanged pages live on in old packs. Version names start with a UTC timestamp, so they sort by age.
 */
export function unreachableVersions(manifests: Pick<Manifest, 'version' | 'pages'>[], live: string, keep = 3): { manifests: string[]; packs: string[] } {
  const sorted = [...manifests].sort((a, b) => (a.version < b.version ? 1 : -1));
  const kept = sorted.filter((m, i) => i < keep || m.version === live);
  const keptVersions = new Set(kept.map((m) => m.version));
  const neededPacks = new Set(kept.flatMap((m) => Object.values(m.pages).map((e) => e[0])));
  return {
    manifests: sorted.filter((m) => !keptVersions.has(m.version)).map((m) => m.version),
    packs: sorted.map((m) => m.version).filter((v) => !neededPacks.has(v)),
  };
}

/**
 * A page update owed to a site: written in the same D1 transaction as the content change it follows (publish,
 * withdraw, 转载: scope `document`; a template switch: scope `site`, every page), taken off once the site's new
 * version is live in R2. The request that made the change works it off at once; the Cron Trigger (and `npm
 * start`) finish whatever is left, so no always-on server is needed (worker/src/render/). A full publish counts
 * a site with owed updates as not up to date.
 */
export const RenderTaskSchema = z.object({
  seq: z.number().int(),
  siteId: z.string(),
  scope: z.enum(['document', 'site']),
  /** scope `document`: the document; null for a whole site. */
  documentId: z.string().nullable(),
  /** The column that shows (or showed) the document on this site. */
  columnId: z.string().nullable(),
  /** Documents linked to it (policy ↔ 解读) at the time of the change. */
  related: z.array(z.string()),
  queuedAt: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
});
export type RenderTask = z.infer<typeof RenderTaskSchema>;

/**
 * The publishing API (/_ingest): machines only — the build that reads the content store and writes rendered
 * sites, the search index and the 模板库 thumbnails, holding the publishing token. No person uses it.
 */
export const PUBLICATION_ACCESS = defineAccess({
  read: { who: ['machine'] },
  write: { who: ['machine'] },
});

/**
 * A search-index update owed after a content change (search/src/queue.ts): written in the change's own
 * transaction and taken off once the configured search backend has it, so search and the content store agree
 * after any crash. `document`: index or remove the document as the store now has it; `synonyms`: push the
 * dictionary (search_synonyms) to the served index.
 */
export const SearchTaskSchema = z.object({
  seq: z.number().int(),
  kind: z.enum(['document', 'synonyms']),
  documentId: z.string().nullable(),
  queuedAt: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
});
export type SearchTask = z.infer<typeof SearchTaskSchema>;

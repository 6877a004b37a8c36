/**
 * Reads a published site from R2 (layout in cms-schema/publication.ts). The pointer is read on every request
 * so a publish is visible at once; manifests are immutable, so a parsed one is kept per isolate.
 */
import { ManifestSchema, PointerSchema, publicationKeys as keys, type Manifest, type PageEntry } from '@ywtc/cms-schema';

const manifests = new Map<string, Manifest>();
const MAX_MANIFESTS = 64;

export async function liveManifest(bucket: R2Bucket, siteId: string): Promise<Manifest | null> {
  const ptr = await bucket.get(keys.pointer(siteId));
  if (!ptr) return null;
  const { version } = PointerSchema.parse(await ptr.json());
  const key = `${siteId}@${version}`;
  let m = manifests.get(key);
  if (m) {
    manifests.delete(key); // LRU: re-insert as newest
    manifests.set(key, m);
    return m;
  }
  const obj = await bucket.get(keys.manifest(siteId, version));
  if (!obj) return null;
  m = ManifestSchema.parse(await obj.json());
  manifests.set(key, m);
  if (manifests.size > MAX_MANIFESTS) manifests.delete(manifests.keys().next().value!);
  return m;
}

export async function readEntry(bucket: R2Bucket, siteId: string, entry: PageEntry): Promise<ReadableStream | null> {
  const [version, offset, length] = entry;
  if (length === 0) return new Response('').body;
  const obj = await bucket.get(keys.pack(siteId, version), { range: { offset, length } });
  return obj?.body ?? null;
}

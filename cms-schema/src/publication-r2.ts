/**
 * The R2 side of the publication contract, shared by the Worker's publishing API and the publisher's direct
 * binding target, so the pointer is listed and committed one way only.
 */
import { PointerSchema, publicationKeys as keys, type Pointer } from './publication.ts';

/** A pointer's fields as R2 customMetadata (strings), so one list call reads every site's state. */
export const pointerToMetadata = (p: Pointer): Record<string, string> => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, String(v)]));
export function pointerFromMetadata(meta: Record<string, string>): Pointer | null {
  const parsed = PointerSchema.safeParse({ ...meta, pageCount: Number(meta.pageCount) });
  return parsed.success ? parsed.data : null;
}

/** Every site's live pointer, in as many list calls as there are thousands of sites. */
export async function listPointers(bucket: R2Bucket): Promise<Map<string, Pointer>> {
  const out = new Map<string, Pointer>();
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix: keys.pointerPrefix, include: ['customMetadata'], limit: 1000, ...(cursor ? { cursor } : {}) });
    for (const o of page.objects) {
      const p = pointerFromMetadata(o.customMetadata ?? {});
      if (p) out.set(o.key.slice(keys.pointerPrefix.length), p);
    }
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return out;
}

/**
 * Moves a site's pointer — compare-and-swap when `expected` is given: the live version must still be the one
 * the publisher built on, and the put is conditional on the pointer object's ETag, so of two racing publishes
 * of one site the later one is refused instead of silently rolling the site back. Returns false on conflict.
 */
export async function commitPointer(bucket: R2Bucket, siteId: string, pointer: Pointer, expected?: string | null): Promise<boolean> {
  const options: R2PutOptions = { httpMetadata: { contentType: 'application/json' }, customMetadata: pointerToMetadata(pointer) };
  if (expected !== undefined) {
    const current = await bucket.head(keys.pointer(siteId));
    if ((current?.customMetadata?.version ?? null) !== expected) return false;
    if (current) options.onlyIf = { etagMatches: current.etag };
  }
  return (await bucket.put(keys.pointer(siteId), JSON.stringify(pointer), options)) !== null;
}

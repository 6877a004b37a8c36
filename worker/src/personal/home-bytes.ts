/**
 * Home pages with their 热点 list filled in, kept compressed per isolate: the list changes at most once a
 * minute (hot.ts), so nearly every home-page request is served from here as bytes, like a stored page. Keyed by
 * site, the stored page's hash and the list's signature, so a publish or a new list makes a new entry; the
 * oldest entries go first beyond MAX_ENTRIES.
 */
const MAX_ENTRIES = 64;
const cache = new Map<string, Promise<Uint8Array | null>>();

export function homeBytes(key: string, render: () => Promise<Response | null>): Promise<Uint8Array | null> {
  const hit = cache.get(key);
  if (hit) {
    // Most recently used last, so the oldest is the first key.
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const bytes = render().then(async (res) =>
    res ? new Uint8Array(await new Response(res.body!.pipeThrough(new CompressionStream('gzip'))).arrayBuffer()) : null,
  );
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, bytes);
  bytes.then(
    (b) => {
      if (!b) cache.delete(key);
    },
    () => cache.delete(key),
  );
  return bytes;
}

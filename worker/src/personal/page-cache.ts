/**
 * Pages with their 热点 list filled in, kept per isolate so the slot costs a rewrite once per list, not once per
 * request: compressed bytes for the common request (no cookie: served like a stored page), and the plain text
 * for requests that add more (a citizen's blocks, spliced in; a display mode). The list changes at most once a
 * minute (hot.ts). Keyed by site, the stored page's hash and the list's signature, so a publish or a new list
 * makes new entries; the least recently used go first beyond MAX_ENTRIES (≈ 64 home pages of 30–60 KB gzip and
 * 64 of 100–250 KB text per isolate).
 */
const MAX_ENTRIES = 64;

class Lru<T> {
  private readonly map = new Map<string, Promise<T | null>>();
  get(key: string, make: () => Promise<T | null>): Promise<T | null> {
    const hit = this.map.get(key);
    if (hit) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const value = make();
    if (this.map.size >= MAX_ENTRIES) this.map.delete(this.map.keys().next().value!);
    this.map.set(key, value);
    value.then(
      (v) => {
        if (v === null) this.map.delete(key);
      },
      () => this.map.delete(key),
    );
    return value;
  }
}

const compressed = new Lru<Uint8Array>();
const plain = new Lru<string>();

/** The page as text (its slots filled by `render`), kept. */
export function plainPage(key: string, render: () => Promise<Response | null>): Promise<string | null> {
  return plain.get(key, async () => {
    const res = await render();
    return res ? res.text() : null;
  });
}

/** The same page gzip-compressed, kept: what a request without a cookie gets. */
export function compressedPage(key: string, render: () => Promise<Response | null>): Promise<Uint8Array | null> {
  return compressed.get(key, async () => {
    const text = await plainPage(key, render);
    if (text === null) return null;
    return new Uint8Array(await new Response(new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
  });
}

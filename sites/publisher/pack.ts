/**
 * Turns a site's rendered files into one pack plus a manifest (cms-schema/publication.ts). Pages whose bytes
 * did not change keep pointing at the pack that already holds them, so only changed pages are written.
 */
import { createHash } from 'node:crypto';
import { contentTypeFor, type Manifest, type PageEntry } from '@ywtc/cms-schema';

export interface PackResult { pack: Uint8Array; pages: Record<string, PageEntry>; changed: number; reused: number; removed: number }

export const etagOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 32);

export function buildPack(version: string, files: Map<string, Uint8Array>, previous: Manifest | null): PackResult {
  const pages: Record<string, PageEntry> = {};
  const chunks: Uint8Array[] = [];
  let offset = 0;
  let changed = 0;
  let reused = 0;
  const byEtag = new Map<string, PageEntry>(); // identical bytes at several paths are stored once
  for (const [path, bytes] of files) {
    const etag = etagOf(bytes);
    const type = contentTypeFor(path);
    const old = previous?.pages[path];
    if (old && old[3] === etag && old[4] === type) { pages[path] = old; reused++; continue; }
    const same = byEtag.get(etag);
    if (same) { pages[path] = [same[0], same[1], same[2], etag, type]; continue; }
    const entry: PageEntry = [version, offset, bytes.byteLength, etag, type];
    byEtag.set(etag, entry);
    pages[path] = entry;
    chunks.push(bytes);
    offset += bytes.byteLength;
    changed++;
  }
  const removed = previous ? Object.keys(previous.pages).filter((p) => !files.has(p)).length : 0;
  const pack = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) { pack.set(c, at); at += c.byteLength; }
  return { pack, pages, changed, reused, removed };
}

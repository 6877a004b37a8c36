/**
 * Turns a site's rendered files into one pack plus a manifest (cms-schema/publication.ts). Pages whose bytes
 * did not change keep pointing at the pack that already holds them, so only changed pages are written.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { contentTypeFor, type Manifest, type PageEntry } from '@ywtc/cms-schema';

/** A rendered file ready for packing: stored bytes (maybe gzip), the hash of the original bytes, its type. */
export interface PackFile {
  bytes: Uint8Array;
  etag: string;
  type: string;
  encoding: 'gzip' | 'identity';
}
export interface PackResult {
  pack: Uint8Array;
  pages: Record<string, PageEntry>;
  changed: number;
  reused: number;
  removed: number;
}

/** A version name: a UTC timestamp (versions sort by age, see unreachableVersions) plus a random tail. */
export function newVersion(now = new Date()): string {
  return (
    now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'z')
      .toLowerCase() +
    '-' +
    Math.random().toString(36).slice(2, 8)
  );
}

export const etagOf = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 32);

/** Below this size gzip saves too little to be worth a decompression on the rare client that needs one. */
const COMPRESS_FROM = 1024;
/** Level 1: compression was the largest single cost of a build at level 6 (bench:build); level 1 halves it for ~15% more bytes. */
const GZIP_LEVEL = 1;
const COMPRESSIBLE = /^(text\/|application\/(xml|rss\+xml|json)|image\/svg)/;

export function prepareFile(path: string, raw: Uint8Array, compress = process.env.YWTC_GZIP !== '0'): PackFile {
  const type = contentTypeFor(path);
  const etag = etagOf(raw);
  if (compress && raw.byteLength >= COMPRESS_FROM && COMPRESSIBLE.test(type))
    return { bytes: gzipSync(raw, { level: GZIP_LEVEL }), etag, type, encoding: 'gzip' };
  return { bytes: raw, etag, type, encoding: 'identity' };
}

export function buildPack(version: string, files: Map<string, PackFile>, previous: Manifest | null): PackResult {
  const pages: Record<string, PageEntry> = {};
  const chunks: Uint8Array[] = [];
  let offset = 0;
  let changed = 0;
  let reused = 0;
  const byEtag = new Map<string, PageEntry>(); // identical bytes at several paths are stored once
  for (const [path, f] of files) {
    const old = previous?.pages[path];
    if (old && old[3] === f.etag && old[4] === f.type && old[5] === f.encoding) {
      pages[path] = old;
      reused++;
      continue;
    }
    const same = byEtag.get(f.etag);
    if (same && same[5] === f.encoding) {
      pages[path] = [same[0], same[1], same[2], f.etag, f.type, f.encoding];
      continue;
    }
    const entry: PageEntry = [version, offset, f.bytes.byteLength, f.etag, f.type, f.encoding];
    byEtag.set(f.etag, entry);
    pages[path] = entry;
    chunks.push(f.bytes);
    offset += f.bytes.byteLength;
    changed++;
  }
  const removed = previous ? Object.keys(previous.pages).filter((p) => !files.has(p)).length : 0;
  const pack = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    pack.set(c, at);
    at += c.byteLength;
  }
  return { pack, pages, changed, reused, removed };
}

/**
 * Results of the embedded index, kept per isolate and keyed by the index's version: popular queries (社保,
 * 公积金 …) repeat far more often than the index changes. Every write to the index bumps `search.version`
 * in D1's meta table in the same transaction (d1-index.ts, the seed, synonyms); an isolate reads the version
 * at most once a second, so a change shows everywhere within a second — at once in the isolate that made it.
 */
import type { SearchResult } from './schema.ts';

export const VERSION_KEY = 'search.version';
/** The statement that marks the index changed: part of every batch that writes it. */
export const bumpVersion = (db: D1Database) =>
  db.prepare(`INSERT INTO meta (key, value) VALUES ('${VERSION_KEY}', '1') ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`);

const VERSION_TTL_MS = 1_000;
const MAX_ENTRIES = 2_000;

let known: { version: string; until: number } | null = null;
let results = new Map<string, SearchResult>();

async function currentVersion(db: D1Database, now: number): Promise<string> {
  if (known && known.until > now) return known.version;
  const row = await db.prepare('SELECT value FROM meta WHERE key = ?').bind(VERSION_KEY).first<{ value: string }>();
  const version = row?.value ?? '0';
  if (known?.version !== version) results = new Map();
  known = { version, until: now + VERSION_TTL_MS };
  return version;
}

/** The cached result for `key`, or `compute()`'s (kept, least recently used ones evicted past the limit). */
export async function cachedResult(db: D1Database, key: string, compute: () => Promise<SearchResult>, now = Date.now()): Promise<SearchResult> {
  await currentVersion(db, now);
  const hit = results.get(key);
  if (hit) {
    results.delete(key);
    results.set(key, hit); // most recently used last
    return structuredClone(hit);
  }
  const fresh = await compute();
  results.set(key, structuredClone(fresh));
  if (results.size > MAX_ENTRIES) results.delete(results.keys().next().value!);
  return fresh;
}

/** This isolate wrote the index: drop what it holds and read the version again on the next search. */
export function forgetResults() {
  results = new Map();
  known = null;
}

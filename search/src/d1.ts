/**
 * The embedded search backend: D1's FTS5 over Han-bigram token streams, in the same D1 as the content.
 * Writing: d1-index.ts; querying: d1-search.ts. Synonyms live in D1 (search_synonyms) so admins can edit them.
 */
import { indexDocuments, removeDocuments } from './d1-index.ts';
import { searchD1 } from './d1-search.ts';
import { bumpVersion, cachedResult, forgetResults } from './d1-cache.ts';
import type { SearchBackend, SearchDocument, SearchParams } from './schema.ts';
import { parseSynonyms, type SynonymGroups } from './synonyms.ts';

const SYNONYM_TTL_MS = 60_000;
let synonymCache: { groups: SynonymGroups; until: number } | null = null;

/** The synonym groups from D1, kept for a minute per isolate (admins' edits show within that). */
export async function loadSynonyms(db: D1Database, now = Date.now()): Promise<SynonymGroups> {
  if (synonymCache && synonymCache.until > now) return synonymCache.groups;
  const { results } = await db.prepare('SELECT terms FROM search_synonyms ORDER BY id').all<{ terms: string }>();
  const groups = parseSynonyms(results.map((r) => r.terms).join('\n'));
  synonymCache = { groups, until: now + SYNONYM_TTL_MS };
  return groups;
}

export interface D1BackendOptions {
  /** Keep results per isolate until the index changes (d1-cache.ts); off for benchmarks of the engine itself. */
  cache?: boolean;
}

export class D1Backend implements SearchBackend {
  readonly name = 'd1' as const;
  private readonly db: D1Database;
  private readonly cache: boolean;
  constructor(db: D1Database, options: D1BackendOptions = {}) {
    this.db = db;
    this.cache = options.cache ?? true;
  }
  index(docs: readonly SearchDocument[]) {
    return indexDocuments(this.db, docs);
  }
  remove(ids: readonly string[]) {
    return removeDocuments(this.db, ids);
  }
  async search(params: SearchParams) {
    const run = async () => searchD1(this.db, params, await loadSynonyms(this.db));
    return this.cache ? cachedResult(this.db, JSON.stringify(params), run) : run();
  }
  async setSynonyms(groups: readonly (readonly string[])[]) {
    await this.db.batch(synonymStatements(this.db, groups));
    forgetSynonyms();
  }
}

/**
 * The dictionary replaced, as statements for a caller's batch (the admin's change with its audit entry and its
 * queue task in one transaction); call `forgetSynonyms` once it committed.
 */
export function synonymStatements(db: D1Database, groups: readonly (readonly string[])[]): D1PreparedStatement[] {
  const terms = [...new Set(groups.map((g) => [...new Set(g)].join('|')))];
  return [
    db.prepare('DELETE FROM search_synonyms'),
    ...terms.map((t) => db.prepare('INSERT INTO search_synonyms (terms) VALUES (?)').bind(t)),
    bumpVersion(db),
  ];
}

/** Drops this isolate's copy of the dictionary and its cached results (others re-read within a minute). */
export function forgetSynonyms(): void {
  synonymCache = null;
  forgetResults();
}

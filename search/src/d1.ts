/**
 * The embedded search backend: D1's FTS5 over Han-bigram token streams, in the same D1 as the content.
 * Writing: d1-index.ts; querying: d1-search.ts. Synonyms live in D1 (search_synonyms) so admins can edit them.
 */
import { indexDocuments, removeDocuments } from './d1-index.ts';
import { forgetFrequencies, searchD1 } from './d1-search.ts';
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

export class D1Backend implements SearchBackend {
  readonly name = 'd1' as const;
  private readonly db: D1Database;
  constructor(db: D1Database) { this.db = db; }
  // Document frequencies change with the index: this isolate forgets its cached ones at once.
  async index(docs: readonly SearchDocument[]) { await indexDocuments(this.db, docs); forgetFrequencies(); }
  async remove(ids: readonly string[]) { await removeDocuments(this.db, ids); forgetFrequencies(); }
  async search(params: SearchParams) { return searchD1(this.db, params, await loadSynonyms(this.db)); }
  async setSynonyms(groups: readonly (readonly string[])[]) {
    const terms = [...new Set(groups.map((g) => [...new Set(g)].join('|')))];
    await this.db.batch([this.db.prepare('DELETE FROM search_synonyms'), ...terms.map((t) => this.db.prepare('INSERT INTO search_synonyms (terms) VALUES (?)').bind(t))]);
    synonymCache = null;
  }
}

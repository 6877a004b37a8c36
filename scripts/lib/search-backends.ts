/**
 * The search backends a script keeps in line with the content store: always the embedded D1 index, and
 * Meilisearch too when MEILISEARCH_HOST (with MEILISEARCH_API_KEY, MEILISEARCH_INDEX) is set in the environment.
 */
import { D1Backend, MeilisearchBackend, type SearchBackend } from '@ywtc/search';

/** Meilisearch first: reindex finds its deletions in what the D1 index still holds (search/src/reindex.ts). */
export function searchBackends(db: D1Database, env: NodeJS.ProcessEnv = process.env): SearchBackend[] {
  const out: SearchBackend[] = [];
  if (env.MEILISEARCH_HOST) {
    out.push(new MeilisearchBackend({ host: env.MEILISEARCH_HOST, ...(env.MEILISEARCH_API_KEY ? { apiKey: env.MEILISEARCH_API_KEY } : {}), ...(env.MEILISEARCH_INDEX ? { indexUid: env.MEILISEARCH_INDEX } : {}) }));
  }
  out.push(new D1Backend(db));
  return out;
}

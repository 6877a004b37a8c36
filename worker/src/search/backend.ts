/**
 * Which search backend serves this request: Meilisearch when MEILISEARCH_HOST is configured, otherwise the
 * embedded D1 index that ships with every deployment (nothing else to run).
 */
import { D1Backend, MeilisearchBackend, type SearchBackend } from '@ywtc/search';
import type { Env } from '../env.ts';

export function searchBackend(env: Env): SearchBackend {
  if (env.MEILISEARCH_HOST) {
    return new MeilisearchBackend({ host: env.MEILISEARCH_HOST, apiKey: env.MEILISEARCH_API_KEY, indexUid: env.MEILISEARCH_INDEX || undefined });
  }
  return new D1Backend(env.DB, { cache: env.SEARCH_CACHE !== 'off' });
}

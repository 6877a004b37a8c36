/**
 * The configured search backend, one function for the Worker and the scripts alike, so no write path can
 * pick a different one: Meilisearch when MEILISEARCH_HOST is set, else the embedded D1 index.
 *
 * The D1 index is written in either case. Over Meilisearch it is not what citizens search, but it holds what
 * the platform itself reads: each term's document frequency (the CMS's typo check, search/src/typo.ts), each
 * entry's fingerprint (reindex finds what differs and what to delete), and the snapshot a best bet keeps. So a
 * write goes to the served index first and then to the D1 index: if the first fails, neither changed, and the
 * queue (queue.ts) tries again.
 */
import { D1Backend } from './d1.ts';
import { MeilisearchBackend } from './meilisearch/backend.ts';
import type { SearchBackend, SearchDocument, SearchParams } from './schema.ts';

/** The settings a backend is chosen by (Worker variables, or the scripts' environment). */
export interface SearchConfig {
  MEILISEARCH_HOST?: string | undefined;
  MEILISEARCH_API_KEY?: string | undefined;
  MEILISEARCH_INDEX?: string | undefined;
  /** `off`: no result cache in the D1 backend (benchmarks of the engine itself). */
  SEARCH_CACHE?: string | undefined;
}

/** Meilisearch serves; every write also reaches the D1 index, after Meilisearch took it. */
export class MirroredBackend implements SearchBackend {
  readonly name = 'meilisearch' as const;
  readonly served: MeilisearchBackend;
  readonly mirror: D1Backend;
  constructor(served: MeilisearchBackend, mirror: D1Backend) {
    this.served = served;
    this.mirror = mirror;
  }
  async index(docs: readonly SearchDocument[]) {
    await this.served.index(docs);
    await this.mirror.index(docs);
  }
  async remove(ids: readonly string[]) {
    await this.served.remove(ids);
    await this.mirror.remove(ids);
  }
  search(params: SearchParams) {
    return this.served.search(params);
  }
  async setSynonyms(groups: readonly (readonly string[])[]) {
    await this.served.setSynonyms(groups);
    await this.mirror.setSynonyms(groups);
  }
}

export function configuredBackend(db: D1Database, config: SearchConfig): D1Backend | MirroredBackend {
  const d1 = new D1Backend(db, { cache: config.SEARCH_CACHE !== 'off' });
  if (!config.MEILISEARCH_HOST) return d1;
  const meili = new MeilisearchBackend({
    host: config.MEILISEARCH_HOST,
    ...(config.MEILISEARCH_API_KEY ? { apiKey: config.MEILISEARCH_API_KEY } : {}),
    ...(config.MEILISEARCH_INDEX ? { indexUid: config.MEILISEARCH_INDEX } : {}),
  });
  return new MirroredBackend(meili, d1);
}

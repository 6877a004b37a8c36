/**
 * The search backend of this Worker's configuration (search/src/configured.ts, shared with the scripts):
 * Meilisearch when MEILISEARCH_HOST is set, else the embedded D1 index. Every read and every write of the
 * Worker goes through here — search pages, best bets, the publishing API, the search queue.
 */
import { configuredBackend, drainSearchQueue, type SearchBackend, type SearchDrain } from '@ywtc/search';
import type { Env } from '../env.ts';

export const searchBackend = (env: Env): SearchBackend => configuredBackend(env.DB, env);

/** Index updates owed after content changes (search/src/queue.ts): `documentId`'s only, or all of them. */
export const drainSearch = (env: Env, documentId?: string): Promise<SearchDrain> =>
  drainSearchQueue(env.DB, searchBackend(env), documentId ? { documentId } : {});

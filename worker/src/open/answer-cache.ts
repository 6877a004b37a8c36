/**
 * Answers of the interfaces kept in the isolate, keyed by the content store's change counter (the last
 * open_changes sequence number, read in the same D1 round trip as the API key): any change to what an
 * interface can show — a document, placement, 解读 link, Q&A entry, site or column — moves the counter, so a
 * kept answer is never served after its data changed. The quota and every check still run on each call; only
 * the data query and rendering are saved. Answers that depend on the clock or on data outside the change log
 * (栏目更新情况's overdue flags, 热门搜索词) and incremental syncs are not kept.
 */
import type { DatasetKey } from '@ywtc/cms-schema';

export interface KeptAnswer {
  body: string;
  type: string;
  etag: string;
  nextCursor: string | null;
  nextSince: string | null;
}

const NOT_KEPT: ReadonlySet<DatasetKey> = new Set(['column-updates', 'hot-searches']);
const MAX_ENTRIES = 400;
const kept = new Map<string, KeptAnswer>();

export const keepable = (dataset: DatasetKey, since: string | undefined) => !since && !NOT_KEPT.has(dataset);

export const answerKey = (version: number, code: string, search: string, format: string) => `${version}|${code}|${format}|${search}`;

export function keptAnswer(key: string): KeptAnswer | undefined {
  const hit = kept.get(key);
  if (hit) {
    // Most recently used last, so the oldest is dropped first.
    kept.delete(key);
    kept.set(key, hit);
  }
  return hit;
}

export function keepAnswer(key: string, answer: KeptAnswer): void {
  kept.set(key, answer);
  if (kept.size > MAX_ENTRIES) kept.delete(kept.keys().next().value!);
}

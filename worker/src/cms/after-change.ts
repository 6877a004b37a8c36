/**
 * Right after a content change commits, the request works off what the change owes — the page updates of the
 * sites that show the document (render/render-queue.ts) and its search-index update (search/src/queue.ts) —
 * so an editor who gets "已发布" can open the page and find it. Neither can undo the change: a failure leaves
 * the tasks for the Cron Trigger and is reported in the answer (`pages.pending`, `index.pending`).
 */
import type { Env } from '../env.ts';
import { renderAfterChange } from '../render/render-queue.ts';
import { drainSearch } from '../search/backend.ts';
import { forgetContentVersion } from '../personal/content-version.ts';

export interface Settled {
  pages: { sites: number; pending: number; ms: number };
  index: { pending: boolean; ms: number };
}

export async function settleChange<T>(env: Env, documentId: string, value: T, waitUntil?: (p: Promise<unknown>) => void): Promise<T & Settled> {
  const t0 = Date.now();
  forgetContentVersion(); // 热点 and recommendations of this isolate see the change at once (personal/)
  const index = await drainSearch(env, documentId).then(
    (r) => r.failed === null,
    (e: unknown) => {
      console.error(`search update after ${documentId}:`, e);
      return false;
    },
  );
  const ms = Date.now() - t0;
  const rendered = await renderAfterChange(env, documentId, value, waitUntil);
  return { ...rendered, index: { pending: !index, ms } };
}

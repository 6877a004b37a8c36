/**
 * Where an import run's writes go. Two ways to the one store (worker/src/import/store.ts and runs.ts):
 *
 *  - workerStore: through a Worker's publishing API (/_ingest/import/…, worker/src/import/run-routes.ts) — a local
 *    `wrangler dev` on the state folder, the way `npm start` publishes. The Worker runs the store next to its D1,
 *    so a batch is one HTTP request, and this process reads the next batch meanwhile.
 *  - directStore: the same functions on bound D1 and R2 (wrangler's platform proxy) — `--remote`, where the
 *    production Worker is not ours to start.
 */
import type { ChildProcess } from 'node:child_process';
import type { Attachment, ImportRecordResult } from '@ywtc/cms-schema';
import { configuredBackend, drainSearchQueue } from '@ywtc/search';
import { importDocuments, type ImportSource } from '../../worker/src/import/store.ts';
import { importColumns, type ItemResult } from '../../worker/src/import/columns.ts';
import { storeAttachment } from '../../worker/src/import/attachments.ts';
import { freePort, newIngestToken, searchVarsFromEnv, startDevServer, stopProcessGroup, waitForHttp } from './platform.ts';
import { beginRun, recordUnmapped, saveProgress, type Counts, type RunSource, type RunStart } from '../../worker/src/import/runs.ts';

export type { Counts, RunSource, RunStart };

export interface IndexRound {
  tasks: number;
  indexed: number;
  failed: string | null;
}

export interface ImportStore {
  /** Registers the source and finds the run to continue; a new run's row is written under `runId`. */
  begin(source: RunSource, kind: 'crawl' | 'file', dryRun: boolean, runId: string): Promise<RunStart>;
  documents(source: ImportSource, records: readonly unknown[], dryRun: boolean): Promise<ImportRecordResult[]>;
  progress(runId: string, sourceId: string, counts: Counts, records: number, done: boolean): Promise<void>;
  columns(sourceId: string, columns: readonly unknown[]): Promise<ItemResult[]>;
  unmapped(sourceId: string, items: readonly { url: string; reason: string }[]): Promise<void>;
  attachment(name: string, bytes: Uint8Array, dryRun: boolean): Promise<Attachment | { error: string }>;
  /** One round of the search queue: what the imported documents owe the index. */
  indexRound(): Promise<IndexRound>;
}

export function directStore(env: { DB: D1Database; PAGES: R2Bucket }): ImportStore {
  const db = env.DB;
  return {
    async begin(source, kind, dryRun, runId) {
      const start = await beginRun(db, source, kind, dryRun, runId);
      if ('field' in start) throw new Error(`来源 ${source.id}：${start.field}：${start.message}`);
      return start;
    },
    documents: (source, records, dryRun) => importDocuments({ DB: db }, source, records, { dryRun, actor: `import:${source.id}` }),
    progress: (runId, _sourceId, counts, records, done) => saveProgress(db, runId, counts, records, done, new Date()),
    columns: (sourceId, columns) => importColumns(db, sourceId, columns),
    unmapped: (sourceId, items) => recordUnmapped(db, sourceId, items, new Date()),
    attachment: (name, bytes, dryRun) => storeAttachment(env.PAGES, name, bytes, { dryRun }),
    async indexRound() {
      const d = await drainSearchQueue(db, configuredBackend(db, process.env));
      return { tasks: d.tasks, indexed: d.indexed, failed: d.failed };
    },
  };
}

/** The publishing API of a Worker at `origin` (its bearer token). A non-2xx answer is an error naming it. */
export function workerStore(origin: string, token: string): ImportStore {
  const call = async <T>(method: string, path: string, body: unknown): Promise<T> => {
    const binary = body instanceof Uint8Array;
    const res = await fetch(`${origin}/_ingest/import${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': binary ? 'application/octet-stream' : 'application/json' },
      body: binary ? new Blob([new Uint8Array(body)]) : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} /_ingest/import${path}：HTTP ${res.status} ${(await res.text()).slice(0, 500)}`);
    const answer: T = await res.json();
    return answer;
  };
  return {
    begin: (source, kind, dryRun, runId) => call('POST', '/runs', { source, kind, dryRun, runId }),
    async documents(source, records, dryRun) {
      const body = { source: { id: source.id, siteIds: source.siteIds, hidden: source.hidden }, records, dryRun };
      return (await call<{ results: ImportRecordResult[] }>('POST', '/documents', body)).results;
    },
    async progress(runId, sourceId, counts, records, done) {
      await call('POST', `/runs/${encodeURIComponent(runId)}`, { sourceId, counts, records, done });
    },
    async columns(sourceId, columns) {
      return (await call<{ results: ItemResult[] }>('POST', '/columns', { sourceId, columns })).results;
    },
    async unmapped(sourceId, items) {
      for (let i = 0; i < items.length; i += 1000) await call('POST', '/unmapped', { sourceId, items: items.slice(i, i + 1000) });
    },
    attachment: (name, bytes, dryRun) => call('PUT', `/attachments/${encodeURIComponent(name)}${dryRun ? '?dryRun=1' : ''}`, bytes),
    indexRound: () => call('POST', '/index', {}),
  };
}

/**
 * A Worker of the import's own on a local state folder (the page Worker alone, frozen bundle): its store, and the
 * dev server to stop afterwards. `detached: false` keeps it in the caller's process group, so whatever stops the
 * caller stops it too.
 */
export async function startImportWorker(stateDir: string, opts: { detached: boolean }): Promise<{ store: ImportStore; dev: ChildProcess }> {
  const port = await freePort();
  const token = newIngestToken();
  const dev = startDevServer(port, 'pipe', stateDir, token, { frozen: true, detached: opts.detached, vars: searchVarsFromEnv() });
  dev.stdout?.resume();
  dev.stderr?.resume();
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${origin}/healthz`, 120_000);
  } catch (e) {
    stopProcessGroup(dev);
    throw e;
  }
  return { store: workerStore(origin, token), dev };
}

/**
 * One import run of `npm run import` (and of bench:import and the kill test): events from a reader (the crawler,
 * a file reader) in, batches to the import store out (scripts/lib/import-store.ts: through a Worker's publishing
 * API, or directly on bound D1 and R2 — either way worker/src/import/store.ts, the code the push API runs), with a
 * progress line, a per-record report (CSV) and a run row in D1 (import_runs) that says how far it got.
 *
 * Resuming after a kill: the run row keeps the number of records consumed; a new run of the same source
 * continues the unfinished one from there (a file reader skips that many records cheaply; the crawler skips
 * pages whose URL the store already has). The row is written after each batch commits, so a kill between the
 * two only makes the next run see a batch again — which the store answers 'unchanged': nothing is written twice.
 * A dry run decides everything and writes nothing to D1 or R2 (not even its run row); its report says what
 * would have happened.
 */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { IMPORT_OUTCOMES, MAX_BATCH_DOCUMENTS, type ImportDocumentInput, type ImportRecordResult } from '@ywtc/cms-schema';
import type { ImportSource } from '../../worker/src/import/store.ts';
import { emptyCounts } from '../../worker/src/import/runs.ts';
import type { Counts, ImportStore, RunStart } from './import-store.ts';

export interface FetchedAttachment {
  name: string;
  url: string;
  bytes?: Uint8Array;
}

export type ImportEvent =
  | { type: 'document'; record: ImportDocumentInput; attachments?: FetchedAttachment[]; notes?: string[] }
  | { type: 'column'; column: unknown }
  | { type: 'unmapped'; url: string; reason: string }
  | { type: 'failed'; url?: string; sourceId?: string | null; index?: number; reason: string }
  | { type: 'page'; url: string; status?: number; ms?: number };

export interface RunOptions {
  source: ImportSource & { name: string };
  kind: 'crawl' | 'file';
  dryRun?: boolean;
  batchSize?: number;
  /** Where the per-record CSV report goes. */
  reportPath?: string;
  /** Called after each batch (the progress line). */
  onProgress?: (p: RunProgress) => void;
  /** Fetches an attachment a reader only named (RSS enclosures); the crawler hands over bytes itself. */
  fetchAttachment?: (url: string) => Promise<Uint8Array | null>;
}

export interface RunProgress {
  runId: string;
  records: number;
  pages: number;
  counts: Counts;
  seconds: number;
}
export interface RunSummary extends RunProgress {
  resumedFrom: number;
  unmapped: number;
  failureReasons: [string, number][];
}

const csvCell = (v: string | null | undefined) => {
  const s = v ?? '';
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s; // a spreadsheet must not run a formula from an imported title
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

class Report {
  private out: WriteStream | null;
  constructor(path: string | undefined) {
    if (path) mkdirSync(dirname(path), { recursive: true });
    this.out = path ? createWriteStream(path, { encoding: 'utf8' }) : null;
    this.out?.write('\uFEFF记录标识,结果,文档,字段,原因,提示\n');
  }
  row(r: Pick<ImportRecordResult, 'sourceId' | 'outcome' | 'documentId' | 'field' | 'reason' | 'warnings'>) {
    this.out?.write([r.sourceId, IMPORT_OUTCOMES[r.outcome], r.documentId, r.field, r.reason, r.warnings.join('；')].map(csvCell).join(',') + '\n');
  }
  close(): Promise<void> {
    return new Promise((resolve) => (this.out ? this.out.end(resolve) : resolve()));
  }
}

/**
 * Runs a reader's events through the store. The store is asked first for the run to continue; `events` gets
 * what it said (a file reader then starts after the records already consumed, a crawler skips imported URLs).
 */
export async function runImport(store: ImportStore, events: (start: RunStart) => AsyncIterable<ImportEvent>, opts: RunOptions): Promise<RunSummary> {
  const dryRun = opts.dryRun ?? false;
  const size = Math.min(opts.batchSize ?? MAX_BATCH_DOCUMENTS, MAX_BATCH_DOCUMENTS);
  const t0 = performance.now();
  const source = opts.source;
  const newRunId = `imp-${new Date()
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}-${source.id}`.slice(0, 60);
  const start = await store.begin({ id: source.id, name: source.name, siteIds: [...source.siteIds], hidden: source.hidden }, opts.kind, dryRun, newRunId);
  const resume = start.resume;
  const runId = start.runId;
  const counts = resume ? { ...resume.counts } : emptyCounts();
  const reasons = new Map<string, number>();
  const report = new Report(opts.reportPath);
  let records = resume?.records ?? 0;
  /** Events consumed since the last commit: counted into `records` only when their batch is written. */
  let pending = 0;
  let pages = 0;
  let unmapped: { url: string; reason: string }[] = [];
  let unmappedTotal = 0;

  const fail = (sourceId: string, reason: string, field?: string) => {
    counts.failed++;
    reasons.set(reason.slice(0, 60), (reasons.get(reason.slice(0, 60)) ?? 0) + 1);
    report.row({ sourceId, outcome: 'failed', documentId: null, field, reason, warnings: [] });
  };

  let batch: { record: ImportDocumentInput; warnings: string[] }[] = [];
  /** Records the reader could not make since the last batch was sent: reported with the batch they were read in. */
  let readerFailures: { sourceId: string; reason: string }[] = [];
  const flushUnmapped = async () => {
    if (!dryRun && unmapped.length) await store.unmapped(source.id, unmapped);
    unmapped = [];
  };
  /**
   * One batch in flight: while the store writes batch k, the reader goes on making batch k+1 (a crawl keeps
   * fetching, a file keeps parsing), and batch k+1 is sent only once batch k has committed — so deduplication
   * sees every earlier batch, and the run's cursor counts only what is written.
   */
  let inFlight: {
    results: Promise<ImportRecordResult[]>;
    batch: typeof batch;
    consumed: number;
    readerFailures: typeof readerFailures;
  } | null = null;
  const settle = async () => {
    if (!inFlight) return;
    const sent = inFlight;
    inFlight = null;
    const results = await sent.results;
    for (const f of sent.readerFailures) fail(f.sourceId, f.reason);
    for (const [i, r] of results.entries()) {
      const warnings = [...sent.batch[i]!.warnings, ...r.warnings];
      if (r.outcome === 'failed') {
        fail(r.sourceId, r.reason ?? '', r.field);
        continue;
      }
      counts[r.outcome]++;
      report.row({ ...r, warnings });
    }
    records += sent.consumed;
    await flushUnmapped();
    if (!dryRun) await store.progress(runId, source.id, counts, records, false);
    opts.onProgress?.({ runId, records, pages, counts, seconds: (performance.now() - t0) / 1000 });
  };
  const send = async () => {
    if (!pending) return;
    await settle();
    const records = batch.map((b) => b.record);
    const results = records.length ? store.documents(source, records, dryRun) : Promise.resolve([]);
    results.catch(() => undefined); // awaited, and thrown, by settle()
    inFlight = { results, batch, consumed: pending, readerFailures };
    batch = [];
    readerFailures = [];
    pending = 0;
  };

  for await (const e of events(start)) {
    if (e.type === 'page') pages++;
    else if (e.type === 'unmapped') {
      unmappedTotal++;
      unmapped.push({ url: e.url, reason: e.reason });
      if (unmapped.length >= 1000) await flushUnmapped();
    } else if (e.type === 'failed') {
      // A record the reader could not make (a malformed row, a page that would not load) counts as consumed.
      pending++;
      readerFailures.push({ sourceId: e.sourceId ?? e.url ?? `#${e.index ?? '?'}`, reason: e.reason });
    } else if (e.type === 'column') {
      if (!dryRun) for (const r of await store.columns(source.id, [e.column])) if (r.outcome === 'failed') console.error(`栏目 ${r.id}：${r.reason ?? ''}`);
    } else {
      const warnings: string[] = [...(e.notes ?? [])];
      const attachments = [...((e.record.attachments as unknown[] | undefined) ?? [])];
      for (const a of e.attachments ?? []) {
        const bytes = a.bytes ?? (await opts.fetchAttachment?.(a.url)) ?? null;
        if (!bytes) {
          warnings.push(`附件“${a.name}”无法下载：${a.url}`);
          continue;
        }
        const stored = await store.attachment(a.name, bytes, dryRun);
        if ('error' in stored) warnings.push(`附件“${a.name}”未导入：${stored.error}`);
        else attachments.push({ ...stored, url: a.url });
      }
      batch.push({ record: { ...e.record, attachments } as ImportDocumentInput, warnings });
      pending++;
      if (batch.length >= size) await send();
    }
  }
  await send();
  await settle();
  await flushUnmapped();
  if (!dryRun) await store.progress(runId, source.id, counts, records, true);
  await report.close();
  return {
    runId,
    records,
    pages,
    counts,
    seconds: (performance.now() - t0) / 1000,
    resumedFrom: resume?.records ?? 0,
    unmapped: unmappedTotal,
    failureReasons: [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 10),
  };
}

/**
 * One import run of `npm run import` (and of bench:import and the kill test): events from a reader (the crawler,
 * a file reader) in, batches through the Worker's import store out (worker/src/import/store.ts — the same code
 * the push API runs), with a progress line, a per-record report (CSV) and a run row in D1 (import_runs) that
 * says how far it got.
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
import { IMPORT_OUTCOMES, MAX_BATCH_DOCUMENTS, type ImportDocumentInput, type ImportOutcome, type ImportRecordResult } from '@ywtc/cms-schema';
import { importDocuments, type ImportSource } from '../../worker/src/import/store.ts';
import { importColumns } from '../../worker/src/import/columns.ts';
import { storeAttachment } from '../../worker/src/import/attachments.ts';

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

export interface RunEnv {
  DB: D1Database;
  PAGES: R2Bucket;
}

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

export type Counts = Record<ImportOutcome, number>;
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

const emptyCounts = (): Counts => ({ imported: 0, updated: 0, unchanged: 0, merged: 0, deleted: 0, failed: 0 });

/** A run of this source killed before it finished, to be continued: its id and how many records it had consumed. */
export async function unfinishedRun(db: D1Database, sourceId: string): Promise<{ id: string; records: number; counts: Counts } | null> {
  const row = await db
    .prepare("SELECT id, cursor, counts FROM import_runs WHERE source_id = ? AND state = 'running' AND dry_run = 0 ORDER BY started_at DESC LIMIT 1")
    .bind(sourceId)
    .first<{ id: string; cursor: string | null; counts: string }>();
  if (!row) return null;
  const cursor = row.cursor ? (JSON.parse(row.cursor) as { records?: number }) : {};
  return { id: row.id, records: cursor.records ?? 0, counts: { ...emptyCounts(), ...(JSON.parse(row.counts) as Partial<Counts>) } };
}

/** Old URLs of this source already in the store: the crawler need not fetch them again. */
export async function importedUrls(db: D1Database, sourceId: string): Promise<Set<string>> {
  const { results } = await db
    .prepare("SELECT record_id FROM import_records WHERE source_id = ? AND outcome <> 'failed'")
    .bind(sourceId)
    .all<{ record_id: string }>();
  return new Set(results.map((r) => r.record_id));
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
 * Runs the events through the store. `resume` is the unfinished run being continued (its events must already
 * start after the records it consumed). Returns the counts of this run and of the records before it.
 */
export async function runImport(
  env: RunEnv,
  events: AsyncIterable<ImportEvent>,
  opts: RunOptions,
  resume: { id: string; records: number; counts: Counts } | null = null,
): Promise<RunSummary> {
  const db = env.DB;
  const dryRun = opts.dryRun ?? false;
  const size = Math.min(opts.batchSize ?? MAX_BATCH_DOCUMENTS, MAX_BATCH_DOCUMENTS);
  const t0 = performance.now();
  const runId =
    resume?.id ??
    `imp-${new Date()
      .toISOString()
      .replace(/[-:.TZ]/g, '')
      .slice(0, 14)}-${opts.source.id}`.slice(0, 60);
  const counts = resume ? { ...resume.counts } : emptyCounts();
  const reasons = new Map<string, number>();
  const report = new Report(opts.reportPath);
  let records = resume?.records ?? 0;
  /** Events consumed since the last commit: counted into `records` only when their batch is written. */
  let pending = 0;
  let pages = 0;
  let unmapped = 0;
  if (!dryRun && !resume)
    await db
      .prepare(
        "INSERT INTO import_runs (id, source_id, kind, dry_run, state, started_at, counts, cursor) VALUES (?, ?, ?, 0, 'running', ?, '{}', '{\"records\":0}')",
      )
      .bind(runId, opts.source.id, opts.kind, new Date().toISOString())
      .run();

  const fail = (sourceId: string, reason: string, field?: string) => {
    counts.failed++;
    reasons.set(reason.slice(0, 60), (reasons.get(reason.slice(0, 60)) ?? 0) + 1);
    report.row({ sourceId, outcome: 'failed', documentId: null, field, reason, warnings: [] });
  };

  let batch: { record: ImportDocumentInput; warnings: string[] }[] = [];
  const flush = async () => {
    if (!pending) return;
    const results = batch.length
      ? await importDocuments(
          env,
          opts.source,
          batch.map((b) => b.record),
          { dryRun, actor: `import:${opts.source.id}` },
        )
      : [];
    for (const [i, r] of results.entries()) {
      const warnings = [...batch[i]!.warnings, ...r.warnings];
      if (r.outcome === 'failed') {
        fail(r.sourceId, r.reason ?? '', r.field);
        continue;
      }
      counts[r.outcome]++;
      report.row({ ...r, warnings });
    }
    records += pending;
    pending = 0;
    batch = [];
    if (!dryRun)
      await db.prepare('UPDATE import_runs SET counts = ?, cursor = ? WHERE id = ?').bind(JSON.stringify(counts), JSON.stringify({ records }), runId).run();
    opts.onProgress?.({ runId, records, pages, counts, seconds: (performance.now() - t0) / 1000 });
  };

  for await (const e of events) {
    if (e.type === 'page') pages++;
    else if (e.type === 'unmapped') {
      unmapped++;
      if (!dryRun) {
        const u = new URL(e.url);
        await db
          .prepare(
            'INSERT INTO import_unmapped (host, path, source_id, reason, hits, last_seen) VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (host, path) DO UPDATE SET reason = excluded.reason, last_seen = excluded.last_seen',
          )
          .bind(u.hostname, u.pathname + u.search, opts.source.id, e.reason, new Date().toISOString())
          .run();
      }
    } else if (e.type === 'failed') {
      // A record the reader could not make (a malformed row, a page that would not load) counts as consumed.
      pending++;
      fail(e.sourceId ?? e.url ?? `#${e.index ?? '?'}`, e.reason);
    } else if (e.type === 'column') {
      if (!dryRun)
        for (const r of await importColumns(db, opts.source.id, [e.column])) if (r.outcome === 'failed') console.error(`栏目 ${r.id}：${r.reason ?? ''}`);
    } else {
      const warnings: string[] = [...(e.notes ?? [])];
      const attachments = [...((e.record.attachments as unknown[] | undefined) ?? [])];
      for (const a of e.attachments ?? []) {
        const bytes = a.bytes ?? (await opts.fetchAttachment?.(a.url)) ?? null;
        if (!bytes) {
          warnings.push(`附件“${a.name}”无法下载：${a.url}`);
          continue;
        }
        const stored = await storeAttachment(env.PAGES, a.name, bytes, { dryRun });
        if ('error' in stored) warnings.push(`附件“${a.name}”未导入：${stored.error}`);
        else attachments.push({ ...stored, url: a.url });
      }
      batch.push({ record: { ...e.record, attachments } as ImportDocumentInput, warnings });
      pending++;
      if (batch.length >= size) await flush();
    }
  }
  await flush();
  if (!dryRun)
    await db
      .prepare("UPDATE import_runs SET state = 'done', finished_at = ?, counts = ?, cursor = ? WHERE id = ?")
      .bind(new Date().toISOString(), JSON.stringify(counts), JSON.stringify({ records }), runId)
      .run();
  await report.close();
  return {
    runId,
    records,
    pages,
    counts,
    seconds: (performance.now() - t0) / 1000,
    resumedFrom: resume?.records ?? 0,
    unmapped,
    failureReasons: [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 10),
  };
}

/**
 * A source configuration (scripts/import/sources/*.json) → the events one import run consumes: the crawler's
 * for a website, the file readers' for an export. Attachments travel as bytes (crawled) or as links (a feed's
 * enclosures), and scripts/lib/import-run.ts stores them in R2 itself — through the Worker's attachment code, which
 * judges each file's type — so a record names only what was actually stored.
 */
import type { ImportDocumentInput } from '@ywtc/cms-schema';
import { CrawlSourceSchema, type CrawlSource } from './crawl/config.ts';
import { crawlSite } from './crawl/crawl.ts';
import { FileSourceSchema, type FileSource } from './files/config.ts';
import { readFileSource } from './files/read-source.ts';
import type { ImportEvent } from '../lib/import-run.ts';

export type ImportSourceConfig = CrawlSource | FileSource;

/** Validates a source configuration; the error names the file and the field, in Chinese. */
export function loadImportSource(value: unknown, where: string): ImportSourceConfig {
  const type = (value as { type?: unknown } | null)?.type;
  const parsed = type === 'crawl' ? CrawlSourceSchema.safeParse(value) : type === 'file' ? FileSourceSchema.safeParse(value) : null;
  if (!parsed) throw new Error(`${where}：type 须为 "crawl"（网站采集）或 "file"（文件导入）`);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${where}：${issue.path.join('.') || '配置'}：${issue.message}`);
  }
  return parsed.data;
}

export interface EventOptions {
  /** The export to read (a file source); its configured default otherwise. */
  file?: string;
  /** Records of the file an earlier, interrupted run got through. */
  startAt?: number;
  /** Pages the store already has (the crawler need not fetch them again). */
  skip?: (url: string) => boolean;
  signal?: AbortSignal;
}

async function* crawlEvents(config: CrawlSource, opts: EventOptions): AsyncGenerator<ImportEvent> {
  for await (const e of crawlSite(config, { ...(opts.skip ? { skip: opts.skip } : {}), ...(opts.signal ? { signal: opts.signal } : {}) })) {
    if (e.type !== 'document') {
      yield e;
      continue;
    }
    // publishedAt may be missing: the store then refuses the record by that field, which the report shows.
    const record = { ...e.record, attachments: [] } as ImportDocumentInput;
    yield { type: 'document', record, attachments: e.attachments.map((a) => ({ name: a.name, url: a.url, bytes: a.bytes })), notes: e.notes };
  }
}

async function* fileEvents(config: FileSource, path: string, opts: EventOptions): AsyncGenerator<ImportEvent> {
  for await (const e of readFileSource(config, path, { startAt: opts.startAt ?? 0 })) {
    if (e.type === 'failed') yield { type: 'failed', index: e.index, sourceId: e.sourceId, reason: e.reason };
    else yield { type: 'document', record: e.record, attachments: e.attachments.map((a) => ({ name: a.name, url: a.url })) };
  }
}

export function eventsOf(config: ImportSourceConfig, opts: EventOptions): AsyncIterable<ImportEvent> {
  if (config.type === 'crawl') return crawlEvents(config, opts);
  if (!opts.file) throw new Error(`来源 ${config.id} 是文件导入：请用 --file 给出导出文件`);
  return fileEvents(config, opts.file, opts);
}

/** Shared by the file importer tests: collecting a reader's events, example sources, temporary files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFileSource, parseFileSource, type FileSource } from '../files/config.ts';
import type { DocumentEvent, FailedEvent, FileEvent } from '../files/events.ts';

export const SOURCES = join(import.meta.dirname, '../sources');
export const EXAMPLES = join(SOURCES, 'examples');
export const example = (name: string): FileSource => loadFileSource(join(SOURCES, name));

export async function collect<T>(events: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const e of events) out.push(e);
  return out;
}
export const documents = (events: FileEvent[]) => events.filter((e): e is DocumentEvent => e.type === 'document');
export const failures = (events: FileEvent[]) => events.filter((e): e is FailedEvent => e.type === 'failed');

/** A file in a fresh temporary directory. */
export function tempFile(name: string, content: string | Uint8Array): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ywtc-files-')), name);
  writeFileSync(path, content);
  return path;
}

/** A source of `format` reading `id`, `title`, `time`, `body` into a column yw of nanning. */
export const simpleSource = (format: FileSource['format'], extra: Record<string, unknown> = {}): FileSource =>
  parseFileSource({
    type: 'file',
    id: `test-${format}`,
    name: '测试来源',
    siteId: 'nanning',
    format,
    idField: 'id',
    mapping: { title: 'title', publishedAt: 'time', bodyHtml: 'body' },
    defaults: { column: 'yw' },
    ...extra,
  });

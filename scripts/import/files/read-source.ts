/**
 * One configured file source read into import records: the format's reader, then the mapping. Duplicate source
 * ids within the file are failed after the first (the store would otherwise let the last one win silently), and
 * `startAt` lets a resumed run skip the records an earlier run got through — they are still read, to keep the
 * duplicate check whole and the indexes the same, but not mapped.
 */
import type { FileSource } from './config.ts';
import { failed, type FileEvent, type RawEvent } from './events.ts';
import { compileMapping, sourceIdOf } from './mapping.ts';
import { readCsv } from './read-csv.ts';
import { readFeed } from './read-feed.ts';
import { readJson } from './read-json.ts';
import { readJsonl } from './read-jsonl.ts';
import { readXmlElements } from './xml-elements.ts';

export interface ReadOptions {
  /** Records (by index, failures included) before this one are skipped: a resumed run. */
  startAt?: number;
  /** Largest record in bytes (default 2 MB). */
  limit?: number;
}

/** The format's reader: records as read, before mapping. */
export function readRaw(source: FileSource, path: string, limit?: number): AsyncGenerator<RawEvent> {
  const encoding = source.encoding;
  switch (source.format) {
    case 'json':
      return readJson(path, { records: source.records, encoding, limit });
    case 'jsonl':
      return readJsonl(path, { encoding, limit });
    case 'csv':
      return readCsv(path, { encoding, delimiter: source.delimiter, limit });
    case 'xml':
      return readXmlElements(path, { path: source.records!.split('.'), encoding, limit });
    case 'rss':
      return readFeed(path, { encoding, limit });
  }
}

export async function* readFileSource(source: FileSource, path: string, options: ReadOptions = {}): AsyncGenerator<FileEvent> {
  const startAt = options.startAt ?? 0;
  const map = compileMapping(source);
  const firstSeen = new Map<string, number>();
  for await (const ev of readRaw(source, path, options.limit)) {
    const skip = ev.index < startAt;
    if (ev.type === 'failed') {
      if (!skip) yield ev;
      continue;
    }
    const id = sourceIdOf(source, ev.value);
    const first = id === null ? undefined : firstSeen.get(id);
    if (id !== null && first === undefined) firstSeen.set(id, ev.index);
    if (skip) continue;
    if (first !== undefined) {
      yield failed(ev.index, ev.line, `记录标识重复，与第 ${first + 1} 条相同`, id);
      continue;
    }
    const m = map(ev.value);
    if (!m.ok) yield failed(ev.index, ev.line, m.reason, m.sourceId);
    else yield { type: 'document', index: ev.index, line: ev.line, record: m.record, attachments: m.attachments };
  }
}

/**
 * CSV exports (RFC 4180): the first row names the columns; every later row becomes an object keyed by them. Rows
 * are cut out by records.ts (newlines inside quotes kept, so a body with paragraphs is one row) and split into
 * fields here, so a malformed row — text after a closing quote, a wrong number of columns — fails alone and the
 * rows after it are read as usual. Not csv-parse: its stream loses every row after a record it skips (an
 * oversize one, a stray quote), and it reads ≈ 3 MB/s of Chinese text here, 40 s for the 100,000-record corpus.
 */
import { decodeFile, type FileEncoding } from './decode.ts';
import { BAD_BYTES, failed, REPLACEMENT, type RawEvent } from './events.ts';
import { splitRecords, unreadable } from './records.ts';

export class CsvHeaderError extends Error {}

/** One row's fields: "…" quoted ("" is a quote inside), else up to the next delimiter. */
export function parseRow(text: string, delimiter: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q < 0) throw new Error(`第 ${fields.length + 1} 列的引号没有闭合`);
        value += text.slice(from, q);
        if (text[q + 1] === '"') {
          value += '"';
          from = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i < text.length && !text.startsWith(delimiter, i)) throw new Error(`第 ${fields.length} 列的引号后还有其他字符`);
    } else {
      const d = text.indexOf(delimiter, i);
      const end = d < 0 ? text.length : d;
      fields.push(text.slice(i, end));
      i = end;
    }
    if (i >= text.length) return fields;
    i += delimiter.length;
  }
}

export async function* readCsv(path: string, options: { encoding?: FileEncoding; delimiter?: string; limit?: number } = {}): AsyncGenerator<RawEvent> {
  const delimiter = options.delimiter ?? ',';
  let header: string[] | null = null;
  let index = 0;
  for await (const rec of splitRecords(decodeFile(path, options.encoding), { quotes: true, limit: options.limit })) {
    if (rec.text !== null && !rec.text.trim() && !rec.unclosedQuote) continue;
    if (!header) {
      if (rec.text === null || rec.unclosedQuote)
        throw new CsvHeaderError(`CSV 表头（第 ${rec.line} 行）无法读取：${rec.text === null ? '过长' : '引号没有闭合'}`);
      header = parseRow(rec.text.replace(/^\uFEFF/, ''), delimiter).map((h) => h.trim());
      if (rec.text.includes(REPLACEMENT)) throw new CsvHeaderError(`CSV 表头${BAD_BYTES}`);
      const seen = new Set<string>();
      for (const [i, h] of header.entries()) {
        if (!h) throw new CsvHeaderError(`CSV 表头第 ${i + 1} 列没有列名`);
        if (seen.has(h)) throw new CsvHeaderError(`CSV 表头列名“${h}”重复`);
        seen.add(h);
      }
      continue;
    }
    const i = index++;
    if (rec.unclosedQuote) {
      yield failed(i, rec.line, `引号没有闭合，从第 ${rec.line} 行到文件末尾都无法读取`);
      continue;
    }
    const bad = unreadable(i, rec);
    if (bad || rec.text === null) {
      if (bad) yield bad;
      continue;
    }
    let row: string[];
    try {
      row = parseRow(rec.text, delimiter);
    } catch (e) {
      yield failed(i, rec.line, `CSV 格式错误（${(e as Error).message.slice(0, 100)}）`);
      continue;
    }
    if (row.length !== header.length) {
      yield failed(i, rec.line, `有 ${row.length} 列，表头有 ${header.length} 列`);
      continue;
    }
    yield { type: 'record', index: i, line: rec.line, value: Object.fromEntries(header.map((h, c) => [h, row[c]!])) };
  }
}

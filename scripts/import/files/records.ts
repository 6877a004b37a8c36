/**
 * Text chunks → the file's records, one at a time: JSON Lines split at every newline, CSV at newlines outside
 * double quotes (a quoted field may hold newlines; "" inside quotes is an escaped quote and toggles twice, so
 * counting quotes is enough). A record longer than the limit is not kept — only counted until it ends — so one
 * runaway line (or an unclosed quote) costs a failed record, not the process's memory.
 */
import { BAD_BYTES, REPLACEMENT, failed, type FailedEvent } from './events.ts';

/** A record (a JSONL line, a CSV row, an XML element, an array element) larger than this is refused. */
export const MAX_RECORD_BYTES = 2 * 1024 * 1024;
export const MAX_RECORD_LABEL = '2 MB';

/** UTF-8 size of `s` (a surrogate pair's two units make its four bytes). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c < 0xe000 ? 2 : 3;
  }
  return n;
}

/** Whether `s` is over `limit` UTF-8 bytes, counted only when the length alone cannot decide (at most 3 bytes per unit). */
export function overLimit(s: string, limit = MAX_RECORD_BYTES): boolean {
  if (s.length > limit) return true;
  if (s.length * 3 <= limit) return false;
  return utf8Length(s) > limit;
}

/** Why a split record cannot be read at all (over the size limit, bytes the encoding cannot read), or null. */
export function unreadable(index: number, rec: RawRecord): FailedEvent | null {
  if (rec.text === null) return failed(index, rec.line, `记录超过 ${MAX_RECORD_LABEL}，未读取`);
  if (rec.text.includes(REPLACEMENT)) return failed(index, rec.line, BAD_BYTES);
  return null;
}

export interface RawRecord {
  /** The record's text without its line ending; null when it was over the limit. */
  text: string | null;
  /** 1-based line of the file where the record starts. */
  line: number;
  /** True when the file ended inside a quoted field (CSV). */
  unclosedQuote: boolean;
}

/** Splits text into records; with `quotes`, newlines inside double quotes do not end a record. */
export async function* splitRecords(chunks: AsyncIterable<string>, options: { quotes: boolean; limit?: number }): AsyncGenerator<RawRecord> {
  const limit = options.limit ?? MAX_RECORD_BYTES;
  let parts: string[] = [];
  let size = 0;
  let oversize = false;
  let inQuotes = false;
  let line = 1; // the line the current record started on
  let newlines = 0; // newlines inside the current record (quoted)
  const take = (piece: string) => {
    if (oversize) return;
    size += piece.length;
    if (size > limit || (size * 3 > limit && overLimit(parts.join('') + piece, limit))) {
      oversize = true;
      parts = [];
      return;
    }
    parts.push(piece);
  };
  const finish = (): RawRecord => {
    let text: string | null = oversize ? null : parts.join('');
    if (text !== null && text.endsWith('\r')) text = text.slice(0, -1);
    const rec: RawRecord = { text, line, unclosedQuote: false };
    line += newlines + 1;
    parts = [];
    size = 0;
    oversize = false;
    newlines = 0;
    return rec;
  };
  for await (const chunk of chunks) {
    let from = 0;
    while (from < chunk.length) {
      const nl = chunk.indexOf('\n', from);
      const end = nl < 0 ? chunk.length : nl;
      if (options.quotes) {
        for (let q = chunk.indexOf('"', from); q >= 0 && q < end; q = chunk.indexOf('"', q + 1)) inQuotes = !inQuotes;
      }
      if (nl < 0) {
        take(chunk.slice(from));
        break;
      }
      if (inQuotes) {
        take(chunk.slice(from, nl + 1));
        newlines++;
      } else {
        take(chunk.slice(from, nl));
        yield finish();
      }
      from = nl + 1;
    }
  }
  if (size > 0 || oversize || inQuotes) {
    const rec = finish();
    rec.unclosedQuote = inQuotes;
    yield rec;
  }
}

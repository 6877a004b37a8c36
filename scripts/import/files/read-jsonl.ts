/** JSON Lines exports: one record per line, read line by line (blank lines skipped, still counted for line numbers). */
import { decodeFile, type FileEncoding } from './decode.ts';
import { failed, type RawEvent } from './events.ts';
import { splitRecords, unreadable } from './records.ts';

export async function* readJsonl(path: string, options: { encoding?: FileEncoding; limit?: number } = {}): AsyncGenerator<RawEvent> {
  let index = 0;
  for await (const rec of splitRecords(decodeFile(path, options.encoding), { quotes: false, limit: options.limit })) {
    if (rec.text !== null && !rec.text.trim()) continue;
    const i = index++;
    const bad = unreadable(i, rec);
    if (bad || rec.text === null) {
      if (bad) yield bad;
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(rec.text);
    } catch (e) {
      yield failed(i, rec.line, `不是合法的 JSON（${(e as Error).message.slice(0, 80)}）`);
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield failed(i, rec.line, '每行须是一个 JSON 对象');
      continue;
    }
    yield { type: 'record', index: i, line: rec.line, value };
  }
}

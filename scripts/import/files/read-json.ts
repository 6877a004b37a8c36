/**
 * JSON exports: one array of records, either the whole file (`[{…}, …]`) or at a dotted path inside it
 * (`{"data": {"list": [{…}]}}` with records = "data.list"). The file is scanned as it streams — only the
 * structure around the array is followed, and each element's text is cut out and parsed on its own — so a large
 * export costs one record's memory, and a broken element fails alone while the scan goes on to the next one.
 */
import { decodeFile, type FileEncoding } from './decode.ts';
import { BAD_BYTES, failed, REPLACEMENT, type RawEvent } from './events.ts';
import { MAX_RECORD_BYTES, MAX_RECORD_LABEL, overLimit } from './records.ts';

export class JsonFileError extends Error {}

interface Container {
  kind: 'object' | 'array';
  /** Object: the key whose value is being read (null before the first key). */
  key: string | null;
  expectKey: boolean;
  /** Array: the array of records. */
  target: boolean;
}

interface Capture {
  parts: string[];
  size: number;
  oversize: boolean;
  depth: number;
  inString: boolean;
  escaped: boolean;
  primitive: boolean;
  line: number;
}

const [QUOTE, BACKSLASH, OPEN_OBJ, CLOSE_OBJ, OPEN_ARR, CLOSE_ARR, COMMA, COLON, NEWLINE] = ['"', '\\', '{', '}', '[', ']', ',', ':', '\n'].map((c) =>
  c.charCodeAt(0),
) as [number, number, number, number, number, number, number, number, number];
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xfeff;

export async function* readJson(path: string, options: { records?: string; encoding?: FileEncoding; limit?: number } = {}): AsyncGenerator<RawEvent> {
  const limit = options.limit ?? MAX_RECORD_BYTES;
  const want = options.records ? options.records.split('.') : [];
  const stack: Container[] = [];
  let line = 1;
  let inString = false;
  let escaped = false;
  let keyText: string[] | null = null; // the object key being read
  let cap: Capture | null = null;
  let found = false;
  let index = 0;
  let rootSeen = false;

  const isTarget = () => stack.length === want.length && stack.every((f, i) => f.kind === 'object' && f.key === want[i]) && (want.length > 0 || !rootSeen);
  const keep = (c: Capture, piece: string) => {
    if (c.oversize) return;
    c.size += piece.length;
    if (c.size * 3 > limit && overLimit(c.parts.join('') + piece, limit)) {
      c.oversize = true;
      c.parts = [];
    } else c.parts.push(piece);
  };
  const finish = (c: Capture): RawEvent => {
    const i = index++;
    if (c.oversize) return failed(i, c.line, `记录超过 ${MAX_RECORD_LABEL}，未读取`);
    const text = c.parts.join('');
    if (text.includes(REPLACEMENT)) return failed(i, c.line, BAD_BYTES);
    if (c.primitive) return failed(i, c.line, `数组元素须是 JSON 对象，而不是“${text.slice(0, 20)}”`);
    try {
      return { type: 'record', index: i, line: c.line, value: JSON.parse(text) as unknown };
    } catch (e) {
      return failed(i, c.line, `不是合法的 JSON（${(e as Error).message.slice(0, 80)}）`);
    }
  };

  for await (const chunk of decodeFile(path, options.encoding)) {
    const out: RawEvent[] = [];
    let i = 0;
    while (i < chunk.length) {
      if (cap) {
        // Inside an element: find where it ends, following only strings and nesting.
        const c = cap;
        const start = i;
        let end = -1;
        for (; i < chunk.length; i++) {
          const ch = chunk.charCodeAt(i);
          if (ch === NEWLINE) line++;
          if (c.inString) {
            if (c.escaped) c.escaped = false;
            else if (ch === BACKSLASH) c.escaped = true;
            else if (ch === QUOTE) c.inString = false;
          } else if (c.primitive) {
            if (ch === COMMA || ch === CLOSE_ARR || isSpace(ch)) {
              end = i;
              break;
            }
          } else if (ch === QUOTE) c.inString = true;
          else if (ch === OPEN_OBJ || ch === OPEN_ARR) c.depth++;
          else if (ch === CLOSE_OBJ || ch === CLOSE_ARR) {
            if (--c.depth === 0) {
              end = i + 1;
              i++;
              break;
            }
          }
        }
        keep(c, chunk.slice(start, end < 0 ? chunk.length : end));
        if (end >= 0) {
          out.push(finish(c));
          cap = null;
        }
        continue;
      }
      const ch = chunk.charCodeAt(i);
      if (ch === NEWLINE) line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === BACKSLASH) escaped = true;
        else if (ch === QUOTE) {
          inString = false;
          if (keyText) {
            const top = stack.at(-1)!;
            try {
              top.key = JSON.parse(`"${keyText.join('')}"`) as string;
            } catch {
              top.key = keyText.join('');
            }
            keyText = null;
          }
        }
        if (inString && keyText) keyText.push(chunk[i]!);
        i++;
        continue;
      }
      const top = stack.at(-1);
      if (top?.target && !isSpace(ch) && ch !== COMMA && ch !== CLOSE_ARR) {
        const primitive = ch !== OPEN_OBJ && ch !== OPEN_ARR;
        cap = { parts: [], size: 0, oversize: false, depth: 0, inString: false, escaped: false, primitive, line };
        if (primitive && ch === QUOTE) {
          // A string element: read it as a whole primitive, quotes included.
          cap.inString = true;
          keep(cap, '"');
          i++;
        }
        continue;
      }
      if (ch === QUOTE) {
        inString = true;
        keyText = top?.kind === 'object' && top.expectKey ? [] : null;
      } else if (ch === COLON && top?.kind === 'object') top.expectKey = false;
      else if (ch === COMMA && top?.kind === 'object') top.expectKey = true;
      else if (ch === OPEN_OBJ || ch === OPEN_ARR) {
        const target = ch === OPEN_ARR && isTarget();
        if (target) found = true;
        stack.push({ kind: ch === OPEN_OBJ ? 'object' : 'array', key: null, expectKey: ch === OPEN_OBJ, target });
        rootSeen = true;
      } else if (ch === CLOSE_OBJ || ch === CLOSE_ARR) stack.pop();
      i++;
    }
    yield* out;
  }
  if (cap) yield failed(index, cap.line, '文件在这条记录中途结束');
  if (!found) {
    throw new JsonFileError(
      options.records
        ? `JSON 文件中没有找到 records 路径“${options.records}”指向的数组`
        : 'JSON 文件的最外层不是数组（记录在对象内时请在来源配置中用 records 给出路径）',
    );
  }
}

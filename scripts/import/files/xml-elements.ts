/**
 * The repeating elements of an XML file (export.doc, rss.channel.item, feed.entry), streamed with saxes: each
 * one becomes a plain object as it closes, so only one record is ever held. An element with neither attributes
 * nor child elements is its text; otherwise an object of `@attribute`s, child elements (repeated ones as an
 * array) and `#text`. Atom's `type="xhtml"` content keeps its markup as text. HTML inside an export belongs in
 * CDATA or escaped, as exports write it; the entities HTML-minded exporters use (&nbsp; &ldquo; …) are known.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { decodeFile, type FileEncoding } from './decode.ts';
import { escapeBareAmpersands } from './xml-ampersands.ts';
import { BAD_BYTES, failed, REPLACEMENT, type RawEvent } from './events.ts';
import { MAX_RECORD_BYTES, MAX_RECORD_LABEL, utf8Length } from './records.ts';

export class XmlFileError extends Error {}

const HTML_ENTITIES: Record<string, string> = {
  nbsp: '\u00a0',
  ensp: '\u2002',
  emsp: '\u2003',
  ldquo: '“',
  rdquo: '”',
  lsquo: '‘',
  rsquo: '’',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  middot: '·',
  times: '×',
  divide: '÷',
  copy: '©',
  reg: '®',
  deg: '°',
  plusmn: '±',
  laquo: '«',
  raquo: '»',
  bull: '•',
  yen: '¥',
};

interface Frame {
  name: string;
  attrs: Record<string, string>;
  children: Map<string, unknown[]>;
  text: string[];
}

function valueOf(f: Frame): unknown {
  const text = f.text.join('').trim();
  const attrNames = Object.keys(f.attrs);
  if (!f.children.size && !attrNames.length) return text;
  const o: Record<string, unknown> = {};
  for (const a of attrNames) o[`@${a}`] = f.attrs[a];
  for (const [name, list] of f.children) o[name] = list.length === 1 ? list[0] : list;
  if (text) o['#text'] = text;
  return o;
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const openTag = (t: SaxesTagPlain) =>
  `<${t.name}${Object.entries(t.attributes)
    .map(([k, v]) => ` ${k}="${escapeText(v).replace(/"/g, '&quot;')}"`)
    .join('')}${t.isSelfClosing ? '/>' : '>'}`;

export interface XmlElementOptions {
  /** Element names from the root to the repeating element. */
  path: string[];
  encoding?: FileEncoding;
  limit?: number;
}

export async function* readXmlElements(file: string, options: XmlElementOptions): AsyncGenerator<RawEvent> {
  const limit = options.limit ?? MAX_RECORD_BYTES;
  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  Object.assign(parser.ENTITIES, HTML_ENTITIES);
  const out: RawEvent[] = [];
  const names: string[] = []; // open elements, root first
  let frames: Frame[] = []; // open elements inside the current record, the record first
  let recordLine = 0;
  let size = 0;
  let oversize = false;
  let error: string | null = null;
  let rawDepth = 0; // > 0 inside an element whose markup is kept as text
  let index = 0;
  const outside: string[] = [];
  const inRecord = () => frames.length > 0;
  const add = (s: string) => {
    if (oversize) return;
    size += utf8Length(s);
    if (size <= limit) {
      frames.at(-1)!.text.push(s);
      return;
    }
    // Over the limit: drop what was kept and only follow the structure until the record closes.
    oversize = true;
    frames = [{ ...frames[0]!, children: new Map(), text: [] }];
  };
  const atRecordPath = () => names.length === options.path.length && names.every((n, i) => n === options.path[i]);

  parser.on('opentag', (t) => {
    names.push(t.name);
    if (rawDepth > 0) {
      add(openTag(t));
      if (!t.isSelfClosing) rawDepth++;
      return;
    }
    if (!inRecord()) {
      if (!atRecordPath()) return;
      recordLine = parser.line;
      size = 0;
      oversize = false;
      error = null;
    } else if (oversize) {
      return;
    }
    frames.push({ name: t.name, attrs: t.attributes, children: new Map(), text: [] });
    if (t.attributes.type === 'xhtml' && !t.isSelfClosing) rawDepth = 1;
  });
  parser.on('closetag', (t) => {
    names.pop();
    if (rawDepth > 0 && t.isSelfClosing) return; // written out whole with its opening tag
    if (rawDepth > 1) {
      rawDepth--;
      add(`</${t.name}>`);
      return;
    }
    rawDepth = 0;
    if (!inRecord()) return;
    if (oversize && names.length >= options.path.length) return; // an element inside an oversize record
    const f = frames.pop()!;
    if (frames.length) {
      const parent = frames.at(-1)!;
      parent.children.set(f.name, [...(parent.children.get(f.name) ?? []), valueOf(f)]);
      return;
    }
    const i = index++;
    const value = valueOf(f);
    if (oversize) out.push(failed(i, recordLine, `记录超过 ${MAX_RECORD_LABEL}，未读取`));
    else if (error) out.push(failed(i, recordLine, `XML 格式错误（${error}）`));
    else if (JSON.stringify(value).includes(REPLACEMENT)) out.push(failed(i, recordLine, BAD_BYTES));
    else out.push({ type: 'record', index: i, line: recordLine, value });
  });
  const onText = (s: string) => {
    if (!inRecord()) return;
    add(rawDepth > 0 ? escapeText(s) : s);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('error', (e) => {
    const msg = e.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '').replace(/\.$/, '');
    if (inRecord()) error ??= `第 ${parser.line} 行：${msg}`;
    else outside.push(`第 ${parser.line} 行：${msg}`);
  });

  for await (const chunk of escapeBareAmpersands(decodeFile(file, options.encoding))) {
    parser.write(chunk);
    yield* out.splice(0);
  }
  parser.close();
  yield* out.splice(0);
  if (inRecord()) yield failed(index, recordLine, '文件在这条记录中途结束');
  if (index === 0 && outside.length) throw new XmlFileError(`XML 文件无法读取：${outside[0]!}`);
}

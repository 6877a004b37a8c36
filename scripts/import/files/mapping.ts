/**
 * A source's mapping applied to one record as the reader read it: field paths looked up, transforms applied,
 * the column routed, constants filled in. Values are handed on as loose strings — the store validates each record
 * against ImportDocumentSchema (dates in any form import-dates.ts reads, HTML sanitized) and names the field at
 * fault, so nothing is checked twice; what only the mapping can know (an id missing, a code not in the table)
 * fails here.
 */
import { instantOf, parseChineseDate, type ImportDocumentInput } from '@ywtc/cms-schema';
import type { ColumnRule, FieldRule, FileSource, MappingTarget } from './config.ts';
import type { AttachmentLink } from './events.ts';

const ARRAY_TARGETS = new Set<string>(['keywords', 'subjectWords']);
const DAY_TARGETS = new Set<string>(['writtenOn', 'issuedOn']);
const DEFAULT_SEPARATOR = /[,，;；、\s]+/;

/** The value at `path`: the key itself when present (CSV headers may contain dots), else a dotted walk; arrays are walked element-wise. */
export function getPath(value: unknown, path: string): unknown {
  if (isObject(value) && Object.hasOwn(value, path)) return value[path];
  let cur: unknown[] = [value];
  for (const key of path.split('.')) {
    const next: unknown[] = [];
    for (const v of cur) {
      for (const item of Array.isArray(v) ? (v as unknown[]) : [v]) if (isObject(item) && item[key] !== undefined && item[key] !== null) next.push(item[key]);
    }
    if (!next.length) return undefined;
    cur = next;
  }
  return cur.length === 1 ? cur[0] : cur;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A scalar as text: XML elements with attributes carry their text in `#text`. */
export function asText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (isObject(v) && typeof v['#text'] === 'string') return v['#text'];
  if (Array.isArray(v))
    return v
      .map(asText)
      .filter((s) => s !== undefined)
      .join('');
  return undefined;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Plain text → paragraphs, one per non-blank line. */
export const textToHtml = (s: string): string =>
  s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => `<p>${escapeHtml(l)}</p>`)
    .join('\n');

const splitText = (s: string, separator: string | undefined): string[] =>
  s
    .split(separator ?? DEFAULT_SEPARATOR)
    .map((x) => x.trim())
    .filter(Boolean);

/** RFC 822 dates as RSS writes them: Mon, 17 Jun 2024 19:30:00 +0800 (or GMT). */
const RFC822 = /^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[+-]\d{4}|GMT|UTC?|Z|[ECMP][SD]T)?$/;

function dateOf(s: string, target: string): string {
  let p = parseChineseDate(s);
  if (!p && RFC822.test(s) && !Number.isNaN(Date.parse(s))) p = parseChineseDate(new Date(Date.parse(s)).toISOString());
  if (!p) return s; // left as given: the store names the field and the text it could not read
  return DAY_TARGETS.has(target) ? p.date : instantOf(p);
}

type Converted = { value: string | string[] } | { missing: true } | { error: string };

function convert(target: string, raw: unknown, rule: FieldRule): Converted {
  const list = Array.isArray(raw) ? (raw as unknown[]).map(asText).filter((s): s is string => s !== undefined) : null;
  const text = list ? undefined : asText(raw);
  const wantsArray = ARRAY_TARGETS.has(target);
  if (list ? !list.length : text === undefined || !text.trim()) return { missing: true };
  switch (rule.transform) {
    case 'text-to-html':
      return { value: textToHtml(list ? list.join('\n') : text!) };
    case 'html':
      return { value: list ? list.join('\n') : text! };
    case 'split':
      return { value: (list ?? [text!]).flatMap((s) => splitText(s, rule.separator)) };
    case 'date':
      return { value: dateOf((list ? list[0]! : text!).trim(), target) };
    case 'trim':
      return { value: wantsArray ? (list ?? [text!]).map((s) => s.replace(/\s+/g, ' ').trim()) : (list ? list[0]! : text!).replace(/\s+/g, ' ').trim() };
    case 'map': {
      const key = (list ? list[0]! : text!).trim();
      const mapped = Object.hasOwn(rule.table!, key) ? rule.table![key] : undefined;
      if (mapped !== undefined) return { value: mapped };
      if (rule.default !== undefined) return { value: rule.default };
      return { error: `字段 ${target}：来源字段 ${rule.from} 的值“${key.slice(0, 40)}”不在对照表中` };
    }
    default:
      if (wantsArray) return { value: (list ?? [text!]).flatMap((s) => splitText(s, undefined)) };
      // A bodyHtml spread over repeated elements is one body; any other field takes the first value.
      return { value: list ? (target === 'bodyHtml' ? list.join('\n') : list[0]!) : target === 'bodyHtml' ? text! : text!.trim() };
  }
}

/** An export's attachment list: URLs, or objects naming a file and its address (relative ones read against the page). */
function attachmentsOf(raw: unknown, base: string | null): AttachmentLink[] {
  const out: AttachmentLink[] = [];
  for (const item of Array.isArray(raw) ? (raw as unknown[]) : raw === undefined ? [] : [raw]) {
    const o = isObject(item) ? item : {};
    const href = typeof item === 'string' ? item : asText(o.url ?? o.href ?? o['@href'] ?? o['@url'] ?? o.link ?? o.path);
    if (!href?.trim()) continue;
    let url: URL;
    try {
      url = new URL(href.trim(), base ?? undefined);
    } catch {
      continue; // a relative address with no page to read it against
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    const named = asText(o.name ?? o.title ?? o['@title'] ?? o['@name'] ?? o['#text'])?.trim();
    out.push({ name: named || decodeURIComponent(url.pathname.split('/').pop() || url.hostname), url: url.href });
  }
  return out;
}

export type Mapped =
  { ok: true; sourceId: string; record: ImportDocumentInput; attachments: AttachmentLink[] } | { ok: false; sourceId: string | null; reason: string };

interface CompiledRule {
  column: string;
  field: string;
  test: (s: string) => boolean;
}

function compileRoute(r: ColumnRule): CompiledRule {
  if (r.when.matches !== undefined) {
    const re = new RegExp(r.when.matches, 'u');
    return { column: r.column, field: r.when.field, test: (s) => re.test(s) };
  }
  const set = new Set(Array.isArray(r.when.equals) ? r.when.equals : [r.when.equals!]);
  return { column: r.column, field: r.when.field, test: (s) => set.has(s.trim()) };
}

/** The source id of a raw record (the part of the mapping a resumed run still needs for the records it skips). */
export function sourceIdOf(source: FileSource, value: unknown): string | null {
  const id = asText(getPath(value, source.idField))?.trim();
  return id ? id.slice(0, 500) : null;
}

/** Compiles a source's mapping once; the function maps one raw record. */
export function compileMapping(source: FileSource): (value: unknown) => Mapped {
  const rules = Object.entries(source.mapping) as [MappingTarget, FieldRule][];
  const routes = source.columns.map(compileRoute);
  return (value) => {
    const sourceId = sourceIdOf(source, value);
    if (!sourceId) return { ok: false, sourceId: null, reason: `缺少记录标识（字段 ${source.idField}）` };
    const record: Record<string, unknown> = { ...source.defaults, siteId: source.siteId, sourceId };
    let attachments: AttachmentLink[] = [];
    let mappedColumn = false;
    for (const [target, rule] of rules) {
      const raw = getPath(value, rule.from);
      if (target === 'attachments') continue; // after url is known, below
      const c = convert(target, raw, rule);
      if ('error' in c) return { ok: false, sourceId, reason: c.error };
      if ('missing' in c) {
        if (rule.default !== undefined) record[target] = rule.default;
        continue;
      }
      record[target] = c.value;
      if (target === 'column') mappedColumn = true;
    }
    const attachmentRule = rules.find(([t]) => t === 'attachments')?.[1];
    if (attachmentRule) attachments = attachmentsOf(getPath(value, attachmentRule.from), typeof record.url === 'string' ? record.url : null);
    if (!mappedColumn) {
      for (const r of routes) {
        const v = asText(getPath(value, r.field));
        if (v !== undefined && r.test(v)) {
          record.column = r.column;
          break;
        }
      }
    }
    return { ok: true, sourceId, record: record as ImportDocumentInput, attachments };
  };
}

/**
 * Reading the open-data interfaces' CSV and XML back into records, typed by the dataset's own zod schema, so
 * tests can validate every format's answer against the schema the JSON answer must satisfy. Parsing goes
 * through csv-parse and fast-xml-parser, as a consumer's would.
 */
import { parse } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';

type Kind = 'string' | 'nullable-string' | 'integer' | 'nullable-integer' | 'boolean' | 'array';

function kindsOf(schema: z.ZodObject): Map<string, Kind> {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as {
    properties: Record<string, { type?: string | string[]; anyOf?: { type?: string }[]; enum?: unknown[] }>;
  };
  const out = new Map<string, Kind>();
  for (const [name, s] of Object.entries(json.properties)) {
    const types = s.anyOf ? s.anyOf.map((a) => a.type ?? 'string') : Array.isArray(s.type) ? s.type : [s.type ?? 'string'];
    const nullable = types.includes('null') || (s.enum?.includes(null) ?? false);
    const t = types.find((x) => x !== 'null') ?? 'string';
    out.set(
      name,
      t === 'array'
        ? 'array'
        : t === 'boolean'
          ? 'boolean'
          : t === 'integer' || t === 'number'
            ? nullable
              ? 'nullable-integer'
              : 'integer'
            : nullable
              ? 'nullable-string'
              : 'string',
    );
  }
  return out;
}

/** CSV cells that a spreadsheet would run are written with a leading apostrophe (formula escaping). */
const unescapeFormula = (s: string) => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);

function coerce(kind: Kind, v: unknown, listSep: string | null): unknown {
  const s = typeof v === 'string' ? v : v === undefined || v === null ? '' : v;
  switch (kind) {
    case 'integer':
      return Number(s);
    case 'nullable-integer':
      return s === '' ? null : Number(s);
    case 'boolean':
      return s === 'true' ? true : s === 'false' ? false : s;
    case 'nullable-string':
      return s === '' ? null : s;
    case 'array':
      if (listSep !== null) return s === '' ? [] : (s as string).split(listSep);
      if (s === '') return [];
      return ([] as unknown[]).concat((s as { item?: unknown }).item ?? []).map(String);
    default:
      return s;
  }
}

export interface DecodedCsv {
  header: string[];
  records: Record<string, unknown>[];
  deleted: { id: string; deleted_at: string }[];
}

export function decodeCsv(text: string, record: z.ZodObject): DecodedCsv {
  const rows = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: false }) as string[][];
  const [header, ...body] = rows;
  const kinds = kindsOf(record);
  const records: Record<string, unknown>[] = [];
  const deleted: { id: string; deleted_at: string }[] = [];
  const delIdx = header!.indexOf('deleted_at');
  for (const row of body) {
    if (delIdx >= 0 && row[delIdx]) {
      deleted.push({ id: row[header!.indexOf('id')]!, deleted_at: row[delIdx]! });
      continue;
    }
    const r: Record<string, unknown> = {};
    header!.forEach((h, i) => {
      if (h !== 'deleted_at') r[h] = coerce(kinds.get(h) ?? 'string', unescapeFormula(row[i] ?? ''), '；');
    });
    records.push(r);
  }
  return { header: header!, records, deleted };
}

const xml = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: false, isArray: (name) => name === 'record' || name === 'item' });

export function decodeXml(text: string, record: z.ZodObject): { records: Record<string, unknown>[]; nextCursor: string; interfaceCode: string } {
  const doc = xml.parse(text) as { response: { interface: { code: string }; data: '' | { record: Record<string, unknown>[] }; page: { next_cursor: string } } };
  const kinds = kindsOf(record);
  const raw = doc.response.data === '' ? [] : doc.response.data.record;
  const records = raw.map((r) => Object.fromEntries([...kinds].map(([name, kind]) => [name, coerce(kind, r[name], null)])));
  return { records, nextCursor: doc.response.page.next_cursor, interfaceCode: doc.response.interface.code };
}

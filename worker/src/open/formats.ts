/**
 * One answer in three formats: JSON (the envelope as is), XML (the same envelope through fast-xml-parser's
 * builder) and CSV (the records as rows through csv-stringify, formulas escaped so a spreadsheet never runs a
 * cell). Paging and sync positions travel in headers too, which is all a CSV consumer has.
 */
import { stringify } from 'csv-stringify/sync';
import { XMLBuilder } from 'fast-xml-parser';
import { MEDIA_TYPES, type OpenFormat } from '@ywtc/cms-schema';
import type { OpenRecord } from './datasets/index.ts';

export interface Envelope {
  interface: { code: string; name: string; version: string };
  data: OpenRecord[];
  deleted?: { id: string; deleted_at: string }[];
  page: { limit: number; next_cursor: string | null };
  sync?: { since: string; next_since: string | null };
  generated_at: string;
}

/** The format asked for: ?format= first, then Accept; JSON when neither names one we have. */
export function negotiate(formatParam: OpenFormat | undefined, accept: string | undefined): OpenFormat {
  if (formatParam) return formatParam;
  const a = (accept ?? '').toLowerCase();
  for (const part of a.split(',').map((p) => p.split(';')[0]!.trim())) {
    if (part === 'application/json' || part === 'application/*' || part === '*/*') return 'json';
    if (part === 'text/csv') return 'csv';
    if (part === 'application/xml' || part === 'text/xml') return 'xml';
  }
  return 'json';
}

const builder = new XMLBuilder({ format: true, suppressEmptyNode: false, processEntities: true, ignoreAttributes: true });

/** A record's values as XML: lists become <item> children, null an empty element, booleans true/false. */
const xmlRecord = (r: OpenRecord) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.isArray(v) ? { item: v } : v === null ? '' : v]));

/** A CSV cell: lists joined with ；, null empty, booleans true/false. */
const csvCell = (v: unknown) => (Array.isArray(v) ? v.join('；') : v === null || v === undefined ? '' : typeof v === 'boolean' ? String(v) : v);

export function render(format: OpenFormat, env: Envelope, fields: readonly string[]): { body: string; type: string } {
  if (format === 'json') return { body: JSON.stringify(env), type: MEDIA_TYPES.json };
  if (format === 'xml') {
    const doc = {
      response: {
        interface: env.interface,
        data: { record: env.data.map(xmlRecord) },
        ...(env.deleted ? { deleted: { record: env.deleted } } : {}),
        page: { limit: env.page.limit, next_cursor: env.page.next_cursor ?? '' },
        ...(env.sync ? { sync: { since: env.sync.since, next_since: env.sync.next_since ?? '' } } : {}),
        generated_at: env.generated_at,
      },
    };
    return { body: `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(doc)}`, type: MEDIA_TYPES.xml };
  }
  // CSV: one row per record; in a sync, tombstones follow as rows with only id and deleted_at.
  const columns = env.deleted ? [...fields, 'deleted_at'] : [...fields];
  const rows = env.data.map((r) => columns.map((f) => (f === 'deleted_at' ? '' : csvCell(r[f]))));
  for (const t of env.deleted ?? []) rows.push(columns.map((f) => (f === 'id' ? t.id : f === 'deleted_at' ? t.deleted_at : '')));
  // A byte-order mark so that spreadsheet programs read the UTF-8 as such.
  return { body: '\uFEFF' + stringify(rows, { header: true, columns, escape_formulas: true, record_delimiter: 'windows' }), type: MEDIA_TYPES.csv };
}

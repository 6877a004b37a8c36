/**
 * A file source, configured as data (scripts/import/sources/*.json): which site the records go to, where the
 * records are in the file, and how the export's fields become import records — so a seventh platform's export is
 * a new JSON file, not new code. docs/import.md describes the fields in Chinese; errors name the field.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ImportDocumentSchema, ImportSourceIdSchema, SiteIdSchema, formatIssues } from '@ywtc/cms-schema';

/** Import record fields a mapping may fill; `sourceId` comes from idField, `attachments` are links the driver fetches. */
const TARGETS = Object.keys(ImportDocumentSchema.shape).filter((k) => k !== 'sourceId');
export type MappingTarget = Exclude<keyof typeof ImportDocumentSchema.shape, 'sourceId'>;

const FieldPathSchema = z.string().trim().min(1, '字段路径不能为空').max(200);

export const TRANSFORMS = ['text-to-html', 'html', 'split', 'date', 'trim', 'map'] as const;

const FieldRuleSchema = z
  .object({
    /** The source field: a column name, a key, or a dotted path (`meta.pubDate`, `@href` for an XML attribute). */
    from: FieldPathSchema,
    transform: z.enum(TRANSFORMS, { message: `transform 须为 ${TRANSFORMS.join('、')} 之一` }).optional(),
    /** split: the separator (default: commas, semicolons, 、 and whitespace). */
    separator: z.string().min(1).max(10).optional(),
    /** map: source value → value (e.g. 文档类型 codes → kind). */
    table: z.record(z.string(), z.string()).optional(),
    /** Used when the source field is missing or empty (and, for map, when the value is not in the table). */
    default: z.union([z.string(), z.array(z.string())]).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.transform === 'map' && !r.table) ctx.addIssue({ code: 'custom', path: ['table'], message: 'transform 为 map 时须给出对照表 table' });
    if (r.table && r.transform !== 'map') ctx.addIssue({ code: 'custom', path: ['transform'], message: '给出了 table 时 transform 须为 map' });
    if (r.separator && r.transform !== 'split') ctx.addIssue({ code: 'custom', path: ['transform'], message: '给出了 separator 时 transform 须为 split' });
  });
export type FieldRule = z.infer<typeof FieldRuleSchema>;

/** A field given as a bare path is `{ from: path }` (no transform). */
const FieldSpecSchema = z.preprocess((v) => (typeof v === 'string' ? { from: v } : v), FieldRuleSchema);

const MappingSchema = z.record(z.string(), FieldSpecSchema).superRefine((m, ctx) => {
  for (const k of Object.keys(m)) {
    if (TARGETS.includes(k)) continue;
    ctx.addIssue({
      code: 'custom',
      path: [k],
      message: k === 'sourceId' ? '记录标识由 idField 给出，不在 mapping 中' : `“${k}”不是导入记录的字段（可用：${TARGETS.join('、')}）`,
    });
  }
});

const ConstantSchema = z.union([z.string(), z.array(z.string())]);

const ColumnRuleSchema = z
  .object({
    when: z
      .object({
        field: FieldPathSchema,
        equals: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
        /** A regular expression (JavaScript syntax) the field's text must match. */
        matches: z
          .string()
          .min(1)
          .max(200)
          .refine(
            (s) => {
              try {
                new RegExp(s, 'u');
                return true;
              } catch {
                return false;
              }
            },
            { message: '不是合法的正则表达式' },
          )
          .optional(),
      })
      .strict()
      .refine((w) => (w.equals === undefined) !== (w.matches === undefined), { message: 'when 须给出 equals 或 matches 之一（不能都给）' }),
    column: z.string().trim().min(1, '栏目不能为空').max(80),
  })
  .strict();
export type ColumnRule = z.infer<typeof ColumnRuleSchema>;

export const FILE_FORMATS = ['json', 'jsonl', 'csv', 'xml', 'rss'] as const;

export const FileSourceSchema = z
  .object({
    type: z.literal('file', { message: 'type 须为 "file"' }),
    id: ImportSourceIdSchema,
    name: z.string().trim().min(2, '来源名称至少 2 个字').max(80),
    siteId: SiteIdSchema,
    /** Imported into a hidden version, published only at the site's switch-over (party / 人大 / 政协 migrations). */
    hidden: z.boolean().default(false),
    /** rss covers RSS 2.0, RSS 1.0 (RDF) and Atom. */
    format: z.enum(FILE_FORMATS, { message: `format 须为 ${FILE_FORMATS.join('、')} 之一` }),
    /** auto: a BOM, else strict UTF-8, else GB18030 (GBK/GB2312 exports). */
    encoding: z.enum(['auto', 'utf-8', 'gb18030'], { message: 'encoding 须为 auto、utf-8 或 gb18030' }).default('auto'),
    /** JSON: dotted path to the array (absent: the file is the array). XML: the repeating element's path (export.doc). */
    records: z
      .string()
      .trim()
      .regex(/^[^.\s]+(\.[^.\s]+)*$/, 'records 须为以点分隔的路径，如 export.doc')
      .optional(),
    /** CSV: the field separator. */
    delimiter: z.enum([',', ';', '\t', '|'], { message: 'delimiter 须为逗号、分号、制表符或竖线' }).default(','),
    mapping: MappingSchema,
    /** Constant fields for every record (a mapped value wins when present). */
    defaults: z
      .record(z.string(), ConstantSchema)
      .default({})
      .superRefine((d, ctx) => {
        for (const k of Object.keys(d))
          if (!TARGETS.includes(k) || k === 'attachments') ctx.addIssue({ code: 'custom', path: [k], message: `“${k}”不能设默认值` });
      }),
    /** The first rule whose field matches gives the record's column (a mapped column wins, defaults.column is the fallback). */
    columns: z.array(ColumnRuleSchema).max(200).default([]),
    /** The source's record id (→ sourceId); a record without it is failed. */
    idField: FieldPathSchema,
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.format === 'xml' && !s.records)
      ctx.addIssue({ code: 'custom', path: ['records'], message: 'XML 来源须用 records 给出记录元素的路径，如 export.doc' });
    if ((s.format === 'jsonl' || s.format === 'csv' || s.format === 'rss') && s.records) {
      ctx.addIssue({ code: 'custom', path: ['records'], message: `${s.format} 来源不用 records` });
    }
    const column = s.mapping.column !== undefined || s.defaults.column !== undefined || s.columns.length > 0;
    if (!column) ctx.addIssue({ code: 'custom', path: ['columns'], message: '须给出栏目：mapping.column、defaults.column 或 columns 规则之一' });
    for (const f of ['title', 'publishedAt'] as const) {
      if (s.mapping[f] === undefined) ctx.addIssue({ code: 'custom', path: ['mapping', f], message: `mapping 须给出 ${f}` });
    }
  });
export type FileSource = z.infer<typeof FileSourceSchema>;
export type FileSourceInput = z.input<typeof FileSourceSchema>;

export class FileSourceError extends Error {}

/** A parsed source; a bad one throws with one Chinese line per problem, naming the source and field. */
export function parseFileSource(value: unknown, label = '来源配置'): FileSource {
  const r = FileSourceSchema.safeParse(value);
  if (!r.success) throw new FileSourceError(formatIssues(label, r.error).join('\n'));
  return r.data;
}

export function loadFileSource(file: string): FileSource {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new FileSourceError(`来源配置 ${file}: 不是合法的 JSON（${(e as Error).message}）`);
  }
  return parseFileSource(value, `来源配置 ${file}`);
}

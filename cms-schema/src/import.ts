/**
 * 接入标准 (issue 15): the one format every way into the content store speaks — the push API of a separately
 * built platform, the file importers (JSON, CSV, XML, RSS/Atom) and the crawler of an existing website all turn
 * what they read into these records, and one Worker library (worker/src/import/) validates, sanitizes, checks,
 * deduplicates, classifies and writes them. docs/import.md describes it in Chinese; the JSON Schema the Worker
 * serves (/api/import/v1/schema.json) is generated from these schemas.
 *
 * A record is keyed by (source, sourceId): sending it again updates the document it made, never a second one.
 * Dates are read leniently (import-dates.ts: ISO, 2021-03-05 09:30, 2021年3月5日, 二〇二一年三月五日) and stored as
 * given — an import never re-dates or back-dates a document; a record without a publish time is refused.
 */
import { z } from 'zod';
import { AttachmentSchema, DocNumberSchema, DocumentKindSchema, IndexNumberSchema, MAX_BODY_BYTES, ValiditySchema } from './document.ts';
import { ColumnKindSchema, ColumnSlugSchema } from './column.ts';
import { SiteIdSchema } from './site.ts';
import { text } from './text.ts';
import { instantOf, parseChineseDate } from './import-dates.ts';
import { defineAccess } from './access.ts';

export const IMPORT_FORMAT = 'ywtc-import-1';
/** Documents per push request / per write batch: big enough for throughput, small enough for one D1 batch. */
export const MAX_BATCH_DOCUMENTS = 500;

/** A source: one separately built platform, one exported file set, or one crawled website. */
export const ImportSourceIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/, '来源标识只能包含小写字母、数字和连字符（2–40 个字符）');
/** The source's own id of a record (its database key, or the page's old URL for a crawled site). */
export const SourceRecordIdSchema = z.string().trim().min(1, '记录标识不能为空').max(500, '记录标识不能超过 500 个字符');

/** A publish time in any form import-dates.ts reads, stored as the UTC instant of its China-time wall clock. */
export const LenientInstantSchema = z.string({ error: (i) => (i.input === undefined ? '缺少发布时间' : '发布时间须为文字') }).transform((s, ctx) => {
  const p = parseChineseDate(s);
  if (!p) {
    ctx.addIssue({ code: 'custom', message: `无法识别的时间“${s.slice(0, 40)}”（应如 2021-03-05 09:30、2021年3月5日 或 ISO 8601）` });
    return z.NEVER;
  }
  return instantOf(p);
});
/** A calendar day (成文日期, 发布日期) in any form import-dates.ts reads, stored as YYYY-MM-DD. */
export const LenientDateSchema = z.string().transform((s, ctx) => {
  const p = parseChineseDate(s);
  if (!p) {
    ctx.addIssue({ code: 'custom', message: `无法识别的日期“${s.slice(0, 40)}”（应如 2021-03-05 或 二〇二一年三月五日）` });
    return z.NEVER;
  }
  return p.date;
});

const httpUrl = z.url({ protocol: /^https?$/, message: '须为 http(s) 网址' }).max(2000);

/**
 * An attachment as a source names it: already in R2 by its content hash (uploaded through the push API or copied
 * by an importer), with the name readers see. Importers fetch the file, store it under attachments/<sha256> and
 * fill these fields; the old URL is kept for the redirect map.
 */
export const ImportAttachmentSchema = AttachmentSchema.extend({ url: httpUrl.nullable().default(null) });
export type ImportAttachment = z.infer<typeof ImportAttachmentSchema>;

export const ImportDocumentSchema = z.object({
  sourceId: SourceRecordIdSchema,
  /** `delete`: the source withdrew it — taken off every site it was placed on (the row stays, as for a CMS withdrawal). */
  op: z.enum(['upsert', 'delete']).default('upsert'),
  siteId: SiteIdSchema,
  /** The column on the site: its slug (`tzgg`) or id (`nnxn/tzgg`). */
  column: z.string().trim().min(1, '栏目不能为空').max(80),
  kind: DocumentKindSchema.default('article'),
  title: text().trim().min(2, '标题至少 2 个字').max(200, '标题不能超过 200 个字'),
  /** Raw HTML: sanitized on the way in by the document schema's allow-list (scripts, handlers, javascript: removed). */
  bodyHtml: z.string().max(MAX_BODY_BYTES, `正文不能超过 ${MAX_BODY_BYTES / 1_000_000} MB`),
  summary: text().max(500).default(''),
  keywords: z.array(text().min(1).max(30)).max(20).default([]),
  author: text().max(60).default(''),
  /** 来源; when absent the issuer, else the site's own unit. */
  source: text().max(120).nullable().default(null),
  /** The page's address on the old site: kept as the document's 来源网址 when it is elsewhere, and redirected when the old host moves here. */
  url: httpUrl.nullable().default(null),
  publishedAt: LenientInstantSchema,
  indexNumber: IndexNumberSchema.nullable().default(null),
  issuer: text().min(2).max(80).nullable().default(null),
  docNumber: DocNumberSchema.nullable().default(null),
  writtenOn: LenientDateSchema.nullable().default(null),
  issuedOn: LenientDateSchema.nullable().default(null),
  topic: text().max(60).nullable().default(null),
  subjectWords: z.array(text().min(1).max(20)).max(10).default([]),
  validity: ValiditySchema.nullable().default(null),
  attachments: z.array(ImportAttachmentSchema).max(50).default([]),
});
export type ImportDocument = z.infer<typeof ImportDocumentSchema>;
export type ImportDocumentInput = z.input<typeof ImportDocumentSchema>;

/** A column of the old site, created on the new one when the site has no column with that slug. */
export const ImportColumnSchema = z.object({
  siteId: SiteIdSchema,
  slug: ColumnSlugSchema,
  name: z.string().trim().min(2, '栏目名称至少 2 个字').max(30),
  kind: ColumnKindSchema,
  /** The old column's list page, redirected to the new column. */
  url: httpUrl.nullable().default(null),
});
export type ImportColumn = z.infer<typeof ImportColumnSchema>;

/** A site of the registry and the old hosts whose addresses now live on it (answered with 301s page by page). */
export const ImportSiteSchema = z.object({
  siteId: SiteIdSchema,
  oldHosts: z
    .array(z.string().regex(/^[a-z0-9.-]+$/, '旧域名格式不正确'))
    .max(10)
    .default([]),
});
export type ImportSite = z.infer<typeof ImportSiteSchema>;

/** One push request, or one file's worth of records. */
export const ImportBatchSchema = z.object({
  format: z.literal(IMPORT_FORMAT, { message: `format 须为 "${IMPORT_FORMAT}"` }),
  sites: z.array(ImportSiteSchema).max(50).default([]),
  columns: z.array(ImportColumnSchema).max(500).default([]),
  /** Validated record by record by the store (a bad record is reported, the rest are written). */
  documents: z.array(z.unknown()).max(MAX_BATCH_DOCUMENTS, `每批最多 ${MAX_BATCH_DOCUMENTS} 条文档`).default([]),
});
export type ImportBatch = z.infer<typeof ImportBatchSchema>;

/** What became of one record. */
export const IMPORT_OUTCOMES = {
  imported: '新增',
  updated: '更新',
  unchanged: '未变化',
  merged: '合并到已有文档',
  deleted: '已撤下',
  failed: '失败',
} as const;
export type ImportOutcome = keyof typeof IMPORT_OUTCOMES;

export interface ImportRecordResult {
  sourceId: string;
  outcome: ImportOutcome;
  documentId: string | null;
  /** For failed: the field at fault (`publishedAt`, `attachments.0.sha256`) and why, in Chinese. */
  field?: string;
  reason?: string;
  /** Pre-publish checks and repairs, reported without blocking (typos, a link to an illegal site removed). */
  warnings: string[];
}

/** Sources the platform knows (D1 import_sources): a push source carries the hash of its key. */
export const ImportSourceRowSchema = z.object({
  id: ImportSourceIdSchema,
  name: z.string().min(2).max(80),
  /** The sites this source may write to (a platform may only feed its own units). */
  siteIds: z.array(SiteIdSchema).min(1),
  /** Imported into a hidden version, published only at the site's switch-over (party / 人大 / 政协 migrations). */
  hidden: z.boolean(),
  keyHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type ImportSourceRow = z.infer<typeof ImportSourceRowSchema>;

export const IMPORT_ACCESS = defineAccess({
  /** A separately built platform, signing each request with its source's key (worker/src/access/import-source.ts). */
  push: { who: ['importSource'] },
  /** The migration team's reports and the editors' classification queue. */
  read: { who: ['staff'], anyOf: ['document.write', 'inspect.read'] },
  /** Confirming or correcting a low-confidence classification. */
  classify: { who: ['staff'], action: 'document.write' },
  /** Registering sources and switching a migrated site over: the platform. */
  manage: { who: ['staff', 'machine'], action: 'inspect.run' },
});

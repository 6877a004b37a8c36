import { z } from 'zod';
import { SiteIdSchema } from './site.ts';
import { DateOnlySchema, InstantSchema } from './time.ts';
import { text } from './text.ts';
import { sanitizeHtml } from './sanitize.ts';
import { InterestCodeSchema, INTEREST_LABELS } from './personal/interests.ts';
import { ServiceGuideSchema } from './service-guide.ts';

export const DOCUMENT_KINDS = {
  article: '文章',
  notice: '通知公告',
  policy: '政策文件',
  interpretation: '政策解读',
  regulation: '法规规章',
  guide: '办事指南',
} as const;
export type DocumentKind = keyof typeof DOCUMENT_KINDS;
export const DocumentKindSchema = z.enum(Object.keys(DOCUMENT_KINDS) as [DocumentKind, ...DocumentKind[]]);

export const VALIDITIES = ['有效', '失效', '废止'] as const;
export const ValiditySchema = z.enum(VALIDITIES);

/**
 * 发文字号: 机关代字 + 〔年份〕 + 序号 + 号, e.g. 桂政办发〔2021〕120号 or 国务院令第728号.
 * Only the canonical 六角括号 form is stored; search (a later issue) normalises the other bracket styles.
 */
export const DocNumberSchema = z
  .string()
  .max(60)
  .regex(/^[\u4e00-\u9fa5A-Za-z、（）()]{1,40}(〔\d{4}〕(第)?\d{1,5}号|令?第?\d{1,5}号)$/, '发文字号格式应如“桂政办发〔2021〕120号”');

/** 索引号: 单位组织机构代码/年份-流水号, e.g. 000014349/2019-00007; gxzf.gov.cn's run to six digits (000014349/2020-405310). */
export const IndexNumberSchema = z.string().regex(/^[0-9A-Z]{6,18}\/\d{4}-\d{5,6}$/, '索引号格式应如“000014349/2019-00007”');

export const DocumentIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,79}$/, '文档 id 只能包含小写字母、数字和连字符')
  .refine((id) => !/^index(-|$)/.test(id), { message: 'index 开头的 id 留给栏目列表页' }); // /<column>/index.html is the list

export const AttachmentSchema = z.object({
  name: text().min(1).max(200),
  /** R2 key of the file, content-addressed: attachments/<sha256>. */
  key: z.string().regex(/^attachments\/[0-9a-f]{64}(\.[a-z0-9]{1,8})?$/),
  contentType: z.string().min(3).max(100),
  size: z.int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type Attachment = z.infer<typeof AttachmentSchema>;

/**
 * Sanitized on the way in, so every stored body is already safe to render. The limit is on the stored UTF-8
 * bytes (escaping can lengthen a body, and Chinese is 3 bytes a character), kept under D1's 2 MB per value.
 */
export const MAX_BODY_BYTES = 1_500_000;
export const SafeHtmlSchema = z
  .string()
  .max(MAX_BODY_BYTES)
  .transform((html) => sanitizeHtml(html))
  .refine((html) => new TextEncoder().encode(html).byteLength <= MAX_BODY_BYTES, { message: `正文不能超过 ${MAX_BODY_BYTES / 1_000_000} MB` });

/**
 * Each field's `.meta({ title })` is its Chinese label in the CMS editor, whose form is derived from the
 * schema (form-fields.ts); `x-widget` and `x-labels` pick an editor control and name enum values. Metadata
 * only: validation is unchanged.
 */
export const DocumentSchema = z
  .object({
    id: DocumentIdSchema,
    kind: DocumentKindSchema.meta({ title: '文档类型', 'x-labels': DOCUMENT_KINDS }),
    title: text().trim().min(2, '标题至少 2 个字').max(200, '标题不能超过 200 个字').meta({ title: '标题' }),
    bodyHtml: SafeHtmlSchema.meta({ title: '正文', 'x-widget': 'richtext' }),
    summary: text().max(500).meta({ title: '摘要' }),
    keywords: z.array(text().min(1).max(30)).max(20).meta({ title: '关键词' }),
    author: text().max(60).meta({ title: '作者' }),
    /** 来源: the unit that first published the text; for reposts it differs from the publishing site. */
    source: text().min(2, '来源至少 2 个字').max(120, '来源不能超过 120 个字').meta({ title: '来源' }),
    sourceUrl: z
      .url({ protocol: /^https?$/ })
      .nullable()
      .meta({ title: '来源网址' }),
    /** Set by the server at publish; shown as YYYY-MM-DD HH:MM China time. */
    publishedAt: InstantSchema,
    attachments: z.array(AttachmentSchema).max(50).meta({ title: '附件', 'x-widget': 'attachments' }),
    /** The unit that owns (and may edit) the document. */
    ownerSiteId: SiteIdSchema,
    /** Generated demo content, always labelled 示例 on every page that shows it. */
    isDemo: z.boolean(),
    // 政务公开 metadata, for policies, regulations and interpretations
    indexNumber: IndexNumberSchema.nullable().meta({
      title: '索引号',
      description: '单位代码/年份-流水号，如“000014349/2019-00007”；留空则发布时按本单位网站标识码自动编号，重新发布不变',
    }),
    issuer: text()
      .min(2, '发文机关至少 2 个字')
      .max(80, '发文机关不能超过 80 个字')
      .nullable()
      .meta({ title: '发文机关', description: '政策文件、法规规章必填' }),
    docNumber: DocNumberSchema.nullable().meta({ title: '发文字号', description: '如“桂政办发〔2021〕120号”；政策文件提交审核前必填' }),
    writtenOn: DateOnlySchema.nullable().meta({ title: '成文日期', description: '政策文件提交审核前必填' }),
    issuedOn: DateOnlySchema.nullable().meta({ title: '发布日期' }),
    topic: text().max(60).nullable().meta({ title: '主题分类' }),
    subjectWords: z.array(text().min(1).max(20)).max(10).meta({ title: '主题词' }),
    validity: ValiditySchema.nullable().meta({ title: '有效性' }),
    /** 兴趣领域 the editor chose (千人千网); when empty the classifier tags the document (document_tags). */
    interests: z
      .array(InterestCodeSchema)
      .max(5, '兴趣领域最多选 5 个')
      .meta({ title: '兴趣领域', description: '不选则由系统按标题和正文自动标注', 'x-labels': INTEREST_LABELS }),
    /** The 办事指南 elements: required for a guide, absent on any other kind. */
    guide: ServiceGuideSchema.nullable().meta({ title: '办事指南要素', description: '仅“办事指南”类文档填写；其他类型留空', 'x-widget': 'group' }),
  })
  .superRefine((d, ctx) => {
    const isPolicyLike = d.kind === 'policy' || d.kind === 'regulation';
    if (isPolicyLike && !d.issuer) ctx.addIssue({ code: 'custom', path: ['issuer'], message: '政策文件须填写发文机关' });
    if (d.writtenOn && d.issuedOn && d.writtenOn > d.issuedOn) ctx.addIssue({ code: 'custom', path: ['writtenOn'], message: '成文日期不能晚于发布日期' });
    if (d.kind === 'guide' && !d.guide) ctx.addIssue({ code: 'custom', path: ['guide'], message: '办事指南须填写办事指南要素' });
    if (d.kind !== 'guide' && d.guide) ctx.addIssue({ code: 'custom', path: ['guide'], message: '只有办事指南可以填写办事指南要素' });
    if (d.isDemo && !d.title.startsWith('示例')) ctx.addIssue({ code: 'custom', path: ['title'], message: '生成的演示内容标题须以“示例”开头' });
  });
export type Document = z.infer<typeof DocumentSchema>;
export type DocumentInput = z.input<typeof DocumentSchema>;

/** Where a document appears: one document can be shown on several sites (转载/共享), each in one of its columns. */
export const PlacementSchema = z.object({
  documentId: DocumentIdSchema,
  siteId: SiteIdSchema,
  columnId: z.string().min(3),
  /** Manual ordering within a column (置顶 > 0); ties fall back to publish time. */
  pinned: z.int().min(0),
});
export type Placement = z.infer<typeof PlacementSchema>;

/**
 * A document of the reference corpus: kept in the store for search and evaluation though no site shows it —
 * another province's document, which no Guangxi unit's column may carry. Search indexes it without a placement,
 * so only a search across the cluster finds it, labelled with its 地区 (外省参考), never a site's own search.
 */
export const ReferenceDocumentSchema = z.object({ documentId: DocumentIdSchema });
export type ReferenceDocument = z.infer<typeof ReferenceDocumentSchema>;

/** An interpretation (解读) explains a policy; stored once, read both ways. */
export const InterpretationLinkSchema = z.object({
  policyId: DocumentIdSchema,
  interpretationId: DocumentIdSchema,
});
export type InterpretationLink = z.infer<typeof InterpretationLinkSchema>;

/**
 * Documents in the CMS: the item (where it is in 先审后发, its current revision) and its revisions (every
 * save is one, whole). What an editor may write is the draft; the server adds the id, the owner, the publish
 * time (at publish, never from the client) and 发布日期.
 */
import { z } from 'zod';
import { DocumentIdSchema, DocumentSchema } from './document.ts';
import { STATES, type State } from './workflow.ts';
import { MAX_REVIEW_LEVEL } from './account.ts';
import { defineAccess } from './access.ts';

const f = DocumentSchema.shape;
export const DraftSchema = z
  .object({
    kind: f.kind,
    title: f.title,
    bodyHtml: f.bodyHtml,
    summary: f.summary.default(''),
    keywords: f.keywords.default([]),
    author: f.author.default(''),
    source: f.source,
    sourceUrl: f.sourceUrl.default(null),
    attachments: f.attachments.default([]),
    indexNumber: f.indexNumber.default(null),
    issuer: f.issuer.default(null),
    docNumber: f.docNumber.default(null),
    writtenOn: f.writtenOn.default(null),
    topic: f.topic.default(null),
    subjectWords: f.subjectWords.default([]),
    validity: f.validity.default(null),
    interests: f.interests.default([]),
    guide: f.guide.default(null),
    /** For an interpretation (解读): the policy it explains. */
    interprets: DocumentIdSchema.nullable()
      .default(null)
      .meta({ title: '所解读的政策文件', description: '仅“政策解读”填写：按标题或发文字号查找已发布的政策文件，选中一项', 'x-widget': 'policy' }),
  })
  .superRefine((d, ctx) => {
    if ((d.kind === 'policy' || d.kind === 'regulation') && !d.issuer) ctx.addIssue({ code: 'custom', path: ['issuer'], message: '政策文件须填写发文机关' });
    if (d.kind === 'interpretation' && !d.interprets) ctx.addIssue({ code: 'custom', path: ['interprets'], message: '政策解读须关联所解读的政策文件' });
    if (d.kind === 'guide' && !d.guide) ctx.addIssue({ code: 'custom', path: ['guide'], message: '办事指南须填写办事指南要素' });
    if (d.kind !== 'guide' && d.guide) ctx.addIssue({ code: 'custom', path: ['guide'], message: '只有办事指南可以填写办事指南要素' });
    if (d.kind !== 'interpretation' && d.interprets) ctx.addIssue({ code: 'custom', path: ['interprets'], message: '只有政策解读可以关联政策文件' });
  });
export type Draft = z.infer<typeof DraftSchema>;

export const StateSchema = z.enum(Object.keys(STATES) as [State, ...State[]]);

export const CmsDocumentSchema = z.object({
  id: DocumentIdSchema,
  siteId: z.string().regex(/^[a-z0-9-]+$/),
  columnId: z.string().min(3).max(80),
  state: StateSchema,
  level: z.number().int().min(1).max(MAX_REVIEW_LEVEL).nullable(),
  depth: z.number().int().min(1).max(MAX_REVIEW_LEVEL),
  revision: z.number().int().min(1),
  publishedAt: z.iso.datetime({ offset: true }).nullable(),
  scheduledAt: z.iso.datetime({ offset: true }).nullable(),
  createdBy: z.string().max(40),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type CmsDocument = z.infer<typeof CmsDocumentSchema>;

export const RevisionSchema = z.object({
  documentId: DocumentIdSchema,
  revision: z.number().int().min(1),
  /** The draft as saved (JSON). */
  data: z.record(z.string(), z.unknown()),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  authorId: z.string().max(40),
  createdAt: z.iso.datetime({ offset: true }),
});
export type Revision = z.infer<typeof RevisionSchema>;

export const TransitionSchema = z.object({
  seq: z.number().int().min(1),
  documentId: DocumentIdSchema,
  fromState: StateSchema,
  toState: StateSchema,
  /** The review level signed off or rejected, when it was a review. */
  level: z.number().int().min(1).max(MAX_REVIEW_LEVEL).nullable(),
  accountId: z.string().max(40),
  at: z.iso.datetime({ offset: true }),
  comment: z.string().max(1000),
});
export type Transition = z.infer<typeof TransitionSchema>;

export const CreateDocumentSchema = z.object({
  siteId: z.string().regex(/^[a-z0-9-]+$/, '网站 ID 格式不正确'),
  columnId: z.string().min(3).max(80),
  draft: DraftSchema,
});
export const SaveDocumentSchema = z.object({ revision: z.number().int().min(1), draft: DraftSchema });

/** 转载/共享: another site shows a published document in one of its columns, with its own template. */
export const ShareSchema = z.object({
  documentId: DocumentIdSchema,
  siteId: z.string().regex(/^[a-z0-9-]+$/),
  columnId: z.string().min(3).max(80),
  /** Who on the receiving site decided to show it (内容自管: the receiving unit decides). */
  accountId: z.string().max(40),
  createdAt: z.iso.datetime({ offset: true }),
});
export type Share = z.infer<typeof ShareSchema>;
export const ShareRequestSchema = z.object({ siteId: z.string().regex(/^[a-z0-9-]+$/, '网站 ID 格式不正确'), columnId: z.string().min(3).max(80) });

/** Who may work on CMS documents (the route then checks the document's own site and column with `can`). */
export const DOCUMENT_ACCESS = defineAccess({
  /** See a document at all: any role on its site or above (worker/src/cms/document-access.ts). */
  read: { who: ['staff'], anyOf: ['document.write', 'document.review', 'document.publish', 'audit.read'] },
  /** Create, save, restore a revision, attach a file. */
  write: { who: ['staff'], action: 'document.write' },
  /** A workflow step: the step itself names the right it needs (ACTION_RIGHT). */
  move: { who: ['staff'], anyOf: ['document.submit', 'document.review', 'document.publish', 'document.withdraw'] },
  /** 转载 onto another site, or take it off again: the receiving site's right to publish. */
  share: { who: ['staff'], action: 'document.publish' },
});

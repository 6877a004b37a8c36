/**
 * One import record → the document the content store will hold, or the reason it cannot be one. Everything here
 * is decided before any write: the record is validated by the 接入标准 schema (import.ts: lenient dates made
 * exact), then as a Document by the same schema CMS documents pass (the body sanitized by its allow-list), then
 * checked with the pre-publish word and domain lists (reported, not blocking). Links to listed illegal sites
 * are taken out of the body (their text kept): a government page must not link there, whatever the old site did.
 */
import {
  DocumentSchema,
  ImportDocumentSchema,
  checkDraft,
  cstDate,
  listedHost,
  type CompiledLists,
  type Document,
  type Draft,
  type ImportDocument,
  type ImportRecordResult,
} from '@ywtc/cms-schema';
import type { z } from 'zod';

export interface SiteInfo {
  id: string;
  sponsor: string;
  /** slug → column id and kind, and column id → the same, so a record may name either. */
  columns: Map<string, { id: string; slug: string }>;
}

export interface Prepared {
  record: ImportDocument;
  document: Document;
  draft: Draft;
  columnId: string;
  columnSlug: string;
  /** The record's site's sponsor: a record whose 来源 it is, is that unit's own copy. */
  sponsor: string;
  warnings: string[];
}

export type Failed = Pick<ImportRecordResult, 'sourceId' | 'field' | 'reason'> & { outcome: 'failed' };

const firstIssue = (e: z.ZodError, prefix = '') => {
  const issue = e.issues[0]!;
  return { field: prefix + (issue.path.join('.') || 'record'), reason: issue.message };
};

/** The id a record's document gets: stable for (source, record id), so a re-run after a kill makes the same one. */
export async function documentIdFor(sourceId: string, recordId: string, siteId: string, publishedAt: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${sourceId}\n${recordId}`)));
  const hash = [...digest.slice(0, 5)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${siteId.slice(0, 40)}-${cstDate(publishedAt).replace(/-/g, '')}-i${hash}`;
}

const LINK = /<a\b([^>]*)>([\s\S]*?)<\/a>/gi;
/** Unwraps links to listed hosts in sanitized HTML (attribute values are double-quoted there). */
function withoutIllegalLinks(html: string, lists: CompiledLists): { html: string; removed: string[] } {
  const removed: string[] = [];
  const out = html.replace(LINK, (whole, attrs: string, inner: string) => {
    const href = /\bhref="([^"]*)"/i.exec(attrs)?.[1];
    // Only an absolute link (or a scheme-relative one) can leave the document's own site.
    if (!href || !/^(https?:)?\/\//i.test(href)) return whole;
    let host: string;
    try {
      const url = href.replace(/&amp;/g, '&');
      host = new URL(url.startsWith('//') ? `https:${url}` : url).hostname;
    } catch {
      return whole;
    }
    const listed = listedHost(host, lists);
    if (!listed) return whole;
    removed.push(listed);
    return inner;
  });
  return { html: out, removed };
}

/** Validates and shapes one record; `documentId` is the id it already has (an update) or will get. */
export function prepareRecord(
  input: unknown,
  ctx: { site: SiteInfo | undefined; documentId: (r: ImportDocument) => string; lists: CompiledLists; today: string },
): Prepared | Failed {
  const sourceId = typeof (input as { sourceId?: unknown })?.sourceId === 'string' ? (input as { sourceId: string }).sourceId : '';
  const parsed = ImportDocumentSchema.safeParse(input);
  if (!parsed.success) return { outcome: 'failed', sourceId, ...firstIssue(parsed.error) };
  const record = parsed.data;
  const site = ctx.site;
  if (!site) return { outcome: 'failed', sourceId, field: 'siteId', reason: `网站 ${record.siteId} 不在注册表中，或本来源无权写入` };
  const column = site.columns.get(record.column) ?? site.columns.get(`${record.siteId}/${record.column}`);
  if (!column) return { outcome: 'failed', sourceId, field: 'column', reason: `网站 ${record.siteId} 没有栏目“${record.column}”` };
  if (record.publishedAt > new Date(Date.now() + 86_400_000).toISOString())
    return { outcome: 'failed', sourceId, field: 'publishedAt', reason: '发布时间晚于今天：导入不接受未来的发布时间' };

  const source = record.source && record.source.length >= 2 ? record.source : (record.issuer ?? site.sponsor);
  const candidate = {
    id: ctx.documentId(record),
    kind: record.kind,
    title: record.title,
    bodyHtml: record.bodyHtml,
    summary: record.summary,
    keywords: record.keywords,
    author: record.author,
    source,
    sourceUrl: record.url,
    publishedAt: record.publishedAt,
    attachments: record.attachments.map(({ url: _url, ...a }) => a),
    ownerSiteId: record.siteId,
    // Generated items (benchmarks, fixtures) are titled 示例 and shown as such; real ones never are.
    isDemo: record.title.startsWith('示例'),
    indexNumber: record.indexNumber,
    issuer: record.issuer,
    docNumber: record.docNumber,
    writtenOn: record.writtenOn,
    // 发布日期 as the source gave it, else the day it was published there — never the day of the import.
    issuedOn: record.issuedOn ?? cstDate(record.publishedAt),
    topic: record.topic,
    subjectWords: record.subjectWords,
    validity: record.validity,
    interests: [],
    guide: null,
  };
  const doc = DocumentSchema.safeParse(candidate);
  if (!doc.success) return { outcome: 'failed', sourceId, ...firstIssue(doc.error) };
  const document = doc.data;
  const warnings: string[] = [];
  if (document.bodyHtml.replace(/\s+/g, '') !== record.bodyHtml.replace(/\s+/g, '')) warnings.push('正文含有不安全或不支持的标记，已按白名单清理');
  const cleaned = withoutIllegalLinks(document.bodyHtml, ctx.lists);
  if (cleaned.removed.length) {
    document.bodyHtml = cleaned.html;
    warnings.push(`已去除指向非法网站的链接：${[...new Set(cleaned.removed)].join('、')}`);
  }
  const { id: _id, publishedAt: _p, ownerSiteId: _o, isDemo: _d, issuedOn: _i, ...fields } = document;
  const draft: Draft = { ...fields, interprets: null };
  const report = checkDraft(draft, ctx.lists, ctx.today);
  for (const issue of [...report.errors, ...report.warnings]) warnings.push(`${issue.message}${issue.excerpt ? `（${issue.excerpt.slice(0, 30)}）` : ''}`);
  return { record, document, draft, columnId: column.id, columnSlug: column.slug, sponsor: site.sponsor, warnings };
}

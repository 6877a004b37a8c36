/** A plain document for Worker tests (an 文章 of a unit, no 政务公开 fields), with what a test needs changed. */
import { DocumentSchema, type Document, type DocumentInput } from '@ywtc/cms-schema';

export function testDocument(id: string, ownerSiteId: string, publishedAt: string, extra: Partial<DocumentInput> = {}): Document {
  return DocumentSchema.parse({
    id,
    kind: 'article',
    title: `测试信息 ${id}`,
    bodyHtml: '<p>正文</p>',
    summary: '',
    keywords: [],
    author: '',
    source: '测试',
    sourceUrl: null,
    publishedAt,
    attachments: [],
    ownerSiteId,
    isDemo: false,
    indexNumber: null,
    issuer: null,
    docNumber: null,
    writtenOn: null,
    issuedOn: null,
    topic: null,
    subjectWords: [],
    validity: null,
    interests: [],
    guide: null,
    ...extra,
  });
}

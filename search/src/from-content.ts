/** A content-store document as the search index sees it, with where each site shows it. */
import { htmlToText, type Document } from '@ywtc/cms-schema';
import type { SearchDocument } from './schema.ts';

export function toSearchDocument(doc: Document, placements: { siteId: string; path: string }[]): SearchDocument {
  return {
    id: doc.id, title: doc.title, docNumber: doc.docNumber, keywords: [...doc.keywords, ...doc.subjectWords].slice(0, 30),
    body: htmlToText(doc.bodyHtml), summary: doc.summary.slice(0, 500), kind: doc.kind, issuer: doc.issuer, validity: doc.validity,
    publishedAt: doc.publishedAt, placements,
  };
}

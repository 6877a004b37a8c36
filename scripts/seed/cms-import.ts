/**
 * The seeded content as CMS documents, so each unit's editors find their site's existing items in 内容列表 and
 * can edit, withdraw and publish them again like anything written in the CMS: one published document per
 * content-store document, on its owner's site and column, with its content as revision 1; its placements on
 * other sites as 转载 (cms_shares). The author is `seed`, never a person.
 */
import { createHash } from 'node:crypto';
import { reviewDepth, type CmsDocument, type Revision, type Share } from '@ywtc/cms-schema';
import type { Content } from './content.ts';

export const SEED_AUTHOR = 'seed';

export function cmsRowsOf(content: Content): { documents: CmsDocument[]; revisions: Revision[]; shares: Share[] } {
  const kindOf = new Map(content.columns.map((c) => [c.id, c.kind]));
  const interprets = new Map(content.links.map((l) => [l.interpretationId, l.policyId]));
  const placed = new Map<string, Content['placements']>();
  for (const p of content.placements) placed.set(p.documentId, [...(placed.get(p.documentId) ?? []), p]);
  const documents: CmsDocument[] = [];
  const revisions: Revision[] = [];
  const shares: Share[] = [];
  for (const d of content.documents) {
    const all = placed.get(d.id) ?? [];
    const home = all.find((p) => p.siteId === d.ownerSiteId);
    if (!home) continue; // not shown on its own site: nothing for its unit to manage
    const data = {
      kind: d.kind,
      title: d.title,
      bodyHtml: d.bodyHtml,
      summary: d.summary,
      keywords: d.keywords,
      author: d.author,
      source: d.source,
      sourceUrl: d.sourceUrl,
      attachments: d.attachments,
      indexNumber: d.indexNumber,
      issuer: d.issuer,
      docNumber: d.docNumber,
      writtenOn: d.writtenOn,
      topic: d.topic,
      subjectWords: d.subjectWords,
      validity: d.validity,
      interests: d.interests,
      guide: d.guide,
      interprets: interprets.get(d.id) ?? null,
    };
    documents.push({
      id: d.id,
      siteId: home.siteId,
      columnId: home.columnId,
      state: 'published',
      level: null,
      depth: reviewDepth(kindOf.get(home.columnId)!),
      revision: 1,
      publishedAt: d.publishedAt,
      scheduledAt: null,
      createdBy: SEED_AUTHOR,
      createdAt: d.publishedAt,
      updatedAt: d.publishedAt,
    });
    const json = JSON.stringify(data);
    revisions.push({
      documentId: d.id,
      revision: 1,
      data,
      hash: createHash('sha256').update(json).digest('hex'),
      authorId: SEED_AUTHOR,
      createdAt: d.publishedAt,
    });
    for (const p of all)
      if (p !== home) shares.push({ documentId: d.id, siteId: p.siteId, columnId: p.columnId, accountId: SEED_AUTHOR, createdAt: d.publishedAt });
  }
  return { documents, revisions, shares };
}

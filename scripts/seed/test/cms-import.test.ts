/** The seeded documents as CMS documents: each on its owner's site, its content a valid draft, other sites as 转载. */
import { describe, expect, it } from 'vitest';
import { CmsDocumentSchema, DraftSchema, RevisionSchema, ShareSchema } from '@ywtc/cms-schema';
import { buildSeed } from '../index.ts';
import { cmsRowsOf } from '../cms-import.ts';

const { content } = buildSeed({ siteIds: ['nnxn', 'fgw-gxzf', 'rd-nanning'], now: new Date('2026-11-28T00:00:00Z') });
const rows = cmsRowsOf(content);

describe('seeded content in the CMS', () => {
  it('gives every seeded document on its own site one published CMS document there, and the reference documents none', () => {
    // The reference corpus (other provinces' documents) sits on no site: no unit manages it in the CMS.
    expect(content.reference.length).toBe(115);
    expect(rows.documents.length).toBe(content.documents.length - content.reference.length);
    for (const id of content.reference) expect(rows.documents.some((d) => d.id === id)).toBe(false);
    for (const d of rows.documents) {
      CmsDocumentSchema.parse(d);
      const doc = content.documents.find((x) => x.id === d.id)!;
      expect(d.siteId).toBe(doc.ownerSiteId);
      expect(content.placements.some((p) => p.documentId === d.id && p.siteId === d.siteId && p.columnId === d.columnId)).toBe(true);
      expect(d).toMatchObject({ state: 'published', revision: 1, publishedAt: doc.publishedAt, createdBy: 'seed' });
    }
  });

  it("stores each one's content as a draft an editor can save again unchanged", () => {
    const bad = rows.revisions.map((r) => ({ id: r.documentId, r: DraftSchema.safeParse(r.data) })).filter((x) => !x.r.success);
    expect(bad.map((x) => `${x.id}: ${x.r.error?.issues.map((i) => i.path.join('.') + ' ' + i.message).join('; ')}`)).toEqual([]);
    for (const r of rows.revisions) RevisionSchema.parse(r);
  });

  it('records the other sites showing a document as 转载', () => {
    const expected = content.placements.filter((p) => content.documents.find((d) => d.id === p.documentId)!.ownerSiteId !== p.siteId);
    expect(rows.shares.length).toBe(expected.length);
    for (const s of rows.shares) ShareSchema.parse(s);
  });
});

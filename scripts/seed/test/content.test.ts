import { describe, expect, it } from 'vitest';
import { buildRegistry, loadRegistrySource } from '../registry.ts';
import { SeedError, buildContent, loadContentSource } from '../content.ts';

const sites = buildRegistry(loadRegistrySource());
const src = loadContentSource();
const now = new Date('2026-11-28T00:00:00Z');
const content = buildContent(sites, src, { now, newsPerColumn: 6 });
const docs = new Map(content.documents.map((d) => [d.id, d]));

describe('seed content', () => {
  it('leaves no column of any site empty', () => {
    const parents = new Set(content.columns.map((c) => c.parentId).filter(Boolean));
    const filled = new Set(content.placements.map((p) => p.columnId));
    for (const q of content.qa) filled.add(`${q.siteId}/zcwd`);
    const empty = content.columns.filter((c) => !parents.has(c.id) && !filled.has(c.id)).map((c) => c.id);
    expect(empty).toEqual([]);
    expect(content.columns.length).toBeGreaterThan(sites.length * 4);
  });

  it("keeps each real document's issuer, number and dates, and shows where it came from", () => {
    const p = docs.get('p00001')!;
    expect(p).toMatchObject({
      issuer: '国务院',
      docNumber: '国发〔2019〕5号',
      writtenOn: '2019-01-27',
      issuedOn: '2019-02-15',
      indexNumber: '000014349/2019-00007',
      source: '中国政府网',
      isDemo: false,
    });
    expect(p.publishedAt).toBe('2019-02-15T00:00:00+08:00');
    for (const d of content.documents.filter((x) => !x.isDemo)) {
      expect(d.issuer ?? '', d.id).not.toMatch(/广西|南宁/); // no real document is passed off as a Guangxi one
      expect(d.source.length).toBeGreaterThan(1);
    }
    const original = src.policies.find((x) => x.id === 'p00001')!;
    expect(p.bodyHtml).toContain(original.body.split('\n')[3]!.trim().slice(0, 20));
  });

  it('turns the chapter headings of regulations into headings, not “##” text', () => {
    const regs = content.documents.filter((d) => d.kind === 'regulation');
    expect(regs.length).toBeGreaterThan(50);
    expect(regs.some((d) => /<h2>第一章\s*总\s*则<\/h2>/.test(d.bodyHtml))).toBe(true);
    for (const d of regs) {
      expect(d.bodyHtml, d.id).not.toMatch(/<p>#/);
      expect(d.summary, d.id).not.toMatch(/#/);
    }
  });

  it('marks every generated item 示例 in its title and body', () => {
    const demos = content.documents.filter((d) => d.isDemo);
    expect(demos.length).toBeGreaterThan(1000);
    for (const d of demos) {
      expect(d.title.startsWith('示例')).toBe(true);
      expect(d.bodyHtml).toContain('【示例】');
      expect(d.id.startsWith('demo-')).toBe(true);
    }
  });

  it('shows one document on several sites (转载) and links interpretations to policies', () => {
    const sitesPer = new Map<string, Set<string>>();
    for (const p of content.placements) sitesPer.set(p.documentId, (sitesPer.get(p.documentId) ?? new Set()).add(p.siteId));
    expect(Math.max(...[...sitesPer.values()].map((s) => s.size))).toBeGreaterThan(5);
    expect(content.links.some((l) => l.policyId === 'p00003' && l.interpretationId === 'p01264')).toBe(true);
    for (const l of content.links) {
      expect(docs.get(l.interpretationId)!.kind).toBe('interpretation');
      expect(['policy', 'regulation']).toContain(docs.get(l.policyId)!.kind);
    }
  });

  it('keeps news columns inside the two-week update rule', () => {
    const newsColumns = new Set(content.columns.filter((c) => c.kind === 'news' || c.kind === 'work-news').map((c) => c.id));
    const newest = new Map<string, number>();
    for (const p of content.placements)
      if (newsColumns.has(p.columnId)) newest.set(p.columnId, Math.max(newest.get(p.columnId) ?? 0, Date.parse(docs.get(p.documentId)!.publishedAt)));
    expect(newest.size).toBe(newsColumns.size);
    for (const t of newest.values()) expect(now.getTime() - t).toBeLessThan(14 * 86_400_000);
  });

  it('ties every Q&A entry to a stored source document', () => {
    expect(content.qa.length).toBeGreaterThan(100);
    for (const q of content.qa) expect(docs.has(q.sourceDocumentId)).toBe(true);
  });

  it('stops on a bad record, naming the record and the field', () => {
    const bad = { ...src, policies: src.policies.map((p) => (p.id === 'p00001' ? { ...p, doc_number: '国发2019年5号' } : p)) };
    expect(() => buildContent(sites, bad, { now, newsPerColumn: 6 })).toThrow(SeedError);
    expect(() => buildContent(sites, bad, { now, newsPerColumn: 6 })).toThrow(/文档 p00001: 字段 docNumber/);
    const badQa = { ...src, qa: [{ ...src.qa[0]!, question: '?' }] };
    expect(() => buildContent(sites, badQa, { now, newsPerColumn: 6 })).toThrow(/问答 .*: 字段 question/);
  });
});

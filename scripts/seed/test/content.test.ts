import { describe, expect, it } from 'vitest';
import { buildRegistry, loadRegistrySource } from '../registry.ts';
import { SeedError, buildContent, loadContentSource } from '../content.ts';
import { searchDocumentsOf } from '@ywtc/search';
import { indexStore, sitePages } from '../../../sites/publisher/routes.ts';

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
    // No real document is passed off as a Guangxi one: only the Guangxi records (and 灵山县's guides) name a Guangxi issuer.
    const guangxi = new Set(src.guangxiPolicies.map((g) => g.id));
    for (const d of content.documents.filter((x) => !x.isDemo && !guangxi.has(x.id))) {
      expect(d.issuer ?? '', d.id).not.toMatch(/广西|南宁/);
      expect(d.source.length).toBeGreaterThan(1);
    }
    for (const g of src.guangxiPolicies) expect(docs.get(g.id)).toMatchObject({ issuer: g.issuer, docNumber: g.doc_number, title: g.title, isDemo: false });
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

  it('ties every Q&A entry to a source notice the portal itself shows', () => {
    // 47 of the 189 answers rest on a national or Guangxi notice; the rest answer from other places' notices.
    expect(content.qa.length).toBe(47);
    const shown = new Set(content.placements.filter((p) => p.siteId === 'gxzf').map((p) => p.documentId));
    for (const q of content.qa) expect(shown.has(q.sourceDocumentId), q.id).toBe(true);
  });

  it("puts no other province's document in any Guangxi unit's column, and keeps them in the store", () => {
    // Written out rather than asked of the seed: a province's name opening an issuer, a 来源 or a title, or the
    // title of the policy a 解读 or a 通知 is about (《河北省…》), marks another province's document.
    const other =
      '(北京|天津|河北|山西|内蒙古|辽宁|吉林|黑龙江|上海|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|重庆|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆|香港|澳门|台湾)';
    const opens = new RegExp(`^(示例：)?(中共)?${other}|《${other}|^(温州|绍兴|广州|杭州|深圳|通州)`);
    const shown = new Set(content.placements.map((p) => p.documentId));
    const offenders = [...shown].map((id) => docs.get(id)!).filter((d) => [d.issuer ?? '', d.source, d.title].some((t) => opens.test(t)));
    expect(offenders.map((d) => `${d.id} ${d.title}`)).toEqual([]);
    // They are still stored: the 河北 documents and the notices of other places, as reference.
    const hebei = content.documents.filter((d) => /^河北/.test(d.issuer ?? d.source));
    expect(hebei.length).toBe(21); // 12 解读 and 9 科技厅 files of 河北
    // The two 部委 files crawled from 河北's site stay there too: their only copy (来源) is 河北's.
    for (const id of ['p00748', 'p00781']) expect(content.reference).toContain(id);

    for (const d of hebei) expect(content.reference).toContain(d.id);
    expect(content.reference.filter((id) => id.startsWith('ncp-')).length).toBe(92);
    for (const id of content.reference) expect(shown.has(id), id).toBe(false);
    // Searchable across the cluster, without a placement: no site's search (which filters on placements) finds them.
    const indexed = new Map(searchDocumentsOf({ ...content, sites }).map((d) => [d.id, d]));
    for (const id of content.reference) expect(indexed.get(id)?.placements, id).toEqual([]);
  });

  it("shows no other province's 解读 in the 政策解读 block of www.gxzf.gov.cn", () => {
    const store = { sites, columns: content.columns, documents: docs, placements: content.placements, links: content.links, qa: content.qa, revision: 'test' };
    const home = sitePages(indexStore(store), 'gxzf', { originFor: (d) => `https://${d}` }).html.find((p) => p.type === 'home');
    if (!home || home.type !== 'home') throw new Error('no home page');
    const block = home.blocks.find((b) => b.column.name === '政策解读');
    expect(block?.items.length).toBeGreaterThan(0);
    for (const item of block!.items) {
      expect(item.title, item.id).not.toMatch(/河北|外省/);
      // Each 解读 on the portal interprets a document the portal itself shows: the centre's or Guangxi's.
      const policy = content.links.find((l) => l.interpretationId === item.id)!.policyId;
      expect(content.placements.some((p) => p.siteId === 'gxzf' && p.documentId === policy)).toBe(true);
      expect(docs.get(policy)!.issuer ?? '').toMatch(/^(国务院|广西)/);
    }
  });

  it("puts the real Guangxi documents on the regional portal's own columns", () => {
    const where = (id: string) => content.placements.filter((p) => p.documentId === id).map((p) => p.columnId);
    expect(where('gx-pol-bc8ad57e68f2')).toEqual(['gxzf/zzqwj']); // 桂政发〔2006〕17号
    expect(where('gx-pol-67459ab55177')).toEqual(['gxzf/zzqwj']); // 桂政办函〔2018〕11号
    for (const id of ['gx-pol-7707a9a3bab9', 'gx-pol-bac67ea0ee90']) expect(where(id)).toEqual(['gxzf/zzqbmwj']); // 交通运输厅, 大数据发展局
    // A 预案 dated only by its cover month gets no made-up 成文日期.
    expect(docs.get('gx-pol-7707a9a3bab9')).toMatchObject({ writtenOn: null, issuer: '广西壮族自治区交通运输厅' });
    expect(docs.get('gx-pol-bc8ad57e68f2')).toMatchObject({
      indexNumber: '000014349/2020-405310',
      sourceUrl: 'http://www.gxzf.gov.cn/zfwj/zzqrmzfwj_34845/t1508733.shtml',
    });
  });

  it('stops on a bad record, naming the record and the field', () => {
    const bad = { ...src, policies: src.policies.map((p) => (p.id === 'p00001' ? { ...p, doc_number: '国发2019年5号' } : p)) };
    expect(() => buildContent(sites, bad, { now, newsPerColumn: 6 })).toThrow(SeedError);
    expect(() => buildContent(sites, bad, { now, newsPerColumn: 6 })).toThrow(/文档 p00001: 字段 docNumber/);
    const kept = src.qa.find((q) => content.qa.some((x) => x.id === `qa-${q.id}`))!;
    const badQa = { ...src, qa: [{ ...kept, question: '?' }] };
    expect(() => buildContent(sites, badQa, { now, newsPerColumn: 6 })).toThrow(/问答 .*: 字段 question/);
  });
});

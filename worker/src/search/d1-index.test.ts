/**
 * The embedded index's second shape against a real D1: exact document frequencies through replace and remove,
 * snippets, policy ↔ interpretation grouping, typo correction, placement filters, and broad queries.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import {
  PLAN,
  SearchDocumentSchema,
  SearchParamsSchema,
  documentTokens,
  indexDocuments,
  removeDocuments,
  searchD1,
  type SearchDocument,
  type SearchDocumentInput,
} from '@ywtc/search';

const doc = (id: string, title: string, body: string, extra: Partial<SearchDocumentInput> = {}): SearchDocument =>
  SearchDocumentSchema.parse({
    id,
    title,
    body,
    docNumber: null,
    keywords: [],
    summary: body.slice(0, 40),
    kind: 'policy',
    issuer: '广西壮族自治区人民政府办公厅',
    validity: '有效',
    publishedAt: '2022-05-01T10:00:00+08:00',
    placements: [{ siteId: 'gxzf', path: `/zcwj/${id}.html`, columnKind: 'policy', level: 'province', region: '45' }],
    ...extra,
  });
const search = (q: Record<string, unknown>) => searchD1(env.DB, SearchParamsSchema.parse(q));

async function termsInD1(): Promise<Map<string, number>> {
  const { results } = await env.DB.prepare('SELECT term, df FROM search_terms').all<{ term: string; df: number }>();
  return new Map(results.map((r) => [r.term, r.df]));
}
function expectedTerms(docs: SearchDocument[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const d of docs) for (const t of documentTokens(d)) df.set(t, (df.get(t) ?? 0) + 1);
  return df;
}

describe('document frequencies', () => {
  it('stay exact when documents are added, replaced and removed', async () => {
    const a = doc('f1', '城乡居民医疗保险缴费通知', '参保人员按年度缴费。');
    const b = doc('f2', '失业保险稳岗返还', '企业可申请稳岗返还。');
    await indexDocuments(env.DB, [a, b]);
    expect(await termsInD1()).toEqual(expectedTerms([a, b]));
    const a2 = doc('f1', '城乡居民医疗保险缴费标准调整', '二〇二三年度缴费标准提高。');
    await indexDocuments(env.DB, [a2]);
    expect(await termsInD1()).toEqual(expectedTerms([a2, b]));
    await removeDocuments(env.DB, ['f2', 'no-such-id']);
    expect(await termsInD1()).toEqual(expectedTerms([a2]));
    await removeDocuments(env.DB, ['f1']);
    expect((await termsInD1()).size).toBe(0);
  });
});

describe('results', () => {
  it('carry a snippet around the query words, escaped, with the words marked', async () => {
    await indexDocuments(env.DB, [
      doc(
        's1',
        '关于做好工伤保险工作的通知',
        `${'各地要按规定执行。'.repeat(30)}<script>alert(1)</script>工伤认定申请应当在事故发生之日起三十日内提出。${'其他事项另行通知。'.repeat(30)}`,
      ),
    ]);
    const hit = (await search({ q: '工伤认定' })).hits[0]!;
    expect(hit.id).toBe('s1');
    expect(hit.snippet).toContain('<mark>工伤认定</mark>');
    expect(hit.snippet).not.toContain('<script>');
    expect(hit.snippet.length).toBeLessThan(400);
    await removeDocuments(env.DB, ['s1']);
  });

  it('group a policy with its interpretation', async () => {
    const policy = doc('g-policy', '广西壮族自治区城镇老旧小区改造实施方案', '推进城镇老旧小区改造。');
    const reading = doc('g-reading', '图解：城镇老旧小区改造实施方案', '一图读懂老旧小区改造。', { kind: 'interpretation', interprets: ['g-policy'] });
    await indexDocuments(env.DB, [policy, reading]);
    // Both found: the interpretation is shown under its policy, not as a second hit.
    const both = await search({ q: '老旧小区改造' });
    expect(both.hits.map((h) => h.id)).toEqual(['g-policy']);
    expect(both.hits[0]!.related).toEqual([
      { id: 'g-reading', title: reading.title, relation: 'interpretation', placements: [{ siteId: 'gxzf', path: '/zcwj/g-reading.html' }] },
    ]);
    // Only the interpretation found: it brings its policy along.
    const one = await search({ q: '一图读懂' });
    expect(one.hits[0]).toMatchObject({ id: 'g-reading', related: [{ id: 'g-policy', relation: 'policy' }] });
    await removeDocuments(env.DB, ['g-policy', 'g-reading']);
  });

  it('correct a one-character typo in a keyword query and say so', async () => {
    await indexDocuments(env.DB, [doc('t1', '住房公积金提取办法', '职工提取住房公积金。')]);
    const r = await search({ q: '住房公集金' }); // 集 typed for 积
    expect(r.suggestion).toBe('住房公积金');
    expect(r.hits[0]!.id).toBe('t1');
    expect((await search({ q: '住房公积金' })).suggestion).toBeNull();
    await removeDocuments(env.DB, ['t1']);
  });

  it('filter on the same placement by column kind, level and region, and by part of the issuer', async () => {
    await indexDocuments(env.DB, [
      doc('p1', '南宁市稳就业若干措施', '稳就业。', {
        issuer: '南宁市人民政府',
        placements: [{ siteId: 'nanning', path: '/zcwj/p1.html', columnKind: 'policy', level: 'city', region: '4501' }],
      }),
      doc('p2', '自治区稳就业工作动态', '稳就业。', {
        placements: [
          { siteId: 'gxzf', path: '/gzdt/p2.html', columnKind: 'work-news', level: 'province', region: '45' },
          { siteId: 'nanning', path: '/gzdt/p2.html', columnKind: 'work-news', level: 'city', region: '4501' },
        ],
      }),
    ]);
    const ids = async (q: Record<string, unknown>) => (await search({ q: '稳就业', ...q })).hits.map((h) => h.id).sort();
    expect(await ids({ column: 'policy' })).toEqual(['p1']);
    expect(await ids({ level: 'province' })).toEqual(['p2']);
    expect(await ids({ region: '4501' })).toEqual(['p1', 'p2']);
    expect(await ids({ region: '4501', column: 'policy' })).toEqual(['p1']);
    expect(await ids({ site: 'gxzf', column: 'policy' })).toEqual([]); // p1's policy placement is on nanning, not gxzf
    expect(await ids({ issuer: '南宁市' })).toEqual(['p1']);
    await removeDocuments(env.DB, ['p1', 'p2']);
  });
});

describe('发文字号 with filters', () => {
  it('finds the numbered document only where the filters allow it', async () => {
    await indexDocuments(env.DB, [
      doc('n1', '关于印发南宁市就业补贴办法的通知', '补贴办法。', {
        docNumber: '南府规〔2025〕3号',
        placements: [{ siteId: 'nanning', path: '/zcwj/n1.html', columnKind: 'policy', level: 'city', region: '4501' }],
      }),
    ]);
    expect((await search({ q: '南府规[2025]3号', region: '4501' })).hits[0]).toMatchObject({ id: 'n1', match: 'doc-number' });
    expect((await search({ q: '南府规[2025]3号', level: 'province' })).hits.filter((h) => h.match === 'doc-number')).toEqual([]);
    await removeDocuments(env.DB, ['n1']);
  });
});

describe('broad queries', () => {
  it('rank title matches first and count up to the cap when a query matches more than can be ranked', async () => {
    const many = Array.from({ length: PLAN.fullRank + 60 }, (_, i) =>
      doc(`b${String(i).padStart(5, '0')}`, `第${i}期工作简报`, '本期简报介绍疫情防控工作进展。', {
        publishedAt: `2023-01-01T${String(8 + (i % 10)).padStart(2, '0')}:00:00+08:00`,
      }),
    );
    // The oldest document, outside the newest-matches window, but with the words in its title.
    const titled = doc('b-title', '疫情防控工作方案', '方案全文。', { publishedAt: '2019-01-01T10:00:00+08:00' });
    await indexDocuments(env.DB, [titled]); // indexed first: the lowest rowid, read as the oldest
    for (let i = 0; i < many.length; i += 250) await indexDocuments(env.DB, many.slice(i, i + 250));
    const r = await search({ q: '疫情防控' });
    expect(r.totalIsLowerBound).toBe(true);
    expect(r.total).toBe(PLAN.countCap);
    expect(r.hits[0]!.id).toBe('b-title');
    expect(r.hits).toHaveLength(10);
  });
});

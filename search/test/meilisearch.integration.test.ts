/**
 * The Meilisearch backend against a real server, skipped unless MEILISEARCH_HOST is set:
 *
 *   MEILISEARCH_HOST=http://127.0.0.1:7700 MEILISEARCH_API_KEY=… npx vitest run --project unit search/test/meilisearch.integration.test.ts
 *
 * Works in a fresh index with a unique name and deletes it afterwards (needs a key that may create and delete
 * indexes). Requires Meilisearch 1.15 or later.
 */
import { Meilisearch } from 'meilisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeilisearchBackend } from '../src/meilisearch/backend.ts';
import { SearchDocumentSchema, SearchParamsSchema, type PlacementRef, type SearchDocument, type SearchDocumentInput } from '../src/schema.ts';

const HOST = process.env.MEILISEARCH_HOST;
const API_KEY = process.env.MEILISEARCH_API_KEY || undefined;
const INDEX = `ywtc-test-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

const place = (
  siteId: string,
  columnKind: PlacementRef['columnKind'],
  level: PlacementRef['level'],
  region: string,
  id: string,
): SearchDocumentInput['placements'][number] => ({ siteId, path: `/p/${encodeURIComponent(id)}.html`, columnKind, level, region });
const doc = (id: string, title: string, body: string, extra: Partial<SearchDocumentInput> = {}): SearchDocument =>
  SearchDocumentSchema.parse({
    id,
    title,
    body,
    docNumber: null,
    keywords: [],
    summary: body.slice(0, 50),
    kind: 'policy',
    issuer: '国务院',
    validity: '有效',
    publishedAt: '2021-06-01T00:00:00+08:00',
    placements: [place('gxzf', 'policy', 'province', '45', id)],
    ...extra,
  });
const ODD_ID = 'gov.cn/2022/社保.v2';
const DOCS = [
  doc('d1', '关于调整住房公积金提取政策的通知', '职工可以按规定提取住房公积金用于支付房租。', { docNumber: '桂政办发〔2021〕120号' }),
  doc('d2', '社会保险费缓缴办法', '受疫情影响的企业可申请缓缴社会保险费，政策执行到年底。', {
    publishedAt: '2021-06-02T00:00:00+08:00',
    placements: [place('nanning', 'policy', 'city', '4501', 'd2')],
  }),
  doc('d3', '待处理事项清单', '各单位报送待处理的政务服务事项。', {
    kind: 'notice',
    validity: null,
    placements: [place('gxzf', 'notice', 'province', '45', 'd3')],
  }),
  doc('d4', '异地就医直接结算', '参保人员异地就医可以直接结算医疗费用，相关政策另行公布。', {
    publishedAt: '2024-01-01T00:00:00+08:00',
    validity: '失效',
    issuer: '国家医疗保障局',
  }),
  doc(ODD_ID, '社保卡申领指南', '办理社保卡需要携带身份证。', { kind: 'article', validity: null, publishedAt: '2022-03-01T00:00:00+08:00' }),
  doc('d7', '缓缴政策问答', '问：社会保险费可以缓缴吗？答：符合条件的企业可以申请。', {
    kind: 'interpretation',
    validity: null,
    publishedAt: '2023-05-01T00:00:00+08:00',
    placements: [place('wuzhou', 'interpretation', 'city', '4504', 'd7')],
  }),
];

describe.skipIf(!HOST)('Meilisearch backend against a real server', { timeout: 60_000 }, () => {
  // Built in beforeAll: the suite's body also runs, to collect the tests, when it is skipped.
  let backend: MeilisearchBackend;
  const search = (q: Record<string, unknown>) => backend.search(SearchParamsSchema.parse(q));
  const ids = async (q: Record<string, unknown>) => (await search(q)).hits.map((h) => h.id);

  beforeAll(async () => {
    backend = new MeilisearchBackend({ host: HOST!, apiKey: API_KEY, indexUid: INDEX, taskTimeoutMs: 60_000 });
    await backend.index(DOCS);
  }, 120_000);
  afterAll(async () => {
    await new Meilisearch({ host: HOST!, apiKey: API_KEY }).deleteIndex(INDEX).waitTask({ timeout: 60_000 });
  }, 120_000);

  it('finds a 2-character query inside compound words (处理 in 待处理)', async () => {
    expect(await ids({ q: '处理' })).toContain('d3');
    expect((await ids({ q: '公积' }))[0]).toBe('d1');
  });

  it('ranks a title match above a body match', async () => {
    const found = await ids({ q: '社会保险' });
    expect(found).toContain('d7');
    expect(found.indexOf('d2')).toBeLessThan(found.indexOf('d7'));
  });

  it.each(['桂政办发〔2021〕120号', '桂政办发[2021]120号', '桂政办发2021年120号', '桂政办发（2021）120号', '桂政办发【2021】120号'])(
    'puts the document with number %s first',
    async (q) => {
      const r = await search({ q });
      expect(r.hits[0]).toMatchObject({ id: 'd1', match: 'doc-number' });
      expect(r.hits.filter((h) => h.id === 'd1')).toHaveLength(1);
    },
  );

  it('lets no query syntax through', async () => {
    // Each is searched as the words it holds: the document about 住房公积金 is found, nothing errs.
    for (const q of ['"住房', '公积金*', 'NEAR(住房 公积金)', '-住房', '住房 AND', '((住房', 'kind = "policy" 住房'])
      expect(await ids({ q }), q).toContain('d1');
    // Syntax alone is no query: no hits, and no error.
    for (const q of [')', '"', '*', '\\']) expect((await search({ q })).total, q).toBe(0);
    expect((await ids({ q: '"住房公积金" AND (提取' }))[0]).toBe('d1');
  });

  it('filters by site, kind, validity, year, issuer, column, level and region', async () => {
    expect(await ids({ q: '缓缴', site: 'nanning' })).toEqual(['d2']);
    expect((await search({ q: '缓缴', site: 'gxzf' })).total).toBe(0);
    expect(await ids({ q: '事项', kind: 'notice' })).toEqual(['d3']);
    expect(await ids({ q: '就医', validity: '失效' })).toEqual(['d4']);
    expect((await search({ q: '就医', year: 2021 })).total).toBe(0);
    expect(await ids({ q: '就医', year: 2024 })).toEqual(['d4']);
    expect(await ids({ q: '就医', issuer: '医疗保障' })).toEqual(['d4']);
    expect((await search({ q: '就医', issuer: '国务院' })).total).toBe(0);
    expect(await ids({ q: '事项', column: 'notice' })).toEqual(['d3']);
    expect((await ids({ q: '缓缴', level: 'city' })).sort()).toEqual(['d2', 'd7']);
    expect(await ids({ q: '缓缴', region: '4501' })).toEqual(['d2']);
    expect((await ids({ q: '缓缴', region: '45' })).sort()).toEqual(['d2', 'd7']);
    // Facts of one placement: d2 is a policy on nanning, not a notice.
    expect(await ids({ q: '缓缴', site: 'nanning', column: 'policy' })).toEqual(['d2']);
    expect((await search({ q: '缓缴', site: 'nanning', column: 'notice' })).total).toBe(0);
  });

  it('sorts by date, newest first, and pages with totals', async () => {
    const byDate = await search({ q: '政策', sort: 'date' });
    expect(byDate.hits.map((h) => h.id)).toEqual(['d4', 'd7', 'd2', 'd1']);
    const p1 = await search({ q: '政策', size: 2 });
    const p2 = await search({ q: '政策', size: 2, page: 2 });
    expect([p1.total, p2.total]).toEqual([4, 4]);
    expect(new Set([...p1.hits, ...p2.hits].map((h) => h.id)).size).toBe(4);
  });

  it('expands abbreviations both ways once the synonyms are set: 社保 ↔ 社会保险', async () => {
    expect(await ids({ q: '社保' })).toEqual([ODD_ID]);
    await backend.setSynonyms([
      ['社保', '社会保险'],
      ['公积金', '住房公积金'],
    ]);
    expect((await ids({ q: '社保' })).sort()).toEqual(['d2', 'd7', ODD_ID].sort());
    expect(await ids({ q: '社会保险' })).toContain(ODD_ID);
    expect(await ids({ q: '社保缓缴' })).toContain('d2');
  });

  it('returns safe snippets: text escaped, only <mark> as markup', async () => {
    const r = await search({ q: '处理' });
    for (const h of r.hits) expect(h.snippet.replace(/<\/?mark>/g, ''), h.id).not.toMatch(/[<>]/);
    expect(r.hits.find((h) => h.id === 'd3')!.snippet).toContain('<mark>');
    expect(r.hits.every((h) => h.related.length === 0)).toBe(true);
  });

  it('returns nothing (not an error) for an empty query, and forgets removed documents, whatever their id', async () => {
    expect((await search({ q: '   ' })).total).toBe(0);
    await backend.remove(['d4', ODD_ID, 'never-indexed']);
    expect((await search({ q: '异地就医' })).total).toBe(0);
    expect(await ids({ q: '社保卡' })).not.toContain(ODD_ID);
    await backend.index([DOCS[3]!, DOCS[4]!]);
    expect((await ids({ q: '异地就医' }))[0]).toBe('d4');
    expect(await ids({ q: '社保卡' })).toContain(ODD_ID);
  });
});

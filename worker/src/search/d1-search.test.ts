/** The embedded search backend against a real D1 with FTS5 (migrations applied). */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  indexDocuments,
  loadSynonyms,
  removeDocuments,
  searchD1,
  SearchParamsSchema,
  SearchDocumentSchema,
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
    summary: body.slice(0, 50),
    kind: 'policy',
    issuer: '国务院',
    validity: '有效',
    publishedAt: '2021-06-01T00:00:00+08:00',
    placements: [{ siteId: 'gxzf', path: `/zcwj/${id}.html` }],
    ...extra,
  });
const DOCS = [
  doc('d1', '关于调整住房公积金提取政策的通知', '职工可以按规定提取住房公积金用于支付房租。', { docNumber: '桂政办发〔2021〕120号' }),
  doc('d2', '社会保险费缓缴办法', '受疫情影响的企业可申请缓缴社会保险费。', {
    placements: [{ siteId: 'nanning', path: '/zcwj/d2.html' }],
    publishedAt: '2022-03-01T09:00:00+08:00',
  }),
  doc('d3', '待处理事项清单', '各单位报送待处理的政务服务事项。', { kind: 'notice', validity: null, publishedAt: '2023-05-01T09:00:00+08:00' }),
  doc('d4', '异地就医直接结算', '参保人员异地就医可以直接结算医疗费用。', { publishedAt: '2024-01-01T00:00:00+08:00', validity: '失效' }),
];
const search = (q: Record<string, unknown>) => searchD1(env.DB, SearchParamsSchema.parse(q));

beforeAll(async () => {
  await indexDocuments(env.DB, DOCS);
});

describe('embedded search', () => {
  it('finds a 2-character query inside compound words (处理 in 待处理)', async () => {
    const r = await search({ q: '处理' });
    expect(r.hits.map((h) => h.id)).toContain('d3');
    expect((await search({ q: '公积' })).hits[0]!.id).toBe('d1');
  });

  it('ranks a title match above a body match', async () => {
    const r = await search({ q: '社会保险' });
    expect(r.hits[0]!.id).toBe('d2');
  });

  it.each(['桂政办发〔2021〕120号', '桂政办发[2021]120号', '桂政办发2021年120号', '桂政办发（2021）120号'])(
    'puts the document with number %s first',
    async (q) => {
      const r = await search({ q });
      expect(r.hits[0]).toMatchObject({ id: 'd1', match: 'doc-number' });
    },
  );

  it('never lets FTS syntax through: quotes, *, NEAR, -, AND, unbalanced parentheses', async () => {
    // Each is searched as the words it holds: the document about 住房公积金 is found, nothing errs.
    for (const q of ['"住房', '公积金*', 'NEAR(住房 公积金)', '-住房', '住房 AND', '((住房']) {
      const r = await search({ q });
      expect(
        r.hits.map((h) => h.id),
        q,
      ).toContain('d1');
      expect(
        r.hits.every((h) => DOCS.some((d) => d.id === h.id)),
        q,
      ).toBe(true);
    }
    // Syntax alone is no query: no hits, and no error.
    for (const q of [')', '"', '*']) expect((await search({ q })).total, q).toBe(0);
    expect((await search({ q: '"住房公积金" AND (提取' })).hits[0]!.id).toBe('d1');
  });

  it('filters by site, kind, validity and year, and sorts by date', async () => {
    expect((await search({ q: '缓缴', site: 'nanning' })).hits.map((h) => h.id)).toEqual(['d2']);
    expect((await search({ q: '缓缴', site: 'gxzf' })).total).toBe(0);
    expect((await search({ q: '事项', kind: 'notice' })).hits.map((h) => h.id)).toEqual(['d3']);
    expect((await search({ q: '就医', validity: '失效' })).hits.map((h) => h.id)).toEqual(['d4']);
    expect((await search({ q: '就医', year: 2021 })).total).toBe(0);
    // Three documents on 营商环境 from three years, indexed out of date order: newest first.
    const dated = [
      ['e1', '2019-03-01'],
      ['e2', '2023-03-01'],
      ['e3', '2021-03-01'],
    ].map(([id, day]) => doc(id!, `优化营商环境若干措施（${day!.slice(0, 4)}年）`, '持续优化营商环境。', { publishedAt: `${day}T09:00:00+08:00` }));
    await indexDocuments(env.DB, dated);
    expect((await search({ q: '营商环境', sort: 'date' })).hits.map((h) => h.id)).toEqual(['e2', 'e3', 'e1']);
    await removeDocuments(env.DB, ['e1', 'e2', 'e3']);
  });

  it('pages with totals', async () => {
    const extra = ['一', '二', '三', '四'].map((n, i) => doc(`p${i}`, `住房保障工作通知之${n}`, `做好第${n}批住房保障工作。`));
    await indexDocuments(env.DB, extra);
    const all = await search({ q: '住房保障', size: 2 });
    expect(all.total).toBe(4);
    const p2 = await search({ q: '住房保障', size: 2, page: 2 });
    expect(p2.hits).toHaveLength(2);
    expect(new Set([...all.hits, ...p2.hits].map((h) => h.id)).size).toBe(4);
    await removeDocuments(
      env.DB,
      extra.map((d) => d.id),
    );
  });

  it('finds nothing when each word of the query is in a different document: below the relevance floor', async () => {
    // Eight words, each document holding one of them — an eighth of the query — is not an answer to it.
    const words = ['交通', '教育', '文化', '卫生', '农业', '林业', '水利'];
    const one = words.map((w, i) => doc(`w${i}`, `${w}工作简报`, `${w}。`));
    await indexDocuments(env.DB, one);
    const q = ['住房', ...words].join(' ');
    const r = await search({ q });
    expect(r.total).toBe(0);
    expect(r.hits).toEqual([]);
    // Half of them in one document is: it is found, and counted alone.
    await indexDocuments(env.DB, [doc('f1', '住房交通教育文化工作', '住房、交通、教育、文化。')]);
    const found = await search({ q });
    expect(found.hits.map((h) => h.id)).toEqual(['f1']);
    expect(found.total).toBe(1);
    await removeDocuments(env.DB, ['f1', ...one.map((d) => d.id)]);
  });

  it('looks a 发文字号 up exactly: a number no document has finds nothing, not documents sharing its digits', async () => {
    expect((await search({ q: '桂政办发〔2021〕120号' })).hits[0]!.id).toBe('d1');
    expect((await search({ q: '桂政办发〔2021〕12号' })).total).toBe(0);
  });

  it('expands abbreviations from the synonym table: 社保 finds 社会保险', async () => {
    expect((await search({ q: '社保' })).total).toBe(0); // 社保 is not in any text
    await env.DB.prepare("INSERT INTO search_synonyms (terms) VALUES ('社保|社会保险')").run();
    const groups = await loadSynonyms(env.DB, Date.now() + 120_000); // past the isolate cache
    const r = await searchD1(env.DB, SearchParamsSchema.parse({ q: '社保' }), groups);
    expect(r.hits[0]!.id).toBe('d2');
    expect(r.hits[0]!.snippet).toContain('<mark>社会保险</mark>'); // the snippet marks what was found
  });

  it('returns nothing (not an error) for an empty query, and forgets a removed document', async () => {
    expect((await search({ q: '   ' })).total).toBe(0);
    await removeDocuments(env.DB, ['d4']);
    expect((await search({ q: '异地就医' })).total).toBe(0);
    await indexDocuments(env.DB, [DOCS[3]!]);
    expect((await search({ q: '异地就医' })).hits[0]!.id).toBe('d4');
  });
});

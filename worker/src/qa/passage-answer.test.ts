/**
 * Answers quoted from documents, in workerd with D1: colloquial questions no knowledge-base entry holds get the
 * passage of a document in force that answers them, with the document's title, 发文字号, date and validity; a
 * document no longer in force never answers, and a question nothing answers gets no card. The documents are
 * real texts (passage-documents.json); their validity is each test's setting.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { ColumnSchema, DocumentSchema, TABLES, cstInstant, documentPath, insertSql, toRow } from '@ywtc/cms-schema';
import { SearchDocumentSchema, forgetSynonyms, indexDocuments, synonymStatements } from '@ywtc/search';
import app from '../index.ts';
import { seedRegistry } from '../testing/sites.ts';
import type { PolicyAnswer } from './answer.ts';
import fixtures from './passage-documents.json';

type Validity = '有效' | '失效' | '废止';
interface Fixture {
  id: string;
  title: string;
  issuer: string | null;
  docNumber: string | null;
  date: string;
  body: string;
}
const DOCS = fixtures.documents as Fixture[];
const byId = (id: string) => DOCS.find((d) => d.id === id)!;
const ELDERLY = 'p00562'; // 河北省老年人优待办法
const PENSION = 'p00142'; // 中华人民共和国社会保险法, 第二章 基本养老保险
const MEDICAL = 'ncp-dc1c9ef07ae6344ba83a3bff4d93b394'; // 甘医保发〔2020〕14号

async function call(url: string): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(url), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
const answerTo = async (q: string, host = '127.0.0.1:8787') =>
  ((await (await call(`http://${host}/search.json?q=${encodeURIComponent(q)}`)).json()) as { answer: PolicyAnswer | null }).answer;

const contentDoc = (f: Fixture, validity: Validity) =>
  DocumentSchema.parse({
    id: f.id,
    kind: 'policy',
    title: f.title,
    bodyHtml: f.body
      .split('\n')
      .map((p) => `<p>${p}</p>`)
      .join(''),
    summary: f.body.slice(0, 100),
    keywords: [],
    author: '',
    source: f.issuer ?? '中国政府网',
    sourceUrl: null,
    publishedAt: cstInstant(f.date),
    attachments: [],
    ownerSiteId: 'gxzf',
    isDemo: false,
    indexNumber: null,
    issuer: f.issuer,
    docNumber: f.docNumber,
    writtenOn: f.date,
    issuedOn: f.date,
    topic: null,
    subjectWords: [],
    validity,
    interests: [],
    guide: null,
  });
const searchDoc = (f: Fixture, validity: Validity, siteId: string) =>
  SearchDocumentSchema.parse({
    id: f.id,
    title: f.title,
    body: f.body,
    docNumber: f.docNumber,
    keywords: [],
    summary: f.body.slice(0, 100),
    kind: 'policy',
    issuer: f.issuer,
    validity,
    publishedAt: cstInstant(f.date),
    placements: [
      {
        siteId,
        path: documentPath('zcwj', f.id),
        columnKind: 'policy',
        level: siteId === 'gxzf' ? 'province' : 'city',
        region: siteId === 'gxzf' ? '45' : '4501',
      },
    ],
  });

/**
 * Puts a document into the content store and the index with the given validity in each (they may differ for a
 * moment), placed on one site's 政策文件 column.
 */
async function store(id: string, validity: Validity, indexed: Validity = validity, siteId = 'gxzf') {
  const f = byId(id);
  await env.DB.batch([
    env.DB.prepare('DELETE FROM placements WHERE document_id = ?').bind(id),
    env.DB.prepare('DELETE FROM documents WHERE id = ?').bind(id),
    env.DB.prepare(insertSql(TABLES.documents)).bind(...toRow(TABLES.documents, contentDoc(f, validity))),
    env.DB.prepare(insertSql(TABLES.placements)).bind(...toRow(TABLES.placements, { documentId: id, siteId, columnId: `${siteId}/zcwj`, pinned: 0 })),
  ]);
  await indexDocuments(env.DB, [searchDoc(f, indexed, siteId)]);
}

beforeAll(async () => {
  await seedRegistry();
  const columns = ['gxzf', 'nanning'].map((siteId) =>
    ColumnSchema.parse({
      id: `${siteId}/zcwj`,
      siteId,
      parentId: null,
      slug: 'zcwj',
      name: '政策文件',
      kind: 'policy',
      description: '政策文件栏目',
      keywords: [],
      sortOrder: 0,
    }),
  );
  // Two groups of the seed's synonym dictionary (search/data/synonyms.tsv), as the search admin page keeps them.
  const groups = [
    ['医保', '医疗保险', '医疗保障'],
    ['养老金', '基本养老金'],
  ];
  await env.DB.batch([
    ...columns.map((c) => env.DB.prepare(insertSql(TABLES.columns)).bind(...toRow(TABLES.columns, c))),
    ...synonymStatements(env.DB, groups),
  ]);
  forgetSynonyms();
  for (const id of [ELDERLY, PENSION, MEDICAL]) await store(id, '有效');
});

describe('a question no entry holds, answered from a document in force', () => {
  it('高龄老人有什么补贴: the 高龄津贴 clause of 河北省老年人优待办法', async () => {
    const a = await answerTo('高龄老人有什么补贴');
    expect(a?.from).toBe('document');
    expect(a?.source.id).toBe(ELDERLY);
    expect(a?.source.validity).toBe('有效');
    expect(a?.answer).toContain('高龄津贴');
    expect(byId(ELDERLY).body.replace(/\s/g, '')).toContain(a!.answer.replace(/\s/g, '')); // quoted word for word
  });

  it('退休了养老金怎么领: the 社会保险法 article on 按月领取基本养老金', async () => {
    const a = await answerTo('退休了养老金怎么领');
    expect(a?.from).toBe('document');
    expect(a?.source.id).toBe(PENSION);
    expect(a?.answer).toMatch(/达到法定退休年龄.*领取基本养老金/);
  });

  it('医保缴费期延长多久: the period in 甘医保发〔2020〕14号, and the card shows the document, its number, date and validity', async () => {
    const a = await answerTo('医保缴费期延长多久');
    expect(a?.from).toBe('document');
    expect(a?.source.id).toBe(MEDICAL);
    expect(a?.answer).toContain('延长至宣布疫情解除后两个月内');
    const page = await (await call(`http://127.0.0.1:8787/search?q=${encodeURIComponent('医保缴费期延长多久')}`)).text();
    const card = page.slice(page.indexOf('<section class="qa-card"'), page.indexOf('</section>', page.indexOf('<section class="qa-card"')));
    expect(card).toContain('摘自文件原文');
    expect(card).toContain('延长至宣布疫情解除后两个月内');
    expect(card).toMatch(new RegExp(`<a href="[^"]*${MEDICAL}[^"]*">${byId(MEDICAL).title}</a>`));
    expect(card).toContain('发文字号：甘医保发〔2020〕14号');
    expect(card).toContain('发布日期：2020-02-07');
    expect(card).toMatch(/qa-validity[^>]*>有效</);
  });
});

describe('on a site’s own search', () => {
  it('answers from the documents of the site and the sites above it, not from a site below', async () => {
    // The region's document answers on the city's site (its rules apply there) …
    expect((await answerTo('医保缴费期延长多久', 'www.nanning.gov.cn'))?.source.id).toBe(MEDICAL);
    try {
      // … but a document the city alone carries does not answer on the region's site.
      await store(PENSION, '有效', '有效', 'nanning');
      const onCity = await answerTo('养老保险缴费不足十五年怎么办', 'www.nanning.gov.cn');
      expect(onCity?.source.id).toBe(PENSION);
      expect(onCity?.answer).toContain('可以缴费至满十五年');
      expect(await answerTo('养老保险缴费不足十五年怎么办', 'www.gxzf.gov.cn')).toBeNull();
    } finally {
      await store(PENSION, '有效');
    }
  });
});

describe('no card', () => {
  it('for a question about something no document says', async () => {
    expect(await answerTo('高铁票改签要收多少手续费')).toBeNull();
    expect(await answerTo('明天南宁会不会下雨呢')).toBeNull();
  });

  it('from a document no longer in force, whether the index knows it yet or not', async () => {
    try {
      await store(MEDICAL, '失效');
      expect(await answerTo('医保缴费期延长多久')).toBeNull();
      // The content store already says 废止, the index still 有效 (its queue not yet worked off): still none.
      await store(MEDICAL, '废止', '有效');
      expect(await answerTo('医保缴费期延长多久')).toBeNull();
    } finally {
      await store(MEDICAL, '有效');
    }
    expect((await answerTo('医保缴费期延长多久'))?.source.id).toBe(MEDICAL);
  });
});

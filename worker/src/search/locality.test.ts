/**
 * Search for the citizen in front of it: near documents first and other provinces' last (labelled), a site's
 * search in the site's own template, and a plain 没有找到 — with what to try instead — below the relevance floor.
 */
import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  indexDocuments,
  SearchDocumentSchema,
  SearchParamsSchema,
  toSearchDocument,
  type SearchBackend,
  type SearchDocument,
  type SearchParams,
  type SearchResult,
} from '@ywtc/search';
import { publish, seedRegistry } from '../testing/sites.ts';
import { broaderForms, broaderQuery } from './broader.ts';

const doc = (id: string, title: string, issuer: string, siteId: string, body = title): SearchDocument =>
  SearchDocumentSchema.parse({
    ...toSearchDocument(
      {
        id,
        kind: 'policy',
        title,
        bodyHtml: `<p>${body}</p>`,
        summary: body,
        keywords: [],
        author: '',
        source: issuer,
        sourceUrl: null,
        publishedAt: '2024-06-01T00:00:00+08:00',
        attachments: [],
        ownerSiteId: siteId,
        isDemo: false,
        indexNumber: null,
        issuer,
        docNumber: null,
        writtenOn: null,
        issuedOn: null,
        topic: null,
        subjectWords: [],
        validity: '有效',
        interests: [],
        guide: null,
      },
      [{ siteId, path: `/zcwj/${id}.html`, columnKind: 'policy', siteKind: null, level: null, region: null }],
    ),
  });

// The other province's notice is the best text match (its title is the query word for word); the Guangxi and
// national ones match too, less closely.
const DOCS = [
  doc('hb', '住房公积金提取办法', '河北省住房和城乡建设厅', 'gxzf', '住房公积金提取办法。住房公积金提取的条件和材料。'),
  doc('gw', '国务院关于完善住房公积金提取管理的意见', '国务院', 'gxzf', '完善住房公积金提取管理。'),
  doc('gx', '广西住房公积金提取业务指引', '广西壮族自治区住房和城乡建设厅', 'gxzf', '办理住房公积金提取业务。'),
  doc('nn', '南宁市住房公积金提取实施细则', '南宁市人民政府办公室', 'nanning', '南宁市住房公积金提取实施细则。'),
  // Elsewhere in the store: 贷款 and 额度 are words the index knows, just not on the Nanning site with 公积金.
  doc('dk', '创业担保贷款额度调整通知', '广西壮族自治区财政厅', 'gxzf', '创业担保贷款额度提高。'),
];

const FRAME =
  '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>网站地图_南宁市人民政府门户网站</title><link rel="canonical" href="https://www.nanning.gov.cn/wzdt/"></head><body>' +
  '<header class="site-header"><a href="../index.html">首页</a><a href="../zcwjk/">政策文件库</a><a class="switch" data-switch="mode" href="../_mode?set=elder&amp;back=%2Fwzdt%2F">适老化模式</a></header>' +
  '<main id="main"><h1>网站地图</h1></main><footer>网站标识码 4501000001</footer></body></html>';

const json = async (url: string) => (await (await SELF.fetch(url)).json()) as SearchResult;

beforeAll(async () => {
  await seedRegistry();
  await indexDocuments(env.DB, DOCS);
  await publish('nanning', { '/index.html': '<!doctype html><title>南宁</title>', '/wzdt/index.html': FRAME }, 'v1');
});

describe('search by where the reader is', () => {
  it('reads each document’s 地区 from its issuer', () => {
    expect(DOCS.map((d) => [d.id, d.area?.scope, d.area?.name])).toEqual([
      ['hb', 'other', '河北省'],
      ['gw', 'national', '全国'],
      ['gx', 'guangxi', '广西'],
      ['nn', 'guangxi', '南宁市'],
      ['dk', 'guangxi', '广西'],
    ]);
  });

  it('ranks the Nanning site’s own and Guangxi documents first, national next, other provinces last', async () => {
    const r = await json('http://www.nanning.gov.cn/search.json?q=住房公积金提取&scope=all');
    expect(r.hits.map((h) => h.id)).toEqual(['nn', 'gx', 'gw', 'hb']);
    expect(r.hits.at(-1)!.area).toMatchObject({ scope: 'other', name: '河北省' });
  });

  it('puts other provinces last on the platform’s search too, and labels them in the page', async () => {
    const r = await json('http://127.0.0.1:8787/search.json?q=住房公积金提取');
    expect(r.hits.at(-1)!.id).toBe('hb');
    const page = await (await SELF.fetch('http://127.0.0.1:8787/search?q=住房公积金提取')).text();
    expect(page).toContain('外省参考 · 河北省');
    expect(page).toContain('地区：南宁市');
  });

  it('ignores a reader sent in the query string', async () => {
    const res = await SELF.fetch('http://127.0.0.1:8787/search.json?q=住房公积金提取&reader=x');
    expect(res.status).toBe(200);
  });
});

describe('a site’s search page', () => {
  it('wears the site’s template: its header, navigation and footer, with its own links and display switches', async () => {
    const res = await SELF.fetch('http://www.nanning.gov.cn/search?q=住房公积金提取');
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('<title>住房公积金提取 - 搜索_南宁市人民政府门户网站</title>');
    expect(body).toContain('<header class="site-header">');
    expect(body).toContain('<footer>网站标识码 4501000001</footer>');
    // The frame's links were written for /wzdt/: at the site's root they lose one level.
    expect(body).toContain('<a href="index.html">首页</a>');
    expect(body).toContain('<a href="zcwjk/">政策文件库</a>');
    expect(body).toContain('back=%2Fsearch%3Fq%3D');
    expect(body).toMatch(/<style>[\s\S]*\.ys li\.hit/);
    expect(body).toContain('<meta name="robots" content="noindex">');
    expect(body).toContain('南宁市住房公积金提取实施细则');
  });
});

describe('nothing found', () => {
  it('says 没有找到 below the relevance floor, offers every site and the 留言咨询 form, and logs it as zero-result', async () => {
    // On the Nanning site only 南宁市 of the question is in any document — a place name, not an answer.
    const q = '南宁市创业担保贷款额度调整通知';
    const res = await SELF.fetch(`http://www.nanning.gov.cn/search?q=${q}`);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain(`没有找到与“${q}”相关的信息`);
    expect(body).not.toContain('<li class="hit">');
    // The region's notice answers it: offered, with its count, as a search of every site.
    expect(body).toMatch(/在全部网站中搜索：<a href="\?q=[^"]*scope=all">[^<]*<\/a>（1 条结果）/);
    expect(body).toContain('<strong>12345</strong>');
    expect(body).toContain('<a href="/hdjl/ly/">留言咨询</a>');
    await new Promise((r) => setTimeout(r, 50)); // the log is written after the response
    const row = await env.DB.prepare('SELECT zero_results FROM search_query_days WHERE query = ?').bind(q).first<{ zero_results: number }>();
    expect(row?.zero_results).toBe(1);
  });

  it('offers broader forms of a question: without its place and question words, then one word shorter', () => {
    expect(broaderForms('南宁市住房公积金贷款额度')[0]).toBe('住房公积金贷款额度');
    expect(broaderForms('高龄老人有什么补贴')).toEqual(['高龄老人补贴', '高龄老人', '老人补贴']);
    expect(broaderForms('养老')).toEqual([]);
  });

  it('offers the first broader form that finds something, after trying it with the same filters', async () => {
    // The index's own behaviour is tested above; here what is offered: a form that was searched and found.
    const asked: SearchParams[] = [];
    const backend = (found: Record<string, number>): SearchBackend => ({
      name: 'd1',
      index: () => Promise.resolve(),
      remove: () => Promise.resolve(),
      setSynonyms: () => Promise.resolve(),
      search: (p) => {
        asked.push(p);
        return Promise.resolve({ query: p.q, total: found[p.q] ?? 0, totalIsLowerBound: false, page: 1, size: 1, hits: [] });
      },
    });
    const params = SearchParamsSchema.parse({ q: '高龄老人有什么补贴', kind: 'policy' });
    expect(await broaderQuery(backend({ 高龄老人: 2 }), params)).toEqual({ q: '高龄老人', total: 2 });
    expect(asked.map((p) => [p.q, p.kind, p.size])).toEqual([
      ['高龄老人补贴', 'policy', 1],
      ['高龄老人', 'policy', 1],
    ]);
    expect(await broaderQuery(backend({}), params)).toBeNull();
  });
});

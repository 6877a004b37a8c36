/**
 * Search for the citizen in front of it: near documents first and other provinces' last (labelled), a site's
 * search in the site's own template, and a plain 没有找到 — with what to try instead — below the relevance floor.
 */
import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { indexDocuments, SearchDocumentSchema, toSearchDocument, type SearchDocument, type SearchResult } from '@ywtc/search';
import { publish, seedRegistry } from '../testing/sites.ts';

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
  it('says 没有找到 below the relevance floor, offers a broader query and the 留言咨询 form, and logs it as zero-result', async () => {
    // Only 住房公积金 is in any document: the question's own subject (贷款额度) is in none.
    const res = await SELF.fetch('http://www.nanning.gov.cn/search?q=南宁市住房公积金贷款额度');
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('没有找到与“南宁市住房公积金贷款额度”相关的信息');
    expect(body).not.toContain('<li class="hit">');
    expect(body).toContain('<strong>12345</strong>');
    expect(body).toContain('<a href="/hdjl/ly/">留言咨询</a>');
    await new Promise((r) => setTimeout(r, 50)); // the log is written after the response
    const row = await env.DB.prepare('SELECT zero_results FROM search_query_days WHERE query = ?')
      .bind('南宁市住房公积金贷款额度')
      .first<{ zero_results: number }>();
    expect(row?.zero_results).toBe(1);
  });

  it('offers a broader query only when it finds something, and every site when this one has nothing', async () => {
    const body = await (await SELF.fetch('http://www.nanning.gov.cn/search?q=广西住房公积金提取业务指引')).text();
    expect(body).toContain('没有找到');
    expect(body).toMatch(/在全部网站中搜索：<a href="\?q=[^"]*scope=all">/);
  });
});

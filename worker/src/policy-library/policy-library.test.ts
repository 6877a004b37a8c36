/** 政策文件库 in workerd: filters, paging, bad input (400 in Chinese, in the site's frame), one site's documents only. */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { DocumentSchema, TABLES, insertSql, toRow, type DocumentInput } from '@ywtc/cms-schema';
import { page, publish, seedRegistry } from '../testing/sites.ts';

const ISSUERS = ['国务院', '国务院办公厅', '广西壮族自治区人民政府'] as const;
const TOPICS = ['科技、教育/教育', '卫生、体育', '科技、教育\\科技', null] as const;

interface Fixture {
  id: string;
  site: 'gxzf' | 'nanning';
  columns: string[];
  kind: DocumentInput['kind'];
  issuer: string | null;
  publishedAt: string;
  issuedOn: string | null;
  topic: string | null;
  validity: '有效' | '失效' | null;
}

// 45 policy documents on the region's portal: issuers, years, topics and validity spread so every filter splits them.
const GX: Fixture[] = Array.from({ length: 45 }, (_, i) => ({
  id: `gx-${String(i).padStart(2, '0')}`,
  site: 'gxzf',
  columns: [i % 2 ? 'zcwj' : 'gwywj'],
  kind: i === 44 ? 'regulation' : 'policy',
  issuer: ISSUERS[i % 3] ?? null,
  publishedAt: `${2020 + (i % 5)}-0${1 + (i % 9)}-${String(10 + (i % 17)).padStart(2, '0')}T09:00:00+08:00`,
  issuedOn: null,
  topic: TOPICS[i % 4] ?? null,
  validity: i % 5 === 0 ? '失效' : i % 7 === 0 ? null : '有效',
}));
const OTHERS: Fixture[] = [
  // Published at 20:00 UTC on 31 December: 1 January 2022 in China, so a 2022 document.
  {
    id: 'gx-newyear',
    site: 'gxzf',
    columns: ['zcwj'],
    kind: 'policy',
    issuer: '国务院',
    publishedAt: '2021-12-31T20:00:00Z',
    issuedOn: null,
    topic: null,
    validity: '有效',
  },
  // A recorded 发布日期 decides the year over the instant it went live.
  {
    id: 'gx-issued',
    site: 'gxzf',
    columns: ['zcwj'],
    kind: 'policy',
    issuer: '国务院',
    publishedAt: '2024-05-01T09:00:00+08:00',
    issuedOn: '2019-03-02',
    topic: null,
    validity: '有效',
  },
  {
    id: 'gx-jd',
    site: 'gxzf',
    columns: ['zcjd'],
    kind: 'interpretation',
    issuer: null,
    publishedAt: '2024-06-01T09:00:00+08:00',
    issuedOn: null,
    topic: null,
    validity: null,
  },
  {
    id: 'nn-01',
    site: 'nanning',
    columns: ['zcwj'],
    kind: 'policy',
    issuer: '南宁市人民政府',
    publishedAt: '2023-02-01T09:00:00+08:00',
    issuedOn: null,
    topic: '卫生、体育',
    validity: '有效',
  },
];
const ALL = [...GX, ...OTHERS];
const LISTED = ALL.filter((d) => d.site === 'gxzf' && (d.kind === 'policy' || d.kind === 'regulation'));

const COLUMN_KIND: Record<string, 'policy' | 'interpretation'> = { zcwj: 'policy', gwywj: 'policy', zcjd: 'interpretation' };

function doc(f: Fixture): DocumentInput {
  return {
    id: f.id,
    kind: f.kind,
    title: `测试文件 ${f.id}`,
    bodyHtml: '<p>正文</p>',
    summary: '',
    keywords: [],
    author: '',
    source: '测试',
    sourceUrl: null,
    publishedAt: f.publishedAt,
    attachments: [],
    ownerSiteId: f.site,
    isDemo: false,
    indexNumber: null,
    issuer: f.issuer,
    docNumber: f.kind === 'interpretation' ? null : `测试发〔2024〕${Number(f.id.replace(/\D/g, '') || 90) + 1}号`,
    writtenOn: null,
    issuedOn: f.issuedOn,
    topic: f.topic,
    subjectWords: [],
    validity: f.validity,
    interests: [],
    guide: null,
  };
}

const FRAME = page(
  '网站地图_广西壮族自治区人民政府门户网站',
  '<header class="site-header"><a href="../yw/">要闻动态</a></header><link rel="canonical" href="https://www.gxzf.gov.cn/wzdt/"><main id="main"><h1>网站地图</h1></main><footer>网站标识码 4500000001</footer>',
);

beforeAll(async () => {
  await seedRegistry();
  const db = env.DB;
  const columns = [...new Set(ALL.flatMap((d) => d.columns.map((c) => `${d.site}/${c}`)))];
  await db.batch([
    ...columns.map((id) => {
      const [siteId, slug] = id.split('/') as [string, string];
      return db.prepare(insertSql(TABLES.columns)).bind(
        ...toRow(TABLES.columns, {
          id,
          siteId,
          parentId: null,
          slug,
          name: slug,
          kind: COLUMN_KIND[slug]!,
          description: '测试栏目',
          keywords: [],
          sortOrder: 0,
        }),
      );
    }),
    ...ALL.map((d) => db.prepare(insertSql(TABLES.documents)).bind(...toRow(TABLES.documents, DocumentSchema.parse(doc(d))))),
    ...ALL.flatMap((d) =>
      d.columns.map((c) =>
        db.prepare('INSERT INTO placements (document_id, site_id, column_id, pinned) VALUES (?, ?, ?, 0)').bind(d.id, d.site, `${d.site}/${c}`),
      ),
    ),
  ]);
  await publish('gxzf', { '/wzdt/index.html': FRAME, '/index.html': page('首页') }, 'v1');
});

const GXZF = 'http://www.gxzf.gov.cn/zcwjk/';
const get = (url: string) => SELF.fetch(url, { redirect: 'manual' });
const idsOf = (html: string) => [...html.matchAll(/<a href="\.\.\/(?:zcwj|gwywj)\/([a-z0-9-]+)\.html">/g)].map((m) => m[1]!);
/** What the page should list, newest first (ties by id), as the table's order. */
const expected = (pred: (d: Fixture) => boolean) =>
  LISTED.filter(pred)
    .sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt) || a.id.localeCompare(b.id))
    .map((d) => d.id);
const cstYear = (d: Fixture) => d.issuedOn?.slice(0, 4) ?? String(new Date(Date.parse(d.publishedAt) + 8 * 3_600_000).getUTCFullYear());

/** Every page of a filtered listing, followed through its 下一页 links. */
async function allPages(query: string): Promise<string[]> {
  const ids: string[] = [];
  let next: string | null = GXZF + query;
  for (let n = 0; next && n < 10; n++) {
    const html = await (await get(next)).text();
    ids.push(...idsOf(html));
    const m = /<a class="border px-3 py-1" href="([^"]+)" rel="next">/.exec(html);
    next = m ? new URL(m[1]!.replace(/&amp;/g, '&'), GXZF).href : null;
  }
  return ids;
}

describe('政策文件库', () => {
  it('lists the site’s policy documents, 20 a page newest first, in the site’s own frame, without a script', async () => {
    const res = await get(GXZF);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('网站标识码 4500000001'); // the site's footer: its own template
    expect(html).toContain('<title>政策文件库_广西壮族自治区人民政府门户网站</title>');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('noindex'); // the unfiltered listing is the one to index
    expect(idsOf(html)).toEqual(expected(() => true).slice(0, 20));
    expect(html).toContain(`共 ${LISTED.length} 件，第 1/3 页`);
    // Each row: title linked to its page on this site, 发文字号, 发文机关, 成文日期, 发布日期 (CST), 有效性.
    expect(html).toContain(
      '<tr><td class="min-w-64"><a href="../zcwj/gx-issued.html">测试文件 gx-issued</a></td><td class="whitespace-nowrap">测试发〔2024〕91号</td><td>国务院</td><td class="whitespace-nowrap">—</td><td class="whitespace-nowrap">2019-03-02</td><td class="whitespace-nowrap">有效</td></tr>',
    );
    // A GET form: 发文机关 offers the issuers of this site with their counts, and nothing of other sites.
    expect(html).toContain('<form class="me-form" method="get" action="./"');
    expect(html).toContain(`<option value="国务院">国务院（${LISTED.filter((d) => d.issuer === '国务院').length}）</option>`);
    expect(html).not.toContain('南宁市人民政府');
    expect(html).toContain('<option value="2022">2022年</option>');
    expect(html).toContain('<option value="人口与计划生育、妇女儿童工作">');
    expect(html).toContain('<option value="未标注">未标注</option>');
  });

  it('pages through with 上一页, 下一页 and page numbers, every document once, none of another kind or site', async () => {
    const first = await (await get(GXZF)).text();
    expect(first).toContain('<a class="border px-3 py-1" href="./?page=2" rel="next">下一页</a>');
    expect(first).toContain('<span class="border px-3 py-1 bg-primary text-white" aria-current="page">1</span>');
    expect(first).toContain('<a class="border px-3 py-1" href="./?page=3" aria-label="第 3 页">3</a>');
    expect(first).not.toContain('rel="prev"');
    const last = await (await get(GXZF + '?page=3')).text();
    expect(idsOf(last)).toEqual(expected(() => true).slice(40));
    expect(last).toContain('<a class="border px-3 py-1" href="./?page=2" rel="prev">上一页</a>');
    expect(last).not.toContain('rel="next"');
    expect(last).toContain('<meta name="robots" content="noindex">');
    const ids = await allPages('');
    expect(ids).toEqual(expected(() => true));
    expect(ids).not.toContain('gx-jd');
    expect(ids).not.toContain('nn-01');
  });

  it('filters by 发文机关, 年份 (China time), 主题分类 and 有效性, alone and together, keeping them across pages', async () => {
    expect(await allPages('?issuer=' + encodeURIComponent('国务院办公厅'))).toEqual(expected((d) => d.issuer === '国务院办公厅'));
    expect(await allPages('?year=2022')).toEqual(expected((d) => cstYear(d) === '2022'));
    expect(await allPages('?year=2022')).toContain('gx-newyear');
    expect(await allPages('?year=2019')).toEqual(['gx-issued']);
    // A first-level 主题分类 takes its second levels, stored with either separator.
    expect(await allPages('?topic=' + encodeURIComponent('科技、教育'))).toEqual(expected((d) => d.topic?.startsWith('科技、教育') ?? false));
    expect(await allPages('?validity=' + encodeURIComponent('失效'))).toEqual(expected((d) => d.validity === '失效'));
    expect(await allPages('?validity=' + encodeURIComponent('未标注'))).toEqual(expected((d) => d.validity === null));
    const both = expected((d) => d.issuer === '国务院' && d.validity === '有效');
    expect(both.length).toBeGreaterThan(0);
    expect(await allPages(`?issuer=${encodeURIComponent('国务院')}&validity=${encodeURIComponent('有效')}&year=`)).toEqual(both);
    // The form shows what was chosen; the page links carry the filters.
    const html = await (await get(GXZF + '?year=2021')).text();
    expect(html).toContain('<option value="2021" selected>2021年</option>');
    expect(html).toContain('<meta name="robots" content="noindex">');
    const none = await (await get(GXZF + `?year=2021&topic=${encodeURIComponent('国防')}`)).text();
    expect(none).toContain('没有符合条件的政策文件');
  });

  it('links pages with the filters kept', async () => {
    const html = await (await get(GXZF + '?validity=' + encodeURIComponent('有效'))).text();
    const pages = Math.ceil(expected((d) => d.validity === '有效').length / 20);
    expect(pages).toBeGreaterThan(1);
    expect(html).toContain(`href="./?validity=${encodeURIComponent('有效')}&amp;page=2" rel="next"`);
  });

  it.each([
    ['year=abc', '年份应为四位数字年份'],
    ['year=1800', '年份应在 1949 年至 2100 年之间'],
    ['topic=' + encodeURIComponent('不存在的分类'), '主题分类应为列表中的一项'],
    ['validity=' + encodeURIComponent('作废'), '有效性应为 有效、失效、废止、未标注 之一'],
    ['issuer=' + encodeURIComponent('南宁市人民政府'), '发文机关“南宁市人民政府”在本站政策文件中没有'],
    ['page=0', '页码应为正整数'],
    ['page=abc', '页码应为正整数'],
    ['page=9', '页码超出范围：共 3 页'],
  ])('refuses %s with a 400 naming the field, in the site’s frame with the form to correct it', async (query, message) => {
    const res = await get(`${GXZF}?${query}`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain(message);
    expect(html).toContain('<div class="me-notice" role="alert" id="library-problem">');
    expect(html).toContain('网站标识码 4500000001');
    expect(html).toContain('<form class="me-form" method="get" action="./"');
    expect(html).not.toContain('<table');
  });

  it('shows each site its own documents only: at the host and under the preview prefix', async () => {
    const nn = await get('http://www.nanning.gov.cn/zcwjk/');
    expect(nn.status).toBe(200);
    const html = await nn.text();
    expect([...html.matchAll(/<a href="\.\.\/zcwj\/([a-z0-9-]+)\.html">/g)].map((m) => m[1])).toEqual(['nn-01']);
    expect(html).not.toContain('国务院办公厅');
    const preview = await get('http://127.0.0.1:8787/_site/www.gxzf.gov.cn/zcwjk/?page=2');
    expect(preview.status).toBe(200);
    expect(idsOf(await preview.text())).toEqual(expected(() => true).slice(20, 40));
  });

  it('sends the old addresses to the page: /zcwjk, index.html and the static pages of 50', async () => {
    const bare = await get('http://www.gxzf.gov.cn/zcwjk?year=2021');
    expect([bare.status, bare.headers.get('location')]).toEqual([301, 'zcwjk/?year=2021']);
    const index = await get(GXZF + 'index.html');
    expect([index.status, index.headers.get('location')]).toEqual([301, './']);
    // Static page 2 began with row 51: the 20-row page 3 (rows 41–60) holds it.
    const second = await get(GXZF + 'index_2.html');
    expect([second.status, second.headers.get('location')]).toEqual([301, './?page=3']);
  });
});

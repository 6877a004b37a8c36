/** The results page's rendering of snippets, related documents, suggestions, best bets and filters. */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SearchHit, SearchResult } from '@ywtc/search';
import app from '../index.ts';
import { searchPage } from './page.ts';
import { noResults } from './no-results.ts';
import type { SiteRef } from './types.ts';
import { seedRegistry } from '../testing/sites.ts';

const hit = (over: Partial<SearchHit>): SearchHit => ({
  id: 'h1',
  title: '住房公积金提取办法',
  docNumber: null,
  kind: 'policy',
  issuer: '国务院',
  validity: '有效',
  publishedAt: '2021-06-01T00:00:00+08:00',
  summary: '摘要',
  placements: [{ siteId: 'gxzf', path: '/zcwj/h1.html' }],
  match: 'text',
  snippet: '摘要',
  related: [],
  ...over,
});
const sites = new Map<string, SiteRef>([['gxzf', { id: 'gxzf', name: '广西壮族自治区人民政府门户网站', domain: 'www.gxzf.gov.cn' }]]);
const render = (result: SearchResult, query: Record<string, string> = { q: '公积金' }) =>
  (
    searchPage({
      scope: { siteId: null, base: '/', links: 'preview' },
      query,
      error: null,
      result,
      sites,
      requestUrl: 'http://127.0.0.1:8787/search?q=x',
      regions: [
        { code: '45', name: '全区' },
        { code: '4501', name: '南宁市' },
      ],
    }) as unknown as string
  ).toString();
const result = (hits: SearchHit[], extra: Partial<SearchResult> = {}): SearchResult => ({
  query: '公积金',
  total: hits.length,
  totalIsLowerBound: false,
  page: 1,
  size: 10,
  hits,
  ...extra,
});

describe('search page', () => {
  it('shows the snippet as given (safe HTML with <mark>), while titles stay escaped', () => {
    const body = render(result([hit({ title: '<b>标题</b>', snippet: '住房<mark>公积金</mark>提取 &lt;注意&gt;' })]));
    expect(body).toContain('<p class="snippet">住房<mark>公积金</mark>提取 &lt;注意&gt;</p>');
    expect(body).toContain('&lt;b&gt;标题&lt;/b&gt;');
    expect(body).toMatch(/mark\{background:#ffe97a;color:#1a1a1a/);
  });

  it('groups related documents under the hit, linked through the click counter', () => {
    const body = render(
      result([
        hit({
          related: [
            { id: 'r1', title: '关于提取办法的解读', relation: 'interpretation', placements: [{ siteId: 'gxzf', path: '/zcjd/r1.html' }] },
            { id: 'r2', title: '图解提取办法', relation: 'interpretation', placements: [{ siteId: 'gxzf', path: '/zcjd/r2.html' }] },
            { id: 'p0', title: '上位政策', relation: 'policy', placements: [] },
          ],
        }),
      ]),
    );
    expect(body).toMatch(
      /<p class="related">相关解读：<a href="\/search\/click\?q=[^"]*d=r1&amp;to=%2F_site%2Fwww.gxzf.gov.cn%2Fzcjd%2Fr1.html">关于提取办法的解读<\/a>；<a [^>]*>图解提取办法<\/a><\/p>/,
    );
    expect(body).toContain('<p class="related">对应政策：上位政策</p>'); // nowhere to link to: named, not linked
  });

  it('shows copies of one related document (each county’s own 解读) once, with how many sites have one', () => {
    const copy = (id: string, siteId: string) => ({
      id,
      title: '示例：《关于提取办法的通知》解读',
      relation: 'interpretation' as const,
      placements: [{ siteId, path: `/zcjd/${id}.html` }],
    });
    const body = render(
      result([hit({ related: [copy('c1', 'nanning'), copy('c2', 'gxzf'), copy('c3', 'guilin'), { ...copy('r9', 'gxzf'), title: '图解提取办法' }] })]),
    );
    const related = /<p class="related">相关解读：([\s\S]*?)<\/p>/.exec(body)![1]!;
    expect(related.match(/示例：《关于提取办法的通知》解读/g)).toHaveLength(1);
    expect(related).toContain('（3 个网站各有一份）');
    expect(related).toContain('图解提取办法');
  });

  it('offers a corrected query, keeping the filters but not the page', () => {
    const body = render(result([], { suggestion: '公积金' }), { q: '公机金', kind: 'policy', page: '3' });
    expect(body).toContain('您是不是要找：<a href="?q=%E5%85%AC%E7%A7%AF%E9%87%91&amp;kind=policy">公积金</a>');
  });

  it('marks best bets with a visible 推荐 badge, and only them', () => {
    const body = render(result([hit({ id: 'a', match: 'pinned' }), hit({ id: 'b', match: 'text' })]));
    expect(body.match(/<span class="badge pin">推荐<\/span>/g)).toHaveLength(1);
  });

  it('has labelled filters for 发文机关, 栏目类型, 层级 and 地区, keeping what was chosen', () => {
    const body = render(result([]), { q: '公积金', column: 'policy', level: 'city', region: '4501', issuer: '国务院办公厅' });
    expect(body).toContain('<label>发文机关<input type="text" name="issuer" value="国务院办公厅"');
    expect(body).toContain('<option value="policy" selected>政策文件</option>');
    expect(body).toContain('<option value="city" selected>市级</option>');
    expect(body).toContain('<option value="4501" selected>南宁市</option>');
    expect(body).toContain('<option value="45" >全区</option>');
    expect(body).toMatch(/font-size:18px/);
    // Phones see the results first: the filters fold into a <details> (no script), its summary saying how many are set.
    expect(body).toContain('<details class="filters"><summary>筛选条件（已选 4 项）</summary>');
    expect(render(result([]), { q: '公积金' })).toContain('<summary>筛选条件（类别、有效性、年份等，可不选）</summary>');
  });

  it('shows each result’s 地区: the Guangxi place, 全国, and other provinces’ documents marked as reference', () => {
    const body = render(
      result([
        hit({ id: 'a', area: { scope: 'guangxi', name: '南宁市', code: '450100' } }),
        hit({ id: 'b', area: { scope: 'national', name: '全国', code: null } }),
        hit({ id: 'c', area: { scope: 'other', name: '河北省', code: null } }),
        hit({ id: 'd', area: null }),
      ]),
    );
    expect(body).toContain('<span class="area">地区：南宁市</span>');
    expect(body).toContain('<span class="area">地区：全国</span>');
    expect(body).toContain('<span class="badge far">外省参考 · 河北省</span>');
    expect(body).toContain('<span class="area">地区未注明</span>');
  });

  it('says plainly when nothing was found, with what else to try and whom to ask', () => {
    const body = (
      searchPage({
        scope: { siteId: null, base: '/', links: 'preview' },
        query: { q: '南宁市住房公积金贷款额度' },
        error: null,
        result: result([], { query: '南宁市住房公积金贷款额度' }),
        sites,
        requestUrl: 'http://127.0.0.1:8787/search?q=x',
        regions: [],
        nothing: {
          broader: { q: '住房公积金贷款', total: 3 },
          allSites: null,
          unfiltered: null,
          consultHref: '/_site/www.gxzf.gov.cn/hdjl/ly/',
        },
      }) as unknown as string
    ).toString();
    expect(body).toContain('没有找到与“南宁市住房公积金贷款额度”相关的信息');
    expect(body).toContain('换个更简短的说法：<a href="?q=%E4%BD%8F%E6%88%BF%E5%85%AC%E7%A7%AF%E9%87%91%E8%B4%B7%E6%AC%BE">住房公积金贷款</a>（3 条结果）');
    expect(body).toContain('<strong>12345</strong>');
    expect(body).toContain('<a href="/_site/www.gxzf.gov.cn/hdjl/ly/">留言咨询</a>');
    expect(body).not.toContain('找到 <strong>0</strong>');
    // Under a 政策问答 card that answers, only the other results are missing.
    const under = (noResults('高龄补贴', null, null, null, (x) => `?q=${x}`, true) as unknown as string).toString();
    expect(under).toContain('除上面的答复外，没有找到与“高龄补贴”相关的其他信息');
  });
});

describe('search page in the Worker', () => {
  beforeAll(seedRegistry);

  it("lists 全区 and each city portal's city in the 地区 filter, and names a bad filter", async () => {
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request('http://127.0.0.1:8787/search?q=x&region=450'), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('<option value="45" >全区</option><option value="4501" >南宁市</option>');
    expect(body).toContain('地区：地区代码应为 2 或 4 位数字');
  });
});

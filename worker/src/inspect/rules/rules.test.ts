/**
 * Each inspection rule against hand-made pages: it finds the defect it is for, and nothing on a page without it.
 */
import { describe, expect, it } from 'vitest';
import { compileLists, SiteSchema, type Column, type Finding } from '@ywtc/cms-schema';
import { parsePage } from '../page.ts';
import { freshness } from './freshness.ts';
import { words } from './words.ts';
import { collectLinks, otherSiteFindings } from './links.ts';
import { standards } from './standards.ts';
import { storeRules } from './store-rules.ts';
import { misspelledTitles, titleMisspellings } from './leader-titles.ts';
import { scoreSite } from '../score.ts';
import type { PlacedDoc, SiteInput } from '../types.ts';

const NOW = new Date('2026-12-05T04:00:00Z');
const site = SiteSchema.parse({
  id: 'nnxn',
  name: '兴宁区人民政府门户网站',
  kind: 'county-portal',
  parentId: 'nanning',
  divisionCode: '450102',
  domains: ['www.nnxn.gov.cn'],
  domainListed: true,
  idCode: '4501020001',
  icp: '桂ICP备12001021号',
  psb: '桂公网安备 45010202000001号',
  sponsor: '兴宁区人民政府办公室',
  contact: { phone: '0771-12345', address: '广西壮族自治区南宁市兴宁区' },
  themeId: 'portal-red',
  sortOrder: 1,
});
const col = (slug: string, kind: Column['kind'], name: string): Column => ({
  id: `nnxn/${slug}`,
  siteId: 'nnxn',
  parentId: null,
  slug,
  name,
  kind,
  description: '栏目说明文字',
  keywords: [],
  sortOrder: 0,
});
const doc = (id: string, slug: string, extra: Partial<PlacedDoc> = {}): PlacedDoc => ({
  id,
  kind: 'news',
  title: `示例：${id}`,
  publishedAt: '2026-12-01T02:00:00Z',
  columnId: `nnxn/${slug}`,
  ownerSiteId: 'nnxn',
  issuer: null,
  path: `/${slug}/${id}.html`,
  hasInterpretation: false,
  ...extra,
});

const FOOTER = `<footer><a class="conac" href="https://bszs.conac.cn/sitename?method=show&amp;id=4501020001" data-footer="conac">党政机关</a><ul>
<li data-footer="sponsor">主办单位：兴宁区人民政府办公室</li><li data-footer="contact">联系方式：0771-12345</li><li data-footer="idcode">网站标识码：4501020001</li>
<li data-footer="icp"><a href="https://beian.miit.gov.cn/">桂ICP备12001021号</a></li><li data-footer="psb"><a href="https://beian.mps.gov.cn/">桂公网安备 45010202000001号</a></li></ul>
<a class="zhaocuo" data-footer="zhaocuo" href="https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode=4501020001">我为政府网站找错</a></footer>`;
const SITE_META =
  '<meta name="SiteName" content="兴宁区人民政府门户网站"><meta name="SiteDomain" content="www.nnxn.gov.cn"><meta name="SiteIDCode" content="4501020001">';
const html = (head: string, main: string, footer = FOOTER) =>
  `<!doctype html><html><head><title>t</title>${SITE_META}${head}</head><body><header><a href="./">首页</a></header><main>${main}</main>${footer}</body></html>`;
const item = (href: string, iso: string) => `<li><a href="${href}">示例条目</a><time datetime="${iso}">${iso.slice(0, 10)} ${iso.slice(11, 16)}</time></li>`;
const list = (items: string) => html('<meta name="ColumnName" content="x"><meta name="ColumnType" content="x">', `<ul class="doc-list">${items}</ul>`);
const article = (
  body: string,
  metas = '<meta name="ArticleTitle" content="标题"><meta name="PubDate" content="2026-12-01 10:00"><meta name="ContentSource" content="本网">',
) => html(`<meta name="ColumnName" content="要闻"><meta name="ColumnType" content="要闻">${metas}`, `<div class="doc-body">${body}</div>`);

const lists = compileLists([
  { list: 'banned', term: '老板', replacement: '负责人', note: '' },
  { list: 'typo', term: '布署', replacement: '部署', note: '' },
  { list: 'illegal-domain', term: 'bad-casino.example', replacement: '', note: '' },
]);

function input(pages: Record<string, string>, extra: Partial<SiteInput> = {}): SiteInput {
  return {
    site,
    columns: [col('yw', 'news', '要闻动态'), col('tzgg', 'notice', '通知公告'), col('zwfw', 'service', '办事服务')],
    docs: [doc('a1', 'yw'), doc('n1', 'tzgg'), doc('g1', 'zwfw')],
    now: NOW,
    schedule: 'quarterly',
    pages: new Map(Object.entries(pages).map(([p, h]) => [p, parsePage(h)])),
    manifest: new Set(Object.keys(pages)),
    lists,
    wordCache: new Map(),
    overdueConsults: [],
    seen: new Map(),
    ...extra,
  };
}
const clean = () => ({
  '/index.html': html('', `<ul>${item('yw/a1.html', '2026-12-01T02:00:00Z')}</ul><a href="zwfw/">办事服务</a>`),
  '/yw/index.html': list(item('a1.html', '2026-12-01T02:00:00Z')),
  '/tzgg/index.html': list(item('n1.html', '2026-10-01T02:00:00Z')),
  '/zwfw/index.html': list(item('g1.html', '2026-01-01T02:00:00Z')),
  '/yw/a1.html': article('<p>正文。</p>'),
  '/tzgg/n1.html': article('<p>通知正文。</p>'),
  '/zwfw/g1.html': article('<p>办事指南。</p>'),
});
const kinds = (ds: { kind: string }[]) => ds.map((d) => d.kind).sort();
const kindOf = (p: string) => (p === '/index.html' ? 'home' : /\/index\.html$/.test(p) ? 'column' : 'article') as 'home' | 'column' | 'article';

describe('a clean site', () => {
  it('gives no finding from any rule', () => {
    const i = input(clean());
    expect([...freshness(i), ...words(i), ...standards(i, kindOf), ...storeRules(i), ...collectLinks(i, new Map()).drafts]).toEqual([]);
  });
});

describe('freshness (网站不更新 / 栏目不更新)', () => {
  it('finds a home page whose newest item is older than two weeks, and one with no dated item', () => {
    const old = input({ ...clean(), '/index.html': html('', `<ul>${item('yw/a1.html', '2026-11-10T02:00:00Z')}</ul>`) });
    expect(kinds(freshness(old))).toEqual(['home-stale']);
    const undated = input({ ...clean(), '/index.html': html('', '<ul><li><a href="yw/a1.html">无日期</a></li></ul>') });
    expect(freshness(undated)[0]!.message).toContain('没有注明发布时间');
  });
  it('judges each column by its national cadence: 要闻 14 days, 通知公告 183 days', () => {
    const i = input({
      ...clean(),
      '/yw/index.html': list(item('a1.html', '2026-11-15T02:00:00Z')),
      '/tzgg/index.html': list(item('n1.html', '2026-05-01T02:00:00Z')),
    });
    const f = freshness(i);
    expect(f.map((d) => [d.kind, d.target])).toEqual([
      ['column-stale', 'nnxn/yw'],
      ['column-stale', 'nnxn/tzgg'],
    ]);
    // 180 days is within the notice column's limit.
    expect(freshness(input({ ...clean(), '/tzgg/index.html': list(item('n1.html', '2026-06-09T02:00:00Z')) }))).toEqual([]);
  });
  it('counts a column listing no document as empty, and a parent listing its children as not empty', () => {
    const empty = input({ ...clean(), '/tzgg/index.html': list('') });
    expect(freshness(empty).map((d) => [d.kind, d.target])).toEqual([['column-empty', 'nnxn/tzgg']]);
    const parent = input({ ...clean(), '/tzgg/index.html': list(item('../yw/a1.html', '2026-12-01T02:00:00Z')) });
    expect(freshness(parent)).toEqual([]);
  });
  it('leaves the columns to the monthly and quarterly runs', () => {
    expect(freshness(input({ ...clean(), '/tzgg/index.html': list('') }, { schedule: 'weekly' }))).toEqual([]);
  });
});

describe('words (严重错误 / 错别字)', () => {
  it('finds banned words, listed typos and misspelled leader titles in a document, with an excerpt', () => {
    const wrong = titleMisspellings().find((m) => m.right === '总书记')!.wrong;
    const i = input({ ...clean(), '/yw/a1.html': article(`<p>请老板签字，并布署工作。${wrong}强调。</p>`) });
    const f = words(i);
    expect(kinds(f)).toEqual(['banned-term', 'severe-typo', 'typo']);
    expect(f.find((d) => d.kind === 'banned-term')!.excerpt).toContain('老板');
    expect(f.every((d) => d.url === '/yw/a1.html')).toBe(true);
  });
  it('does not call a correctly written title a misspelling', () => {
    expect(misspelledTitles('习近平总书记、国务院总理、自治区主席、市委书记出席会议。')).toEqual([]);
  });
});

describe('links', () => {
  const hosts = new Map([['www.nanning.gov.cn', 'nanning']]);
  it('finds links to missing pages of the site, illegal hosts, and sorts the rest', () => {
    const i = input({
      ...clean(),
      '/yw/a1.html': article(
        '<a href="gone.html">x</a><a href="/zcwjk/">库</a><a href="http://bad-casino.example/x">y</a><a href="http://www.nanning.gov.cn.localhost:8787/missing.html">z</a><a href="https://www.gov.cn/">国</a><a href="/attachments/' +
          'a'.repeat(64) +
          '.pdf">附件</a><a href="mailto:x@y.cn">信</a>',
      ),
    });
    const c = collectLinks(i, hosts);
    expect(c.drafts.map((d) => [d.kind, d.target])).toEqual([
      ['broken-link', '/yw/gone.html'],
      ['illegal-domain-link', 'http://bad-casino.example/x'],
    ]);
    expect(c.external.filter((r) => r.inMain).map((r) => r.url.href)).toEqual(['https://www.gov.cn/']);
    expect(c.attachments).toHaveLength(1);
    expect(otherSiteFindings(c.otherSites.get('nanning')!, new Set(['/index.html'])).map((d) => d.target)).toEqual([
      'http://www.nanning.gov.cn.localhost:8787/missing.html',
    ]);
  });
  it('reports a broken link of the shared header once per site, not once per page', () => {
    const p = (main: string) => `<html><body><header><a href="/nowhere/">坏链接</a></header><main>${main}</main></body></html>`;
    const c = collectLinks(input({ '/index.html': p(''), '/yw/index.html': p(''), '/yw/a1.html': p('') }), new Map());
    expect(c.drafts.filter((d) => d.kind === 'broken-link')).toHaveLength(1);
  });
});

describe('standards (网站规范性)', () => {
  it('finds missing meta tags, footer items, a wrong 网站标识码, no 找错 entry, bad dates and images without alt', () => {
    const footer = FOOTER.replace(/<li data-footer="sponsor">[^<]*<\/li>/, '')
      .replace('网站标识码：4501020001', '网站标识码：4501020009')
      .replace(/<a class="zhaocuo"[^>]*>[^<]*<\/a>/, '');
    const i = input({
      ...clean(),
      '/index.html': html('', `<ul>${item('yw/a1.html', '2026-12-01T02:00:00Z')}</ul>`, footer),
      '/yw/a1.html': article('<img src="x.png"><img src="y.png" alt="图解">', '<meta name="PubDate" content="2026/12/01">'),
    });
    const f = standards(i, kindOf);
    expect(f.map((d) => `${d.kind}:${d.target}`).sort()).toEqual([
      'footer-missing:sponsor',
      'idcode-missing:idcode',
      'image-alt:x.png',
      'meta-missing:ArticleTitle,ContentSource',
      'time-format:PubDate',
      'zhaocuo-missing:zhaocuo',
    ]);
  });
});

describe('store rules', () => {
  it('finds the unit’s own policy without 解读 but not a reposted national one', () => {
    const docs = [
      doc('p1', 'yw', { kind: 'policy', issuer: '兴宁区人民政府办公室', title: '兴宁区关于某事的通知' }),
      doc('p2', 'yw', { kind: 'policy', issuer: '国务院', title: '国务院文件' }),
      doc('p3', 'yw', { kind: 'policy', issuer: '兴宁区人民政府', hasInterpretation: true }),
    ];
    const f = storeRules(input(clean(), { docs: [...input(clean()).docs, ...docs] }));
    expect(f.map((d) => [d.kind, d.target])).toEqual([['policy-no-interpretation', 'p1']]);
  });
  it('finds a publish time moved earlier than first seen, beyond a day', () => {
    const seen = new Map([
      ['a1', '2026-12-20T02:00:00Z'],
      ['n1', '2026-12-01T12:00:00Z'],
    ]);
    const f = storeRules(input(clean(), { seen, docs: [doc('a1', 'yw'), doc('n1', 'tzgg'), doc('g1', 'zwfw')] }));
    expect(f.map((d) => [d.kind, d.target])).toEqual([['backdated', 'a1']]);
  });
  it('finds a portal whose 办事服务 lists nothing, and 留言 unanswered beyond three months', () => {
    const f = storeRules(
      input({ ...clean(), '/zwfw/index.html': list('') }, { overdueConsults: [{ id: 'm1', title: '咨询', receivedAt: '2026-08-01T00:00:00Z' }] }),
    );
    expect(kinds(f)).toEqual(['consult-overdue', 'service-missing']);
  });
});

describe('score', () => {
  const f = (kind: Finding['kind'], target = '', severity: Finding['severity'] = 'deduct', points = 1): Finding => ({
    runId: 'r',
    siteId: 'nnxn',
    kind,
    severity,
    points,
    url: '/',
    target,
    message: 'm',
    excerpt: '',
    fingerprint: '0'.repeat(32),
  });
  const columns = ['a', 'b', 'c', 'd', 'e', 'f'].map((s) => col(s, 'news', `栏目${s}`));
  it('is 100 minus deductions, each indicator capped', () => {
    const s = scoreSite('r', 'nnxn', [...Array.from({ length: 30 }, () => f('broken-link', 'x', 'deduct', 0.5)), f('footer-missing')], columns, 10);
    // 30 broken links × 0.5 = 15, capped at the indicator's 10; the footer item 1 more.
    expect(s).toMatchObject({ verdict: 'pass', score: 89, deductions: 11, vetoes: 0 });
  });
  it('fails a site on any veto finding, and on five stale 动态要闻 columns counted the national way', () => {
    expect(scoreSite('r', 'nnxn', [f('home-stale', 'home', 'veto', 0)], columns, 1)).toMatchObject({ verdict: 'fail', score: null });
    const four = ['a', 'b', 'c', 'd'].map((s) => f('column-stale', `nnxn/${s}`));
    expect(scoreSite('r', 'nnxn', four, columns, 1).verdict).toBe('pass');
    const s = scoreSite('r', 'nnxn', [...four, f('column-stale', 'nnxn/e')], columns, 1);
    expect(s.verdict).toBe('fail');
    expect(s.vetoReasons.join()).toContain('栏目不更新');
  });
});

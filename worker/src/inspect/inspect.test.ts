/**
 * The inspector in workerd. First each rule against hand-made pages: it finds the defect it is for, and nothing on
 * a page without it. Then runs against a published site in R2 and the content store in D1: what a 普查 stores, a
 * run cut short and resumed, 整改 items verified or reopened by the next run, bad publications that do not stop a
 * run, and the Cron path (schedules started by period, budgeted work, escalation) and POST /_ingest/inspect.
 */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SiteSchema, TABLES, compileLists, insertSql, publicationKeys as keys, toRow, type Column, type Finding, type Pointer } from '@ywtc/cms-schema';
import { parsePage } from './page.ts';
import { freshness } from './rules/freshness.ts';
import { words } from './rules/words.ts';
import { collectLinks, otherSiteFindings } from './rules/links.ts';
import { standards } from './rules/standards.ts';
import { storeRules } from './rules/store-rules.ts';
import { misspelledTitles, titleMisspellings } from './rules/leader-titles.ts';
import { scoreSite } from './score.ts';
import type { PlacedDoc, SiteInput } from './types.ts';
import { publish, seedRegistry } from '../testing/sites.ts';
import { testDocument } from '../testing/documents.ts';
import { startRun, workRun } from './run.ts';
import { inspectionWork, periodStart } from './scheduled.ts';
import { scheduledWork } from '../platform/scheduled.ts';
import type { Env } from '../env.ts';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const FOOTER = (id: string) => `<footer><a data-footer="conac" href="https://bszs.conac.cn/sitename?method=show&amp;id=${id}">党政机关</a>
<span data-footer="sponsor">主办单位：南宁市人民政府办公室</span><span data-footer="contact">联系方式：0771-12345</span><span>网站标识码：${id}</span>
<span data-footer="icp">桂ICP备12000001号</span><span data-footer="psb">桂公网安备 45010002000001号</span>
<a data-footer="zhaocuo" href="https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode=${id}">我为政府网站找错</a></footer>`;
const META = (id: string, extra = '') =>
  `<meta name="SiteName" content="南宁市人民政府门户网站"><meta name="SiteDomain" content="www.nanning.gov.cn"><meta name="SiteIDCode" content="${id}">${extra}`;
const pageOf = (main: string, extra = '', id = '4501000001') =>
  `<!doctype html><html><head><title>t</title>${META(id, extra)}</head><body><main>${main}</main>${FOOTER(id)}</body></html>`;
const item = (href: string, iso: string) => `<li><a href="${href}">示例条目</a> <time datetime="${iso}">${iso.slice(0, 10)}</time></li>`;
const COL = '<meta name="ColumnName" content="栏目"><meta name="ColumnType" content="栏目">';
const ART = `${COL}<meta name="ArticleTitle" content="示例"><meta name="PubDate" content="2026-12-01 10:00"><meta name="ContentSource" content="本网">`;

const COLUMNS: [string, Column['kind'], string][] = [
  ['yw', 'news', '要闻动态'],
  ['tzgg', 'notice', '通知公告'],
  ['zwfw', 'service', '办事服务'],
];
const DOCS = [
  { id: 'nn-yw-1', col: 'yw', days: 2 },
  { id: 'nn-tz-1', col: 'tzgg', days: 300 },
  { id: 'nn-bs-1', col: 'zwfw', days: 40 },
];

function nanningFiles(tzggDays: number) {
  return {
    '/index.html': pageOf(`<ul>${item('yw/nn-yw-1.html', ago(2))}</ul><a href="zwfw/">办事服务</a>`),
    '/yw/index.html': pageOf(`<ul>${item('nn-yw-1.html', ago(2))}</ul>`, COL),
    '/tzgg/index.html': pageOf(`<ul>${item('nn-tz-1.html', ago(tzggDays))}</ul>`, COL),
    '/zwfw/index.html': pageOf(`<ul>${item('nn-bs-1.html', ago(40))}</ul>`, COL),
    '/yw/nn-yw-1.html': pageOf('<div class="doc-body"><p>正文。<a href="missing.html">坏链接</a></p></div>', ART),
    '/tzgg/nn-tz-1.html': pageOf('<div class="doc-body"><p>通知。</p></div>', ART),
    '/zwfw/nn-bs-1.html': pageOf('<div class="doc-body"><p>指南。</p></div>', ART),
  };
}

async function seed() {
  await seedRegistry();
  const db = env.DB;
  await db.batch([
    ...COLUMNS.map(([slug, kind, name], i) =>
      db.prepare(insertSql(TABLES.columns)).bind(
        ...toRow(TABLES.columns, {
          id: `nanning/${slug}`,
          siteId: 'nanning',
          parentId: null,
          slug,
          name,
          kind,
          description: '测试栏目',
          keywords: [],
          sortOrder: i,
        }),
      ),
    ),
    ...DOCS.map((d) =>
      db
        .prepare(insertSql(TABLES.documents))
        .bind(...toRow(TABLES.documents, testDocument(d.id, 'nanning', ago(d.days), { title: `示例：${d.id}`, source: '本网', isDemo: true }))),
    ),
    ...DOCS.map((d) =>
      db.prepare('INSERT INTO placements (document_id, site_id, column_id, pinned) VALUES (?, ?, ?, 0)').bind(d.id, 'nanning', `nanning/${d.col}`),
    ),
  ]);
}

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

const PAGE_FOOTER = `<footer><a class="conac" href="https://bszs.conac.cn/sitename?method=show&amp;id=4501020001" data-footer="conac">党政机关</a><ul>
<li data-footer="sponsor">主办单位：兴宁区人民政府办公室</li><li data-footer="contact">联系方式：0771-12345</li><li data-footer="idcode">网站标识码：4501020001</li>
<li data-footer="icp"><a href="https://beian.miit.gov.cn/">桂ICP备12001021号</a></li><li data-footer="psb"><a href="https://beian.mps.gov.cn/">桂公网安备 45010202000001号</a></li></ul>
<a class="zhaocuo" data-footer="zhaocuo" href="https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode=4501020001">我为政府网站找错</a></footer>`;
const SITE_META =
  '<meta name="SiteName" content="兴宁区人民政府门户网站"><meta name="SiteDomain" content="www.nnxn.gov.cn"><meta name="SiteIDCode" content="4501020001">';
const html = (head: string, main: string, footer = PAGE_FOOTER) =>
  `<!doctype html><html><head><title>t</title>${SITE_META}${head}</head><body><header><a href="./">首页</a></header><main>${main}</main>${footer}</body></html>`;
const listItem = (href: string, iso: string) =>
  `<li><a href="${href}">示例条目</a><time datetime="${iso}">${iso.slice(0, 10)} ${iso.slice(11, 16)}</time></li>`;
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
  '/index.html': html('', `<ul>${listItem('yw/a1.html', '2026-12-01T02:00:00Z')}</ul><a href="zwfw/">办事服务</a>`),
  '/yw/index.html': list(listItem('a1.html', '2026-12-01T02:00:00Z')),
  '/tzgg/index.html': list(listItem('n1.html', '2026-10-01T02:00:00Z')),
  '/zwfw/index.html': list(listItem('g1.html', '2026-01-01T02:00:00Z')),
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
    const old = input({ ...clean(), '/index.html': html('', `<ul>${listItem('yw/a1.html', '2026-11-10T02:00:00Z')}</ul>`) });
    expect(kinds(freshness(old))).toEqual(['home-stale']);
    const undated = input({ ...clean(), '/index.html': html('', '<ul><li><a href="yw/a1.html">无日期</a></li></ul>') });
    expect(freshness(undated)[0]!.message).toContain('没有注明发布时间');
  });
  it('judges each column by its national cadence: 要闻 14 days, 通知公告 183 days', () => {
    const i = input({
      ...clean(),
      '/yw/index.html': list(listItem('a1.html', '2026-11-15T02:00:00Z')),
      '/tzgg/index.html': list(listItem('n1.html', '2026-05-01T02:00:00Z')),
    });
    const f = freshness(i);
    expect(f.map((d) => [d.kind, d.target])).toEqual([
      ['column-stale', 'nnxn/yw'],
      ['column-stale', 'nnxn/tzgg'],
    ]);
    // 180 days is within the notice column's limit.
    expect(freshness(input({ ...clean(), '/tzgg/index.html': list(listItem('n1.html', '2026-06-09T02:00:00Z')) }))).toEqual([]);
  });
  it('counts a column listing no document as empty, and a parent listing its children as not empty', () => {
    const empty = input({ ...clean(), '/tzgg/index.html': list('') });
    expect(freshness(empty).map((d) => [d.kind, d.target])).toEqual([['column-empty', 'nnxn/tzgg']]);
    const parent = input({ ...clean(), '/tzgg/index.html': list(listItem('../yw/a1.html', '2026-12-01T02:00:00Z')) });
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
    const footer = PAGE_FOOTER.replace(/<li data-footer="sponsor">[^<]*<\/li>/, '')
      .replace('网站标识码：4501020001', '网站标识码：4501020009')
      .replace(/<a class="zhaocuo"[^>]*>[^<]*<\/a>/, '');
    const i = input({
      ...clean(),
      '/index.html': html('', `<ul>${listItem('yw/a1.html', '2026-12-01T02:00:00Z')}</ul>`, footer),
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

describe('inspection runs', () => {
  // One workerd (one D1 and R2) per test file: the store is seeded once, and each test starts from no runs and
  // freshly published sites.
  beforeAll(seed);
  beforeEach(async () => {
    await env.DB.batch(
      ['inspection_findings', 'inspection_scores', 'inspection_skips', 'inspection_tasks', 'inspection_runs', 'inspection_seen', 'rectifications'].map((t) =>
        env.DB.prepare(`DELETE FROM ${t}`),
      ),
    );
    const v = Date.now().toString(36);
    await publish('nanning', nanningFiles(300), `n${v}`);
    await publish('gxzf', { '/index.html': pageOf(`<ul>${item('x.html', ago(1))}</ul>`, '', '4500000001') }, `g${v}`);
  });

  const findings = async (runId: string) =>
    (
      await env.DB.prepare('SELECT site_id, kind, url, target FROM inspection_findings WHERE run_id = ? ORDER BY site_id, kind')
        .bind(runId)
        .all<{ site_id: string; kind: string; url: string; target: string }>()
    ).results;
  const items = async () =>
    (await env.DB.prepare('SELECT kind, state, site_id, escalated_to, escalation FROM rectifications ORDER BY kind').all<Record<string, unknown>>()).results;

  describe('an inspection run', () => {
    it('stores each site’s findings, its score and the 整改 items they open', async () => {
      const { run } = await startRun(env.DB, { schedule: 'quarterly', trigger: 'cli', siteIds: ['nanning'] });
      const done = await workRun(env, run.id);
      expect(done.run).toMatchObject({ state: 'finished', sites: 1, pages: 7 });
      expect((await findings(run.id)).map((f) => [f.kind, f.target])).toEqual([
        ['broken-link', '/yw/missing.html'],
        ['column-stale', 'nanning/tzgg'],
      ]);
      expect(done.run.findings).toBe(2);
      const score = await env.DB.prepare('SELECT verdict, score, deductions FROM inspection_scores WHERE run_id = ?').bind(run.id).first();
      expect(score).toEqual({ verdict: 'pass', score: 98.5, deductions: 1.5 });
      expect(await items()).toEqual([
        { kind: 'broken-link', state: 'open', site_id: 'nanning', escalated_to: 'nanning', escalation: 0 },
        { kind: 'column-stale', state: 'open', site_id: 'nanning', escalated_to: 'nanning', escalation: 0 },
      ]);
    });

    it('resumes a run cut short where it stopped, counting every site once', async () => {
      const { run } = await startRun(env.DB, { schedule: 'quarterly', trigger: 'cli', siteIds: ['gxzf', 'nanning'] });
      const first = await workRun(env, run.id, { deadline: Date.now() + 60_000, onSite: () => {} });
      expect(first.run.state).toBe('finished');
      const { run: again } = await startRun(env.DB, { schedule: 'monthly', trigger: 'cli', siteIds: ['gxzf', 'nanning'] });
      const cut = await workRun(env, again.id, { deadline: Date.now() - 1 });
      expect(cut).toMatchObject({ sites: 0, run: { state: 'running' } });
      // A second start of the same schedule finds the run in progress instead of starting another.
      expect((await startRun(env.DB, { schedule: 'monthly', trigger: 'cli' })).started).toBe(false);
      const resumed = await workRun(env, again.id);
      expect(resumed).toMatchObject({ sites: 2, run: { state: 'finished', sites: 2 } });
      const scores = await env.DB.prepare('SELECT count(*) AS n FROM inspection_scores WHERE run_id = ?').bind(again.id).first<{ n: number }>();
      expect(scores!.n).toBe(2);
      expect(resumed.run.findings).toBe((await findings(again.id)).length);
    });

    it('verifies a fixed item the next run no longer finds, and reopens one it still finds', async () => {
      const { run } = await startRun(env.DB, { schedule: 'quarterly', trigger: 'cli', siteIds: ['nanning'] });
      await workRun(env, run.id);
      await env.DB.prepare("UPDATE rectifications SET state = 'fixed'").run();
      await publish('nanning', nanningFiles(3), `v2${Date.now().toString(36)}`); // the notice column updated; the broken link left as it was
      const { run: next } = await startRun(env.DB, { schedule: 'quarterly', trigger: 'cli', siteIds: ['nanning'], now: new Date(Date.now() + 1000) });
      await workRun(env, next.id);
      expect((await items()).map((i) => [i.kind, i.state])).toEqual([
        ['broken-link', 'reopened'],
        ['column-stale', 'verified'],
      ]);
    });

    it('turns a home page whose bytes are missing into a finding and an enormous page into a skip, and finishes', async () => {
      const manifest = await publish(
        'gxzf',
        { '/index.html': pageOf('<p>首页</p>', '', '4500000001'), '/big.html': `<main>${'很长的页面。'.repeat(400_000)}</main>` },
        'g2',
        false,
      );
      const pages = { ...manifest.pages, '/index.html': ['gone', 0, 5000, 'f'.repeat(32), 'text/html; charset=utf-8', 'gzip'] };
      await env.PAGES.put(keys.manifest('gxzf', 'g2'), JSON.stringify({ ...manifest, pages }));
      const ptr: Pointer = { version: 'g2', publishedAt: new Date().toISOString(), rendererHash: 't', contentRevision: 'g2', pageCount: 2 };
      await env.PAGES.put(keys.pointer('gxzf'), JSON.stringify(ptr));
      const { run } = await startRun(env.DB, { schedule: 'quarterly', trigger: 'cli', siteIds: ['gxzf'] });
      const done = await workRun(env, run.id);
      expect(done.run).toMatchObject({ state: 'finished', skipped: 1 });
      // (This fixture's region portal has no 办事服务 column at all: a finding of its own.)
      expect((await findings(run.id)).map((f) => [f.kind, f.target])).toEqual([
        ['service-missing', 'service'],
        ['site-unreachable', 'home'],
      ]);
      const skip = await env.DB.prepare('SELECT url, reason FROM inspection_skips WHERE run_id = ?').bind(run.id).first<{ url: string; reason: string }>();
      expect(skip!.url).toBe('/big.html');
      expect(skip!.reason).toContain('页面过大');
      const score = await env.DB.prepare('SELECT verdict, score FROM inspection_scores WHERE run_id = ?').bind(run.id).first();
      expect(score).toEqual({ verdict: 'fail', score: null });
    });
  });

  describe('the Cron path', () => {
    const cronEnv = (vars: Partial<Env>) => ({ ...env, ...vars }) as Env;

    it('starts a schedule whose period began, works it off within the budget, and starts none twice in a period', async () => {
      const report = await scheduledWork(cronEnv({ INSPECT_SCHEDULES: 'quarterly' }), new Date(), () => {});
      expect(report.inspection!.started).toHaveLength(1);
      expect(report.inspection!.worked).toEqual([{ runId: expect.any(String), sites: 2, finished: true }]);
      const again = await inspectionWork(cronEnv({ INSPECT_SCHEDULES: 'quarterly' }), new Date());
      expect(again.started).toEqual([]);
      expect((await inspectionWork(cronEnv({}), new Date())).started).toEqual([]);
      const runs = await env.DB.prepare('SELECT schedule, trigger, state FROM inspection_runs').all();
      expect(runs.results).toEqual([{ schedule: 'quarterly', trigger: 'cron', state: 'finished' }]);
    });

    it('escalates an overdue 整改 item to the unit above', async () => {
      const { run } = await startRun(env.DB, { schedule: 'quarterly', trigger: 'cli', siteIds: ['nanning'] });
      await workRun(env, run.id);
      await env.DB.prepare("UPDATE rectifications SET deadline = ? WHERE kind = 'column-stale'").bind(ago(1)).run();
      const tick = await inspectionWork(cronEnv({}), new Date());
      expect(tick.escalated).toBe(1);
      expect((await items()).find((i) => i.kind === 'column-stale')).toMatchObject({ escalated_to: 'gxzf', escalation: 1 });
    });

    it('knows when each period began, in China time', () => {
      // Saturday 2026-12-05 03:00 CST.
      const now = new Date('2026-12-04T19:00:00Z');
      expect(periodStart('weekly', now).toISOString()).toBe('2026-11-29T16:00:00.000Z');
      expect(periodStart('monthly', now).toISOString()).toBe('2026-11-30T16:00:00.000Z');
      expect(periodStart('quarterly', now).toISOString()).toBe('2026-09-30T16:00:00.000Z');
    });
  });

  describe('POST /_ingest/inspect', () => {
    const post = (body: unknown) =>
      SELF.fetch('http://127.0.0.1:8787/_ingest/inspect', {
        method: 'POST',
        headers: { Authorization: `Bearer ${'t'.repeat(48)}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    it('runs an inspection for a machine and refuses a bad schedule naming the field', async () => {
      const res = await post({ schedule: 'weekly', sites: ['nanning'] });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ started: true, state: 'finished', sites: 1 });
      // `npm start`'s first 普查: not started again once a run of the schedule exists.
      expect(await (await post({ schedule: 'weekly', ifNone: true })).json()).toMatchObject({ started: false, skipped: true, state: 'finished' });
      expect(await (await post({ schedule: 'monthly', ifNone: true, sites: ['nanning'] })).json()).toMatchObject({ started: true, state: 'finished' });
      const bad = await post({ schedule: 'daily' });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { message: string }).message).toMatch(/^schedule：/);
      expect((await SELF.fetch('http://127.0.0.1:8787/_ingest/inspect', { method: 'POST', body: '{}' })).status).toBe(401);
    });
  });
});

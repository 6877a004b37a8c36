/** The Astro renderer on real page models: national meta tags, footer block, relative links, 示例 marks. */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureRenderer, loadRenderer, type Renderer } from '../publisher/renderer.ts';
import { indexStore, sitePages } from '../publisher/routes.ts';
import { chromeCache } from '../publisher/render-site.ts';
import { smallStore } from './fixture.ts';

const ix = indexStore(smallStore());
const { html, feeds } = sitePages(ix, 'nanning', { originFor: (d) => `https://${d}` });
let bytes: Renderer;
// Tests read pages as text.
const dec = new TextDecoder();
const renderer = {
  page: async (m: Parameters<Renderer['page']>[0]) => dec.decode(await bytes.page(m)),
  feed: async (m: Parameters<Renderer['feed']>[0]) => dec.decode(await bytes.feed(m)),
};
beforeAll(async () => {
  ensureRenderer();
  bytes = await loadRenderer();
}, 120_000);

const meta = (page: string, name: string) => new RegExp(`<meta name="${name}" content="([^"]*)"`).exec(page)?.[1];

describe('rendered pages', () => {
  it('carry the site meta tags and the footer block on every page type', async () => {
    for (const type of ['home', 'column', 'document', 'library', 'site-map', 'not-found'] as const) {
      const model = html.find((p) => p.type === type)!;
      const page = await renderer.page(model);
      expect(page.startsWith('<!DOCTYPE html>'), type).toBe(true);
      expect(page).toContain('<html lang="zh-CN"');
      expect(meta(page, 'SiteName')).toBe('南宁市人民政府门户网站');
      expect(meta(page, 'SiteDomain')).toBe('www.nanning.gov.cn');
      expect(meta(page, 'SiteIDCode')).toBe('4501000001');
      for (const part of [
        'data-footer="conac"',
        '网站标识码：4501000001',
        '桂ICP备',
        '桂公网安备',
        '主办单位：南宁市人民政府办公室',
        '联系方式：0771-12345',
        '我为政府网站找错',
      ])
        expect(page, `${type}: ${part}`).toContain(part);
    }
  });

  it('carry the slots the Worker fills for 千人千网, verbatim, where it looks for them', async () => {
    // worker/src/personal/page-extras.ts finds the personal slot as text; the hot list through HTMLRewriter.
    const home = await renderer.page(html.find((p) => p.type === 'home')!);
    expect(home).toContain('<div class="personal-slot" data-slot="personal"></div>');
    expect(home).toMatch(/<ol class="hot-list" data-slot="hot-list"><\/ol>/);
    expect(home).toContain('href="hot/"');
    const doc = await renderer.page(html.find((p) => p.type === 'document')!);
    expect(doc).toContain('<div class="personal-slot" data-slot="personal"></div>');
    expect(doc).toContain('data-switch="me" href="../_me/?back=');
  });

  it('show a 办事指南 with every element the national inspection asks for', async () => {
    const model = html.find((p) => p.type === 'document' && p.doc.kind === 'guide');
    if (model?.type !== 'document') throw new Error('no guide in the fixture');
    const page = await renderer.page(model);
    for (const label of ['事项名称', '设定依据', '申请条件', '办理材料', '办理地点', '办理机构', '收费标准', '办理时间', '联系电话', '办理流程', '服务场景'])
      expect(page, label).toContain(`<th scope="row">${label}</th>`);
    expect(page).toContain('示例内容');
  });

  it('carry column meta tags on column pages and article meta tags on document pages', async () => {
    const column = await renderer.page(html.find((p) => p.type === 'column' && p.column.path === '/tzgg/')!);
    expect(meta(column, 'ColumnName')).toBe('通知公告');
    expect(meta(column, 'ColumnType')).toBe('通知公告');
    expect(meta(column, 'ColumnDescription')).toBeTruthy();
    expect(meta(column, 'ColumnKeywords')).toBe('通知,公告');

    const model = html.find((p) => p.type === 'document' && p.doc.id === 'p00001') ?? html.find((p) => p.type === 'document' && !p.doc.isDemo)!;
    if (model.type !== 'document') throw new Error('no document');
    const page = await renderer.page(model);
    expect(meta(page, 'ArticleTitle')).toBe(model.doc.title.replace(/"/g, '&quot;'));
    expect(meta(page, 'PubDate')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(meta(page, 'ContentSource')).toBe('中国政府网');
    expect(meta(page, 'Url')).toBe(`https://www.nanning.gov.cn${model.path}`);
    for (const name of ['Keywords', 'Author', 'Description', 'Image', 'ColumnName']) expect(meta(page, name), name).toBeDefined();
    for (const label of ['索引号', '发文机关', '发文字号', '成文日期', '发布日期', '主题分类', '有效性'])
      expect(page).toContain(`<th scope="row">${label}</th>`);
    expect(page).toContain(model.doc.docNumber!);
  });

  it('reuses header and footer without changing a byte of any page', async () => {
    const chromeOf = chromeCache(bytes);
    for (const model of html) {
      const direct = await renderer.page(model);
      const reused = await renderer.page({ ...model, chrome: await chromeOf(model) });
      expect(reused, model.path).toBe(direct);
    }
  });

  it('marks the open section in the navigation', async () => {
    const page = await renderer.page(html.find((p) => p.type === 'column' && p.column.path === '/xxgkzn/')!);
    expect(page).toMatch(/<a href="\.\.\/xxgk\/" aria-current="true">政府信息公开<\/a>/);
    expect((page.match(/aria-current="true"/g) ?? []).length).toBe(1);
  });

  it('uses only relative links inside the site', async () => {
    const page = await renderer.page(html.find((p) => p.type === 'document')!);
    const hrefs = [...page.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!);
    const internal = hrefs.filter((h) => !/^https?:|^mailto:|^#/.test(h));
    expect(internal.length).toBeGreaterThan(5);
    for (const h of internal) expect(h.startsWith('/'), h).toBe(false);
  });

  it('labels demo items as 示例 on their page', async () => {
    const model = html.find((p) => p.type === 'document' && p.doc.isDemo)!;
    const page = await renderer.page(model);
    expect(page).toContain('示例内容');
    expect(page).toContain('【示例】');
  });

  it('renders sitemap.xml with absolute URLs and RSS with items', async () => {
    const sitemap = await renderer.feed(feeds.find((f) => f.type === 'sitemap-xml')!);
    expect(sitemap).toContain('<loc>https://www.nanning.gov.cn/</loc>');
    expect(sitemap).toContain('<loc>https://www.nanning.gov.cn/yw/</loc>');
    const rss = await renderer.feed(feeds.find((f) => f.type === 'rss')!);
    expect(rss).toContain('<rss version="2.0">');
    expect((rss.match(/<item>/g) ?? []).length).toBeGreaterThan(10);
    const robots = await renderer.feed(feeds.find((f) => f.type === 'robots')!);
    expect(robots).toContain('Sitemap: https://www.nanning.gov.cn/sitemap.xml');
  });
});

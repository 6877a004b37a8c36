import { describe, expect, it } from 'vitest';
import { indexStore, sitePages, LIST_PAGE_SIZE } from '../publisher/routes.ts';
import { smallStore } from './fixture.ts';

const store = smallStore();
const ix = indexStore(store);
const opts = { originFor: (d: string) => `https://${d}` };

describe('sitePages', () => {
  it('makes home, column lists, documents, library, site map, 404 and feeds for a site', () => {
    const { html, feeds } = sitePages(ix, 'nanning', opts);
    const paths = html.map((p) => p.path);
    for (const p of ['/index.html', '/yw/index.html', '/tzgg/index.html', '/zcwj/index.html', '/zcwjk/index.html', '/wzdt/index.html', '/404.html'])
      expect(paths).toContain(p);
    expect(feeds.map((f) => f.path).sort()).toEqual(['/robots.txt', '/rss.xml', '/sitemap.xml']);
    expect(new Set(paths).size).toBe(paths.length);
    const docs = html.filter((p) => p.type === 'document');
    const placed = store.placements.filter((p) => p.siteId === 'nanning').length;
    expect(docs.length).toBe(placed);
  });

  it('paginates column lists with stable page paths', () => {
    const { html } = sitePages(ix, 'nanning', opts);
    const yw = html.filter((p) => p.type === 'column' && p.column.path === '/yw/');
    expect(yw.length).toBe(Math.ceil(25 / LIST_PAGE_SIZE));
    expect(yw.map((p) => p.path)).toEqual(['/yw/index.html', '/yw/index_2.html']);
    const second = yw[1]!;
    if (second.type !== 'column') throw new Error('not a column page');
    expect(second.pagination).toMatchObject({ page: 2, pages: 2, total: 25 });
    expect(second.items.length).toBe(5);
  });

  it('lists a parent column with its children’s documents, newest first', () => {
    const { html } = sitePages(ix, 'nanning', opts);
    const xxgk = html.find((p) => p.type === 'column' && p.column.path === '/xxgk/');
    if (!xxgk || xxgk.type !== 'column') throw new Error('no 政府信息公开 page');
    expect(xxgk.items.length).toBe(2); // 指南 and 年报 from its sub-columns
    const times = xxgk.items.map((d) => Date.parse(d.publishedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('links a policy page to its interpretation on the same site', () => {
    const { html } = sitePages(ix, 'nanning', opts);
    const pathOf = new Map(html.flatMap((p) => (p.type === 'document' ? [[p.doc.id, p.path] as const] : [])));
    const withInterp = html.filter((p) => p.type === 'document' && p.interpretations.length > 0);
    expect(withInterp.length).toBeGreaterThan(0);
    for (const page of withInterp) {
      if (page.type !== 'document') continue;
      // Exactly the 解读 the store links to this policy and this site shows, each at its page on this site.
      const linked = store.links
        .filter((l) => l.policyId === page.doc.id && pathOf.has(l.interpretationId))
        .map((l) => l.interpretationId)
        .sort();
      expect(page.interpretations.map((i) => i.id).sort(), page.doc.id).toEqual(linked);
      for (const i of page.interpretations) expect(i.path, i.id).toBe(pathOf.get(i.id));
    }
  });

  it('puts the same reposted document on several sites, each in its own column', () => {
    const docsOf = (site: string) =>
      new Map(
        sitePages(ix, site, opts)
          .html.filter((p) => p.type === 'document')
          .map((p) => [p.type === 'document' ? p.doc.id : '', p.path]),
      );
    const region = docsOf('gxzf');
    const city = docsOf('nanning');
    const shared = [...city.keys()].filter((id) => region.has(id));
    expect(shared.length).toBeGreaterThan(5);
    expect(region.get(shared[0]!)).toBe(`/gwywj/${shared[0]}.html`);
    expect(city.get(shared[0]!)).toBe(`/zcwj/${shared[0]}.html`);
  });
});

/**
 * Every page of one site, as page models for the renderer: home, column lists with pagination, documents,
 * the policy library, the site map, 404, and the feeds. Pure: store in, models out.
 */
import { documentPath, formatPublishTime, type Column, type Document, type Site } from '@ywtc/cms-schema';
import { themeFor } from '@ywtc/themes';
import type { Crumb, DocSummary, FeedModel, NavColumn, PageModel, Pagination, SiteInfo } from '../src/model.ts';
import type { Store } from './store.ts';

/** Where a document's share card lives in its site (sites/publisher/cards/). */
export const cardPath = (documentId: string) => `/cards/${documentId}.png`;

export const LIST_PAGE_SIZE = 20;
export const LIBRARY_PAGE_SIZE = 50;
export const HOME_ITEMS = 8;
export const RSS_ITEMS = 50;

export interface RouteOptions {
  /** The public origin of a host, e.g. https://www.gxzf.gov.cn, or http://www.gxzf.gov.cn.localhost:8787 for local preview. */
  originFor: (domain: string) => string;
}

export interface SitePages {
  html: PageModel[];
  feeds: (FeedModel & { path: string })[];
}

/** Index of the store by site, built once per publish run. */
export interface StoreIndex {
  store: Store;
  sitesById: Map<string, Site>;
  columnsBySite: Map<string, Column[]>;
  placementsByColumn: Map<string, { doc: Document; pinned: number }[]>;
  interpretationsOf: Map<string, string[]>;
  policiesOf: Map<string, string[]>;
}

/** An image URL made absolute for the Image meta tag; a malformed one gives '' rather than failing the build. */
function absoluteUrl(src: string, base: string): string {
  if (!src) return '';
  try {
    return new URL(src, base).href;
  } catch {
    return '';
  }
}

const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => {
  const a = m.get(k);
  if (a) a.push(v);
  else m.set(k, [v]);
};

export function indexStore(store: Store): StoreIndex {
  const sitesById = new Map(store.sites.map((s) => [s.id, s]));
  const columnsBySite = new Map<string, Column[]>();
  for (const c of store.columns) push(columnsBySite, c.siteId, c);
  const placementsByColumn = new Map<string, { doc: Document; pinned: number }[]>();
  for (const p of store.placements) {
    const doc = store.documents.get(p.documentId);
    if (doc) push(placementsByColumn, p.columnId, { doc, pinned: p.pinned });
  }
  const newestFirst = (a: { doc: Document; pinned: number }, b: { doc: Document; pinned: number }) =>
    b.pinned - a.pinned || Date.parse(b.doc.publishedAt) - Date.parse(a.doc.publishedAt) || a.doc.id.localeCompare(b.doc.id);
  for (const list of placementsByColumn.values()) list.sort(newestFirst);
  const interpretationsOf = new Map<string, string[]>();
  const policiesOf = new Map<string, string[]>();
  for (const l of store.links) {
    push(interpretationsOf, l.policyId, l.interpretationId);
    push(policiesOf, l.interpretationId, l.policyId);
  }
  return { store, sitesById, columnsBySite, placementsByColumn, interpretationsOf, policiesOf };
}

function pagePaths(base: string, pages: number): string[] {
  return Array.from({ length: Math.max(1, pages) }, (_, i) => (i === 0 ? `${base}index.html` : `${base}index_${i + 1}.html`));
}

function paginate<T>(items: T[], size: number, base: string): { slice: T[]; pagination: Pagination; path: string }[] {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const pathOf = pagePaths(base, pages);
  return pathOf.map((path, i) => ({ slice: items.slice(i * size, (i + 1) * size), pagination: { page: i + 1, pages, total: items.length, pathOf }, path }));
}

export function sitePages(ix: StoreIndex, siteId: string, opts: RouteOptions): SitePages {
  const site = ix.sitesById.get(siteId);
  if (!site) throw new Error(`no site ${siteId}`);
  const origin = opts.originFor(site.domains[0]!);
  const parentSite = site.parentId ? ix.sitesById.get(site.parentId) : undefined;
  const columns = ix.columnsBySite.get(siteId) ?? [];

  // Column tree with URL paths: every column is /<slug>/ (slugs are unique within a site).
  const navById = new Map<string, NavColumn>();
  for (const c of columns)
    navById.set(c.id, { id: c.id, name: c.name, kind: c.kind, description: c.description, keywords: c.keywords, path: `/${c.slug}/`, children: [] });
  const nav: NavColumn[] = [];
  for (const c of columns) {
    const n = navById.get(c.id)!;
    if (c.parentId && navById.has(c.parentId)) navById.get(c.parentId)!.children.push(n);
    else nav.push(n);
  }
  const parentOf = new Map(columns.map((c) => [c.id, c.parentId]));
  const crumbsOf = (columnId: string): Crumb[] => {
    const chain: Crumb[] = [];
    for (let id: string | null | undefined = columnId; id; id = parentOf.get(id)) {
      const n = navById.get(id)!;
      chain.unshift({ name: n.name, path: n.path });
    }
    return chain;
  };

  const info: SiteInfo = {
    site,
    theme: themeFor(site.themeId),
    origin,
    nav,
    parent: parentSite ? { name: parentSite.name, origin: opts.originFor(parentSite.domains[0]!) } : null,
  };

  // Where each document lives on this site: its one placement here.
  const docPath = new Map<string, string>();
  const docColumn = new Map<string, string>();
  for (const c of columns)
    for (const { doc } of ix.placementsByColumn.get(c.id) ?? []) {
      docPath.set(doc.id, documentPath(c.slug, doc.id));
      docColumn.set(doc.id, c.id);
    }
  const summary = (doc: Document): DocSummary => ({
    id: doc.id,
    title: doc.title,
    path: docPath.get(doc.id)!,
    kind: doc.kind,
    publishedAt: doc.publishedAt,
    isDemo: doc.isDemo,
    source: doc.source,
    ownerSiteId: doc.ownerSiteId,
    docNumber: doc.docNumber,
    issuer: doc.issuer,
    indexNumber: doc.indexNumber,
    writtenOn: doc.writtenOn,
    issuedOn: doc.issuedOn,
    topic: doc.topic,
    validity: doc.validity,
    columnName: navById.get(docColumn.get(doc.id)!)!.name,
  });

  // A column lists its own documents and those of its sub-columns, newest first.
  const listOf = new Map<string, DocSummary[]>();
  const collect = (n: NavColumn): { doc: Document; pinned: number }[] => {
    const own = [...(ix.placementsByColumn.get(n.id) ?? []), ...n.children.flatMap(collect)];
    own.sort((a, b) => b.pinned - a.pinned || Date.parse(b.doc.publishedAt) - Date.parse(a.doc.publishedAt) || a.doc.id.localeCompare(b.doc.id));
    listOf.set(
      n.id,
      own.map((x) => summary(x.doc)),
    );
    return own;
  };
  nav.forEach(collect);

  const html: PageModel[] = [];
  const policyLike = (d: DocSummary) => d.kind === 'policy' || d.kind === 'regulation';
  const allDocs = [...docPath.keys()]
    .map((id) => summary(ix.store.documents.get(id)!))
    .sort((a, b) => Date.parse(b.publishedAt) - Date.parse(a.publishedAt) || a.id.localeCompare(b.id));

  html.push({
    type: 'home',
    site: info,
    path: '/index.html',
    blocks: nav
      .filter((n) => n.kind !== 'qa')
      .map((n) => ({ column: n, items: (listOf.get(n.id) ?? []).slice(0, HOME_ITEMS) }))
      .filter((b) => b.items.length > 0),
    latestPolicies: allDocs.filter(policyLike).slice(0, HOME_ITEMS),
  });

  for (const c of columns) {
    const n = navById.get(c.id)!;
    if (c.kind === 'qa') {
      // 先审后发: drafts wait for review before they are published.
      const entries = ix.store.qa
        .filter((q) => q.siteId === siteId && q.status === 'approved')
        .map((q) => ({ ...q, source: docPath.has(q.sourceDocumentId) ? summary(ix.store.documents.get(q.sourceDocumentId)!) : null }));
      for (const p of paginate(entries, LIST_PAGE_SIZE, n.path))
        html.push({ type: 'qa', site: info, path: p.path, column: n, crumbs: crumbsOf(c.id), entries: p.slice, pagination: p.pagination });
    } else {
      for (const p of paginate(listOf.get(c.id) ?? [], LIST_PAGE_SIZE, n.path))
        html.push({ type: 'column', site: info, path: p.path, column: n, crumbs: crumbsOf(c.id), items: p.slice, pagination: p.pagination });
    }
  }

  for (const [id, path] of docPath) {
    const doc = ix.store.documents.get(id)!;
    const columnId = docColumn.get(id)!;
    const img = (/<img[^>]+src="([^"]+)"/.exec(doc.bodyHtml)?.[1] ?? '')
      .replace(/&amp;/g, '&')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>');
    const card = cardPath(id);
    html.push({
      type: 'document',
      site: info,
      path,
      column: navById.get(columnId)!,
      crumbs: crumbsOf(columnId),
      doc,
      image: absoluteUrl(img, origin + path),
      card: {
        path: card,
        url: origin + card,
        alt: `${doc.title}_${site.name}`,
        spec: { title: doc.title, siteName: site.name, date: formatPublishTime(doc.publishedAt).slice(0, 10), colors: info.theme.colors },
      },
      interpretations: (ix.interpretationsOf.get(id) ?? []).filter((x) => docPath.has(x)).map((x) => summary(ix.store.documents.get(x)!)),
      policies: (ix.policiesOf.get(id) ?? []).filter((x) => docPath.has(x)).map((x) => summary(ix.store.documents.get(x)!)),
    });
  }

  const library = allDocs
    .filter((d) => policyLike(d) || d.kind === 'interpretation')
    .sort((a, b) => (b.issuedOn ?? b.publishedAt).localeCompare(a.issuedOn ?? a.publishedAt) || a.id.localeCompare(b.id));
  for (const p of paginate(library, LIBRARY_PAGE_SIZE, '/zcwjk/'))
    html.push({ type: 'library', site: info, path: p.path, crumbs: [{ name: '政策文件库', path: '/zcwjk/' }], rows: p.slice, pagination: p.pagination });
  html.push({ type: 'site-map', site: info, path: '/wzdt/index.html', crumbs: [{ name: '网站地图', path: '/wzdt/' }] });
  html.push({ type: 'not-found', site: info, path: '/404.html' });

  const lastmod = new Map(allDocs.map((d) => [d.path, d.publishedAt]));
  const feeds: SitePages['feeds'] = [
    {
      type: 'sitemap-xml',
      site: info,
      path: '/sitemap.xml',
      urls: html.filter((p) => p.type !== 'not-found').map((p) => ({ loc: origin + p.path.replace(/index\.html$/, ''), lastmod: lastmod.get(p.path) ?? null })),
    },
    { type: 'rss', site: info, path: '/rss.xml', items: allDocs.slice(0, RSS_ITEMS).map((d) => ({ ...d, summary: ix.store.documents.get(d.id)!.summary })) },
    { type: 'robots', site: info, path: '/robots.txt' },
  ];
  return { html, feeds };
}

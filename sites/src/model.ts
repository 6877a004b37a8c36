/**
 * What the renderer receives for each page (through Astro.locals): plain data assembled by the publisher from
 * the content store. The Astro project never queries anything itself, so one warm process can render every
 * page of every site.
 */
import type { Column, Document, QaEntry, Site } from '@ywtc/cms-schema';
import type { Theme } from '@ywtc/themes';

export interface NavColumn {
  id: string;
  name: string;
  kind: Column['kind'];
  description: string;
  keywords: string[];
  path: string; // '/yw/'
  children: NavColumn[];
}

export interface SiteInfo {
  site: Site;
  theme: Theme;
  /** https://<primary domain> — used only where absolute URLs are required (meta Url, canonical, sitemap, RSS). */
  origin: string;
  nav: NavColumn[];
  parent: { name: string; origin: string } | null;
}

export interface DocSummary {
  id: string;
  title: string;
  path: string;
  kind: Document['kind'];
  publishedAt: string;
  isDemo: boolean;
  source: string;
  ownerSiteId: string;
  docNumber: string | null;
  issuer: string | null;
  indexNumber: string | null;
  writtenOn: string | null;
  issuedOn: string | null;
  topic: string | null;
  validity: Document['validity'];
  columnName: string;
}

export interface Crumb {
  name: string;
  path: string;
}

/** What a document's share card shows (sites/publisher/cards/): rendered to `path` in the site's pack. */
export interface CardSpec {
  title: string;
  siteName: string;
  date: string;
  colors: Theme['colors'];
}
/** A document page's share card: its site path, its absolute URL (og:image) and alt text; null where it could not be rendered (the Worker). */
export interface CardRef {
  path: string;
  url: string;
  alt: string;
  spec: CardSpec;
}

export interface Pagination {
  page: number;
  pages: number;
  total: number;
  pathOf: string[];
}

/** Header and footer HTML rendered once per site, depth and current section, and reused (render-site.ts). */
export interface Chrome {
  header: string;
  footer: string;
}
interface Base {
  site: SiteInfo;
  path: string;
  chrome?: Chrome;
}
export type PageModel = Base &
  (
    | { type: 'home'; blocks: { column: NavColumn; items: DocSummary[] }[]; latestPolicies: DocSummary[] }
    | { type: 'column'; column: NavColumn; crumbs: Crumb[]; items: DocSummary[]; pagination: Pagination }
    | { type: 'qa'; column: NavColumn; crumbs: Crumb[]; entries: (QaEntry & { source: DocSummary | null })[]; pagination: Pagination }
    | {
        type: 'document';
        column: NavColumn;
        crumbs: Crumb[];
        doc: Document;
        image: string;
        card: CardRef | null;
        interpretations: DocSummary[];
        policies: DocSummary[];
      }
    | { type: 'library'; crumbs: Crumb[]; rows: DocSummary[]; pagination: Pagination }
    | { type: 'site-map'; crumbs: Crumb[] }
    | { type: 'not-found' }
  );

export type FeedModel = Base &
  (
    { type: 'sitemap-xml'; urls: { loc: string; lastmod: string | null }[] } | { type: 'rss'; items: (DocSummary & { summary: string })[] } | { type: 'robots' }
  );

/** Input of the chrome route: the header and footer of one site as seen from `path` with `current` column open. */
export interface ChromeModel {
  site: SiteInfo;
  path: string;
  current?: string | undefined;
}

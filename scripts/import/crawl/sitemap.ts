/** sitemap.xml and sitemap index files (sitemaps.org): the page addresses, and the further sitemaps an index names. */
import { parseDocument } from 'htmlparser2';
import { selectAll } from 'css-select';
import type { AnyNode, Element } from 'domhandler';
import { textContent } from 'domutils';

export interface SitemapEntries {
  pages: string[];
  sitemaps: string[];
}

export function parseSitemap(xml: string): SitemapEntries {
  const doc = parseDocument(xml, { xmlMode: true });
  const locs = (sel: string) =>
    selectAll<AnyNode, Element>(sel, doc)
      .map((el) => textContent(el).trim())
      .filter(Boolean);
  return { pages: locs('url > loc'), sitemaps: locs('sitemap > loc') };
}

/**
 * One address per page: old sites link the same page as `/xwdt/`, `/xwdt/index.html`, `/xwdt/#top` and
 * `?b=2&a=1` / `?a=1&b=2`, and a crawl that treats those as different pages fetches (and imports) them twice.
 */
import type { CrawlColumn } from './config.ts';

const INDEX_FILE = /\/(?:index|default)\.(?:s?html?|jsp|aspx?|php)$/i;

/** The canonical form of an absolute http(s) URL, or null for anything else (mailto:, javascript:, broken). */
export function normalizeUrl(href: string, base?: string): string | null {
  let u: URL;
  try {
    u = base === undefined ? new URL(href.trim()) : new URL(href.trim(), base);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  u.hash = ''; // WHATWG URL already lower-cases the host and drops default ports
  if (INDEX_FILE.test(u.pathname)) u.pathname = u.pathname.replace(INDEX_FILE, '/');
  if (u.search) {
    const params = [...u.searchParams.entries()].sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1));
    u.search = new URLSearchParams(params).toString();
  }
  return u.href;
}

export const hostAllowed = (url: string, allowHosts: readonly string[]): boolean => {
  const u = new URL(url);
  return allowHosts.includes(u.host) || allowHosts.includes(u.hostname);
};

/** The configured column whose prefix is the longest match for the page, or null (the page is not imported). */
export function columnFor(url: string, columns: readonly CrawlColumn[]): CrawlColumn | null {
  const u = new URL(url);
  let best: CrawlColumn | null = null;
  let bestLength = -1;
  for (const c of columns) {
    const matches = c.urlPrefix.startsWith('/') ? u.pathname.startsWith(c.urlPrefix) : url.startsWith(c.urlPrefix);
    if (matches && c.urlPrefix.length > bestLength) [best, bestLength] = [c, c.urlPrefix.length];
  }
  return best;
}

/** Is the page the column's own list page (its prefix itself, the first page of its list)? */
export function isColumnHome(url: string, column: CrawlColumn): boolean {
  const u = new URL(url);
  const prefix = column.urlPrefix.startsWith('/') ? column.urlPrefix : new URL(column.urlPrefix).pathname;
  const dir = prefix.endsWith('/') ? prefix : `${prefix}/`;
  return u.pathname === dir && !u.search;
}

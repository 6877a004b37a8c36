/** What the search pages and routes share: where a search runs and how its result links are written. */

/**
 * How links to a result on another site are written: under the platform host's /_site/<domain>/ preview
 * (a platform host with the preview capability), at <domain>.localhost (a local site host), or at the
 * site's public https://<domain>.
 */
export type LinkStyle = 'preview' | 'localhost' | 'public';

export interface SearchScope {
  /** The site searched, or null for every site. */
  siteId: string | null;
  /** Where the site's (or the platform's) root is in this request's URL space. */
  base: string;
  links: LinkStyle;
}

export interface SiteRef {
  id: string;
  name: string;
  domain: string;
}

/** A page of another site, written in a request's link style (LinkStyle). */
export function linkTo(links: LinkStyle, requestUrl: string, domain: string, path: string): string {
  if (links === 'preview') return `/_site/${domain}${path}`;
  const url = new URL(requestUrl);
  if (links === 'localhost') return `${url.protocol}//${domain}.localhost${url.port ? ':' + url.port : ''}${path}`;
  return `https://${domain}${path}`;
}

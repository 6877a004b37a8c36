/**
 * The registry as personalisation needs it: each site's name, kind, parent and primary domain, so a citizen's
 * county leads to its city and the region, and a recommendation on another site gets that site's address.
 * Read once a minute per isolate: sites are added rarely, and every personalised page needs it.
 */
import type { SiteKind } from '@ywtc/cms-schema';

export interface SiteEntry {
  id: string;
  name: string;
  kind: SiteKind;
  parentId: string | null;
  domain: string;
  divisionCode: string;
}

const TTL_MS = 60_000;
let cached: { until: number; sites: Promise<Map<string, SiteEntry>> } | null = null;

export function registry(db: D1Database, now = Date.now()): Promise<Map<string, SiteEntry>> {
  if (cached && cached.until > now) return cached.sites;
  const sites = db
    .prepare(
      "SELECT id, name, kind, parent_id AS parentId, json_extract(domains, '$[0]') AS domain, division_code AS divisionCode FROM sites ORDER BY sort_order, id",
    )
    .all<SiteEntry>()
    .then(({ results }) => new Map(results.map((s) => [s.id, s])));
  cached = { until: now + TTL_MS, sites };
  // A failed read is not kept: the next request tries again.
  sites.catch(() => {
    if (cached?.sites === sites) cached = null;
  });
  return sites;
}

/** The portals a citizen of `regionId` belongs to, nearest first: county → city → region (or city → region). */
export function portalChain(sites: Map<string, SiteEntry>, regionId: string): SiteEntry[] {
  const chain: SiteEntry[] = [];
  for (let s = sites.get(regionId); s && chain.length < 4; s = s.parentId ? sites.get(s.parentId) : undefined) chain.push(s);
  return chain;
}

/** The portal a site belongs to: itself when it is a portal, else the nearest portal above it. */
export function portalOf(sites: Map<string, SiteEntry>, siteId: string): SiteEntry | undefined {
  for (let s = sites.get(siteId); s; s = s.parentId ? sites.get(s.parentId) : undefined)
    if (s.kind === 'province-portal' || s.kind === 'city-portal' || s.kind === 'county-portal') return s;
  return undefined;
}

/** Where a site's pages are for links from another site: SITE_ORIGIN_TEMPLATE (`{domain}`), else https. */
export const originOf = (template: string | undefined, domain: string) => (template ?? 'https://{domain}').replace('{domain}', domain);

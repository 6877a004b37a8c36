/**
 * The catalogue and the registry as the open-data routes read them: every interface (open_interfaces) and
 * every site's place in the hierarchy, kept per isolate for a short while — both change only when the seed or
 * a site administrator changes the registry, and an interface's scope is a set of sites.
 */
import { TABLES, fromRow, selectColumns, type OpenInterface } from '@ywtc/cms-schema';

export interface RegistrySite {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
  sortOrder: number;
  domain: string;
}
export interface Registry {
  sites: Map<string, RegistrySite>;
  children: Map<string, string[]>;
}
export interface Catalogue {
  interfaces: OpenInterface[];
  byCode: Map<string, OpenInterface>;
}

const TTL_MS = 30_000;
let registryCache: { at: number; db: D1Database; version: number | undefined; value: Registry } | null = null;
let catalogueCache: { at: number; db: D1Database; value: Catalogue } | null = null;

/**
 * The registry, kept for a short while — or, given the store's change counter (an API call has it), exactly as
 * long as the counter stands: an answer kept under a counter must not show a site as it was before it.
 */
export async function registry(db: D1Database, version?: number): Promise<Registry> {
  if (registryCache && registryCache.db === db && (version === undefined ? Date.now() - registryCache.at < TTL_MS : registryCache.version === version))
    return registryCache.value;
  const { results } = await db
    .prepare('SELECT id, name, kind, parent_id, sort_order, domains FROM sites ORDER BY sort_order, id')
    .all<{ id: string; name: string; kind: string; parent_id: string | null; sort_order: number; domains: string }>();
  const sites = new Map<string, RegistrySite>();
  const children = new Map<string, string[]>();
  for (const r of results) {
    sites.set(r.id, { id: r.id, name: r.name, kind: r.kind, parentId: r.parent_id, sortOrder: r.sort_order, domain: (JSON.parse(r.domains) as string[])[0]! });
    if (r.parent_id) children.set(r.parent_id, [...(children.get(r.parent_id) ?? []), r.id]);
  }
  const value = { sites, children };
  registryCache = { at: Date.now(), db, version, value };
  return value;
}

export async function catalogue(db: D1Database): Promise<Catalogue> {
  if (catalogueCache && catalogueCache.db === db && Date.now() - catalogueCache.at < TTL_MS) return catalogueCache.value;
  const { results } = await db.prepare(`SELECT ${selectColumns(TABLES.openInterfaces)} FROM open_interfaces ORDER BY code`).all();
  const interfaces = results.map((r) => fromRow(TABLES.openInterfaces, r));
  const value = { interfaces, byCode: new Map(interfaces.map((i) => [i.code, i])) };
  catalogueCache = { at: Date.now(), db, value };
  return value;
}

/** Drops the cached catalogue and registry (after the seed or a test rewrites them). */
export function forgetCatalogue(): void {
  registryCache = null;
  catalogueCache = null;
}

/** The sites an interface's scope covers; null for the whole region (no restriction). */
export function scopeSites(reg: Registry, iface: Pick<OpenInterface, 'scopeKind' | 'scopeSiteId'>): string[] | null {
  if (iface.scopeKind === 'region') return null;
  if (iface.scopeKind === 'site') return [iface.scopeSiteId];
  const out: string[] = [];
  const walk = (id: string) => {
    out.push(id);
    for (const c of reg.children.get(id) ?? []) walk(c);
  };
  walk(iface.scopeSiteId);
  return out;
}

/** The public address of a page of a site (its primary domain). */
export const siteUrl = (reg: Registry, siteId: string, path: string) => `https://${reg.sites.get(siteId)?.domain ?? 'unknown.invalid'}${path}`;

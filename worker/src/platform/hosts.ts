/**
 * Host resolution: which host a request is for (the Host header as the client sent it, a `.localhost` suffix
 * stripped — how browsers reach a site locally without DNS), and, for a site's host, which site. The registry
 * lives in D1 (site_hosts); lookups are cached in the isolate for a short time because every page request
 * needs one and the mapping changes only when a site is added or moved.
 */
const TTL_MS = 30_000;
const cache = new Map<string, { siteId: string | null; until: number }>();

/** www.gxzf.gov.cn.localhost:8787 → www.gxzf.gov.cn. */
export function siteHostOf(hostHeader: string): string {
  const host = hostHeader.trim().toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  return host.endsWith('.localhost') ? host.slice(0, -'.localhost'.length) : host;
}

/** The host a request was sent to, normalized as above. */
export const hostOf = (req: Request): string => siteHostOf(req.headers.get('host') ?? new URL(req.url).host);

export async function siteIdForHost(db: D1Database, host: string, now = Date.now()): Promise<string | null> {
  const hit = cache.get(host);
  if (hit && hit.until > now) return hit.siteId;
  const row = await db.prepare('SELECT site_id FROM site_hosts WHERE host = ?').bind(host).first<{ site_id: string }>();
  const siteId = row?.site_id ?? null;
  if (cache.size > 2000) cache.clear();
  cache.set(host, { siteId, until: now + TTL_MS });
  return siteId;
}

/** Drops cached look-ups (a domain change moved these hosts), so this isolate sees the registry at once. */
export function forgetHosts(hosts: readonly string[]): void {
  for (const h of hosts) cache.delete(h);
}

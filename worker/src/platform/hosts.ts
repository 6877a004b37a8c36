/**
 * Host → site. The registry lives in D1 (site_hosts); lookups are cached in the isolate for a short time
 * because every page request needs one and the mapping changes only when a site is added or moved.
 */
const TTL_MS = 30_000;
const cache = new Map<string, { siteId: string | null; until: number }>();

/** Hosts that address the platform itself rather than a site: the local preview index lives there. */
export const PLATFORM_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** www.gxzf.gov.cn.localhost:8787 → www.gxzf.gov.cn; the .localhost suffix is how browsers reach a site locally without DNS. */
export function siteHostOf(hostHeader: string): string {
  const host = hostHeader.trim().toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  return host.endsWith('.localhost') ? host.slice(0, -'.localhost'.length) : host;
}

export async function siteIdForHost(db: D1Database, host: string, now = Date.now()): Promise<string | null> {
  const hit = cache.get(host);
  if (hit && hit.until > now) return hit.siteId;
  const row = await db.prepare('SELECT site_id FROM site_hosts WHERE host = ?').bind(host).first<{ site_id: string }>();
  const siteId = row?.site_id ?? null;
  if (cache.size > 2000) cache.clear();
  cache.set(host, { siteId, until: now + TTL_MS });
  return siteId;
}

/**
 * Hosts a site left after a domain change (D1 `domain_redirects`): a request to one is answered with a 301 to the
 * same path and query on the site's primary domain, read at request time, so a site that moved twice sends its
 * readers there in one hop. Looked up only for hosts the registry does not serve, and cached per isolate like the
 * registry itself (30 s; the isolate that approves a change forgets at once).
 */
const TTL_MS = 30_000;
const cache = new Map<string, { to: string | null; until: number }>();

/** The primary domain of the site that left `host`, or null when no site did. */
export async function movedTo(db: D1Database, host: string, now = Date.now()): Promise<string | null> {
  const hit = cache.get(host);
  if (hit && hit.until > now) return hit.to;
  const row = await db
    .prepare("SELECT json_extract(s.domains, '$[0]') AS target FROM domain_redirects r JOIN sites s ON s.id = r.site_id WHERE r.host = ?")
    .bind(host)
    .first<{ target: string | null }>();
  const to = row?.target && row.target !== host ? row.target : null;
  if (cache.size > 2000) cache.clear();
  cache.set(host, { to, until: now + TTL_MS });
  return to;
}

export function forgetMoved(hosts: readonly string[]): void {
  for (const h of hosts) cache.delete(h);
}

/**
 * Where a request to `oldHost` goes: the same scheme, path and query, the host swapped — keeping a local
 * `.localhost` suffix and port, so `http://old.localhost:8787/a.html?x=1` goes to `http://new.localhost:8787/a.html?x=1`.
 */
export function movedLocation(req: Request, oldHost: string, newHost: string): string {
  const url = new URL(req.url);
  const asked = (req.headers.get('host') ?? url.host).trim().toLowerCase();
  const swapped = asked.startsWith(oldHost) ? newHost + asked.slice(oldHost.length).replace(/\.$/, '') : newHost;
  return `${url.protocol}//${swapped}${url.pathname}${url.search}`;
}

/** A 301 browsers keep for a day, not for ever: should the site move back, the old address must work again. */
export const MOVED_HEADERS = { 'Cache-Control': 'public, max-age=86400' } as const;

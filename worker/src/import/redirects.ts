/**
 * Old addresses of migrated sites (数据融合与集约迁移, issue 15): a request to a host the registry does not serve but
 * D1 `import_redirects` lists — the party, 纪委, 人大 and 政协 sites whose content was imported — is answered page by
 * page. An address the import mapped goes with a 301 to the document's page on the site's primary domain (wherever
 * its column is now: the placement is read at request time) or to the column page it was mapped to; an address that
 * maps to nothing gets a 404 page saying the site moved, with links to the new site, and is counted in
 * `import_unmapped` for the migration team (/admin/import/unmapped) — after the answer, not before it.
 *
 * The store (store.ts) keys a row by `oldAddressKey(url)`: the lower-case host name and the path with its query as
 * WHATWG URL writes them, which is what `new URL(request.url)` gives back here.
 */
import { html } from 'hono/html';
import { documentPath } from '@ywtc/cms-schema';
import { MOVED_HEADERS, movedLocation } from '../domains/redirects.ts';

export function oldAddressKey(url: string): { host: string; path: string } | null {
  try {
    const u = new URL(url);
    return { host: u.hostname.toLowerCase().replace(/\.$/, ''), path: u.pathname + u.search };
  } catch {
    return null;
  }
}

interface OldHost {
  siteId: string;
  sourceId: string;
  /** The site is still being switched over (import/switchover.ts): its imported pages are not live yet. */
  pending: boolean;
}

const TTL_MS = 30_000;
let hosts: { map: Map<string, OldHost>; until: number } | null = null;

/**
 * Every old host, read at most every 30 s per isolate like the registry. The table holds a row per old address
 * (tens of thousands), so the distinct hosts are found by hopping from one host to the next on the primary key
 * instead of scanning every row.
 */
async function oldHosts(db: D1Database, now: number): Promise<Map<string, OldHost>> {
  if (hosts && hosts.until > now) return hosts.map;
  const [found, open] = await db.batch([
    db.prepare(`WITH RECURSIVE h(host) AS (
        SELECT min(host) FROM import_redirects
        UNION ALL SELECT (SELECT min(host) FROM import_redirects WHERE host > h.host) FROM h WHERE h.host IS NOT NULL)
      SELECT h.host, r.site_id, r.source_id FROM h JOIN import_redirects r ON r.host = h.host AND r.path = (SELECT min(path) FROM import_redirects WHERE host = h.host)`),
    db.prepare("SELECT site_id FROM site_switchovers WHERE state NOT IN ('live', 'refused')"),
  ]);
  const pending = new Set((open!.results as { site_id: string }[]).map((r) => r.site_id));
  const map = new Map(
    (found!.results as { host: string; site_id: string; source_id: string }[]).map((r) => [
      r.host,
      { siteId: r.site_id, sourceId: r.source_id, pending: pending.has(r.site_id) },
    ]),
  );
  hosts = { map, until: now + TTL_MS };
  return map;
}

/** The activating isolate (a switch-over going live) sees the new redirects at once; others within 30 s. */
export function forgetOldHosts(): void {
  hosts = null;
}

/**
 * The stored paths a request may have been mapped under, best first: as asked, then with a trailing `index.html`
 * added or dropped (old CMSs linked both `/xwzx/` and `/xwzx/index.html`), each with the query and then without it
 * (`/content.jsp?id=123` is one page, `/xwzx/index.html?from=share` the same page as `/xwzx/index.html`).
 */
export function candidatePaths(pathname: string, search: string): string[] {
  const forms = [pathname];
  if (pathname.endsWith('/')) forms.push(`${pathname}index.html`);
  else if (pathname.endsWith('/index.html')) forms.push(pathname.slice(0, -'index.html'.length));
  const withQuery = search && search !== '?' ? forms.map((p) => p + search) : [];
  return [...new Set([...withQuery, ...forms])];
}

interface Mapped {
  path: string;
  site_id: string;
  document_id: string | null;
  target_path: string | null;
  slug: string | null;
  domain: string | null;
  name: string | null;
}

const PAGE_HEADERS = { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } as const;

/** Where the redirect goes: the page's path on the site's primary domain (keeping a local `.localhost` and port). */
function locationOn(req: Request, oldHost: string, domain: string, path: string): string {
  const to = new URL(movedLocation(req, oldHost, domain));
  return `${to.protocol}//${to.host}${path}`;
}

/**
 * The answer for `host` when it is an old host of a migrated site, else null (the caller's own 404). `waitUntil`
 * records an unmapped address after the answer has gone.
 */
export async function oldHostAnswer(
  db: D1Database,
  req: Request,
  host: string,
  waitUntil: (p: Promise<unknown>) => void,
  now = Date.now(),
): Promise<Response | null> {
  const old = (await oldHosts(db, now)).get(host);
  // Until the switch-over makes the imported pages live, a redirect would land on a page that does not exist yet.
  if (!old || old.pending) return null;
  const url = new URL(req.url);
  const candidates = candidatePaths(url.pathname, url.search).map((p) => p.slice(0, 2000));
  const { results } = await db
    .prepare(
      `SELECT r.path, r.site_id, r.document_id, r.target_path, c.slug, json_extract(s.domains, '$[0]') AS domain, s.name
         FROM import_redirects r JOIN sites s ON s.id = r.site_id
         LEFT JOIN placements p ON p.document_id = r.document_id AND p.site_id = r.site_id
         LEFT JOIN columns c ON c.id = p.column_id
        WHERE r.host = ?1 AND r.path IN (SELECT value FROM json_each(?2))`,
    )
    .bind(host, JSON.stringify(candidates))
    .all<Mapped>();
  const best = candidates.map((p) => results.find((r) => r.path === p)).find((r) => r !== undefined);
  const target = best?.target_path ?? (best?.document_id && best.slug ? documentPath(best.slug, best.document_id) : null);
  if (best?.domain && target) return new Response(null, { status: 301, headers: { Location: locationOn(req, host, best.domain, target), ...MOVED_HEADERS } });
  // A mapped document no longer on the site (withdrawn) is as lost to the reader as an address never mapped.
  const reason = best ? '旧网址对应的信息已撤下' : '旧网址未映射';
  const site = await db
    .prepare("SELECT name, json_extract(domains, '$[0]') AS domain FROM sites WHERE id = ?")
    .bind(old.siteId)
    .first<{ name: string; domain: string | null }>();
  const path = (url.pathname + url.search).slice(0, 2000);
  if (shouldRecord(host, path, now)) waitUntil(recordUnmapped(db, { host, path, sourceId: old.sourceId, reason }, new Date(now)));
  const origin = site?.domain ? locationOn(req, host, site.domain, '') : null;
  return new Response((await movedPage(site?.name ?? '新网站', origin)).toString(), { status: 404, headers: PAGE_HEADERS });
}

/** Writes per (host, path) per isolate-minute: a crawler hammering one dead address costs one write a minute. */
const recorded = new Map<string, number>();
export function shouldRecord(host: string, path: string, now: number): boolean {
  const key = `${host} ${path}`;
  const minute = Math.floor(now / 60_000);
  if (recorded.get(key) === minute) return false;
  if (recorded.size > 5000) recorded.clear();
  recorded.set(key, minute);
  return true;
}

/** One more request for an unmapped old address; a reason the crawler wrote first is kept (it says more). */
export async function recordUnmapped(db: D1Database, row: { host: string; path: string; sourceId: string | null; reason: string }, at: Date): Promise<void> {
  try {
    await db
      .prepare(
        `INSERT INTO import_unmapped (host, path, source_id, reason, hits, last_seen) VALUES (?1, ?2, ?3, ?4, 1, ?5)
         ON CONFLICT (host, path) DO UPDATE SET hits = hits + 1, last_seen = excluded.last_seen`,
      )
      .bind(row.host, row.path, row.sourceId, row.reason, at.toISOString())
      .run();
  } catch (e) {
    // The reader already has the page; a count lost to a D1 hiccup is not worth an error.
    console.error('import_unmapped:', e);
  }
}

/** 该网页已迁移至新网站: the platform's page, since the old site's own template no longer exists. */
function movedPage(siteName: string, origin: string | null) {
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>该网页已迁移至新网站</title>
<style>
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",system-ui,sans-serif;margin:0;color:#1a1a1a;line-height:1.7;font-size:17px}
header{background:#b3121b;color:#fff;padding:1.2rem 1rem}header p{margin:0;font-size:1.4rem;font-weight:bold}
main{max-width:48rem;margin:0 auto;padding:1.5rem 1rem}a{color:#0b4f9c}a:focus-visible{outline:3px solid #8a0d14}ul{padding-left:1.2rem}
</style></head><body><header><p>一网通查 · 政府网站集约化平台</p></header>
<main><h1>该网页已迁移至新网站</h1>
<p>本网站已整体迁移至${siteName}，原网址的页面没有找到对应的新页面，可能已合并、调整或不再公开。</p>
${
  origin
    ? html`<ul><li><a href="${origin}/">进入${siteName}首页</a></li><li><a href="${origin}/wzdt/">查看网站地图</a></li><li><a href="${origin}/search">搜索本站信息</a></li></ul>`
    : ''
}</main></body></html>`;
}

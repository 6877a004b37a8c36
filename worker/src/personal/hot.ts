/**
 * 热点信息推荐: what is read and searched now, per site and across the cluster, from real signals with time
 * decay (hot-signals.ts): page views of the last two weeks, halving every three days, and the searches of the
 * last week the same way. A site's editors pin items to the top of their site's list or block them
 * (hot_overrides, admin/hot-pages.ts). Withdrawn, 失效 and 废止 items never show. When a site has too little
 * traffic yet, its newest items fill the list, and the list says so.
 */
import { cstDate } from '@ywtc/cms-schema';
import { windowStart, dayWeight } from './hot-signals.ts';
import { contentVersion } from './content-version.ts';

export const HOT_SIZE = { block: 8, page: 30 } as const;
const TTL_MS = 60_000;
const QUERY_DAYS = 7;

export interface HotItem {
  id: string;
  title: string;
  siteId: string;
  path: string;
  /** Decayed views (0 for a filler item). */
  heat: number;
  pinned: boolean;
  /** Not hot: one of the site's newest items, filling a list that traffic does not fill yet. */
  filler: boolean;
}

export interface HotList {
  items: HotItem[];
  queries: { query: string; heat: number }[];
}

const cache = new Map<string, { until: number; version: number; list: Promise<HotList> }>();

/**
 * The hot list of a site, or of the whole cluster (`siteId` null): kept a minute, and never past a content
 * change (content-version.ts), so a withdrawn document leaves it when the withdrawal commits.
 */
export async function hotList(db: D1Database, siteId: string | null, now = Date.now()): Promise<HotList> {
  const key = siteId ?? '*';
  const version = await contentVersion(db, now);
  const hit = cache.get(key);
  if (hit && hit.until > now && hit.version === version) return hit.list;
  const list = readHot(db, siteId, now);
  if (cache.size > 400) cache.clear();
  cache.set(key, { until: now + TTL_MS, version, list });
  list.catch(() => {
    if (cache.get(key)?.list === list) cache.delete(key);
  });
  return list;
}

/** After an editor pins or blocks: the next request reads the list afresh (this isolate; others within a minute). */
export function forgetHot(siteId: string): void {
  cache.delete(siteId);
  cache.delete('*');
}

interface ViewRow {
  id: string;
  site_id: string;
  day: string;
  views: number;
}
interface PlacedRow {
  id: string;
  title: string;
  site_id: string;
  slug: string;
}

async function readHot(db: D1Database, siteId: string | null, now: number): Promise<HotList> {
  const since = windowStart(now);
  const site = siteId ? 'AND v.site_id = ?1' : '';
  // Only what is still placed and current: a withdrawn or 失效/废止 document drops out at once.
  const placed = (where: string) => `SELECT p.document_id AS id, d.title, p.site_id, c.slug FROM placements p
      JOIN documents d ON d.id = p.document_id JOIN columns c ON c.id = p.column_id
      WHERE ${where} AND (d.validity IS NULL OR d.validity = '有效')`;
  const [views, overrides, searches] = await db.batch<ViewRow & { action: string; document_id: string; query: string; searches: number }>([
    db
      .prepare(
        `SELECT v.document_id AS id, v.site_id, v.day, SUM(v.views) AS views FROM page_view_days v WHERE v.day >= ?2 ${site} GROUP BY v.document_id, v.site_id, v.day`,
      )
      .bind(siteId ?? '', since),
    db.prepare(`SELECT document_id, action FROM hot_overrides WHERE site_id = ?`).bind(siteId ?? ''),
    db
      .prepare('SELECT query, day, searches FROM search_query_days WHERE day >= ? AND zero_results < searches')
      .bind(cstDate(new Date(now - QUERY_DAYS * 86_400_000))),
  ]);
  const heat = new Map<string, number>();
  const bestSite = new Map<string, { siteId: string; heat: number }>();
  for (const r of views!.results) {
    const h = r.views * dayWeight(r.day, now);
    heat.set(r.id, (heat.get(r.id) ?? 0) + h);
    const b = bestSite.get(r.id);
    if (!b || b.heat < h) bestSite.set(r.id, { siteId: r.site_id, heat: h });
  }
  const blocked = new Set(overrides!.results.filter((o) => o.action === 'block').map((o) => o.document_id));
  const pinned = overrides!.results.filter((o) => o.action === 'pin').map((o) => o.document_id);
  const top = [...heat]
    .filter(([id]) => !blocked.has(id))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, HOT_SIZE.page * 2)
    .map(([id]) => id);
  const wanted = [...new Set([...pinned, ...top])];
  const rows = wanted.length
    ? (
        await db
          .prepare(`${placed(`p.document_id IN (${wanted.map(() => '?').join(',')})${siteId ? ' AND p.site_id = ?' : ''}`)}`)
          .bind(...wanted, ...(siteId ? [siteId] : []))
          .all<PlacedRow>()
      ).results
    : [];
  // A document shown on several sites is linked where it was read most (across the cluster) or on this site.
  const where = new Map<string, PlacedRow>();
  for (const r of rows) {
    const preferred = siteId ?? bestSite.get(r.id)?.siteId;
    if (!where.has(r.id) || r.site_id === preferred) where.set(r.id, r);
  }
  const item = (id: string, isPinned: boolean): HotItem | null => {
    const r = where.get(id);
    return r ? { id, title: r.title, siteId: r.site_id, path: `/${r.slug}/${id}.html`, heat: heat.get(id) ?? 0, pinned: isPinned, filler: false } : null;
  };
  const items = [
    ...pinned.filter((id) => !blocked.has(id)).map((id) => item(id, true)),
    ...top.filter((id) => !pinned.includes(id)).map((id) => item(id, false)),
  ]
    .filter((x): x is HotItem => x !== null)
    .slice(0, HOT_SIZE.page);
  if (siteId && items.length < HOT_SIZE.block) {
    const have = new Set(items.map((i) => i.id));
    const { results } = await db
      .prepare(`${placed('p.site_id = ?')} AND d.kind != 'guide' ORDER BY unixepoch(d.published_at) DESC LIMIT ?`)
      .bind(siteId, HOT_SIZE.block * 2)
      .all<PlacedRow>();
    for (const r of results) {
      if (items.length >= HOT_SIZE.block) break;
      if (have.has(r.id) || blocked.has(r.id)) continue;
      items.push({ id: r.id, title: r.title, siteId: r.site_id, path: `/${r.slug}/${r.id}.html`, heat: 0, pinned: false, filler: true });
    }
  }
  const queryHeat = new Map<string, number>();
  for (const r of searches!.results) queryHeat.set(r.query, (queryHeat.get(r.query) ?? 0) + r.searches * dayWeight(r.day, now));
  const queries = [...queryHeat]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 10)
    .map(([query, h]) => ({ query, heat: h }));
  return { items, queries };
}

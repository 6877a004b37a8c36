/**
 * Page views, counted at the edge without anything about the reader: per China-time day, site and document —
 * no address, cookie, user agent or time of day is kept, and crawlers are not counted. Counts gather in the
 * isolate and go to D1 (`page_view_days`) as one batch of upserts every FLUSH_MS, after the response
 * (waitUntil), so a page view costs no D1 write on the request's path.
 *
 * Why D1 and not Workers Analytics Engine: the hot list is read by the Worker on every home page, and Analytics
 * Engine can only be queried through its SQL HTTP API with an account API token — a secret and a network hop the
 * page path should not depend on. A day-level roll-up in D1 is small (one row per document viewed per site per
 * day) and is read with the content it ranks. A process stopped between flushes loses at most FLUSH_MS of
 * counts: a popularity signal, not a record.
 */
import { cstDate } from '@ywtc/cms-schema';

const FLUSH_MS = 10_000;
const FLUSH_SIZE = 300;
/** Views of the last WINDOW_DAYS days count, each day's weighing half as much every HALF_LIFE_DAYS. */
export const WINDOW_DAYS = 14;
export const HALF_LIFE_DAYS = 3;
const CRAWLER = /bot|spider|crawler|slurp|bingpreview|facebookexternalhit/i;

const pending = new Map<string, number>();
let lastFlush = 0;

/** A document page at `/<column>/<id>.html` (not a column's index pages, not the site's own pages). */
export function documentIdOfPath(path: string): string | null {
  const m = /^\/[a-z][a-z0-9-]*\/([a-z0-9][a-z0-9-]{1,79})\.html$/.exec(path);
  return m && !/^index(-|$)/.test(m[1]!) ? m[1]! : null;
}

export function countView(
  db: D1Database,
  waitUntil: (p: Promise<unknown>) => void,
  siteId: string,
  documentId: string,
  userAgent: string | undefined,
  now = Date.now(),
): void {
  if (userAgent && CRAWLER.test(userAgent)) return;
  const key = `${cstDate(new Date(now).toISOString())}|${siteId}|${documentId}`;
  pending.set(key, (pending.get(key) ?? 0) + 1);
  if (now - lastFlush >= FLUSH_MS || pending.size >= FLUSH_SIZE) {
    lastFlush = now;
    waitUntil(flushViews(db));
  }
}

/** Writes what has gathered (also called by tests and the Cron Trigger's work). A failed write puts the counts back. */
export async function flushViews(db: D1Database): Promise<number> {
  if (pending.size === 0) return 0;
  const rows = [...pending];
  pending.clear();
  try {
    await db.batch(
      rows.map(([key, views]) => {
        const [day, siteId, documentId] = key.split('|');
        return db
          .prepare(
            'INSERT INTO page_view_days (day, site_id, document_id, views) VALUES (?, ?, ?, ?) ON CONFLICT (day, site_id, document_id) DO UPDATE SET views = views + excluded.views',
          )
          .bind(day, siteId, documentId, views);
      }),
    );
  } catch (e) {
    for (const [key, views] of rows) pending.set(key, (pending.get(key) ?? 0) + views);
    throw e;
  }
  return rows.length;
}

/** How much a day's views weigh `now` (1 today, halving every HALF_LIFE_DAYS). */
export function dayWeight(day: string, now: number): number {
  const age = Math.max(0, (Date.parse(`${cstDate(new Date(now).toISOString())}T00:00:00Z`) - Date.parse(`${day}T00:00:00Z`)) / 86_400_000);
  return Math.pow(0.5, age / HALF_LIFE_DAYS);
}

export const windowStart = (now: number) => cstDate(new Date(now - WINDOW_DAYS * 86_400_000).toISOString());

/** Decayed views per document over the given sites (all sites when null). */
export async function viewWeights(db: D1Database, siteIds: readonly string[] | null, now: number): Promise<Map<string, number>> {
  const where = siteIds ? `AND site_id IN (${siteIds.map(() => '?').join(',')})` : '';
  const { results } = await db
    .prepare(`SELECT document_id AS id, day, SUM(views) AS views FROM page_view_days WHERE day >= ? ${where} GROUP BY document_id, day`)
    .bind(windowStart(now), ...(siteIds ?? []))
    .all<{ id: string; day: string; views: number }>();
  const out = new Map<string, number>();
  for (const r of results) out.set(r.id, (out.get(r.id) ?? 0) + r.views * dayWeight(r.day, now));
  return out;
}

/** Page-view days are kept a quarter (the hot list reads two weeks; dashboards may read more), then dropped. */
export const KEEP_DAYS = 92;
export async function pruneViews(db: D1Database, now: Date): Promise<number> {
  const r = await db
    .prepare('DELETE FROM page_view_days WHERE day < ?')
    .bind(cstDate(new Date(now.getTime() - KEEP_DAYS * 86_400_000)))
    .run();
  return r.meta.changes ?? 0;
}

/** Reading the search log (search-analytics.ts): daily totals, hot and zero-result queries, suggestions. */
import { dayOf } from './analytics.ts';

export interface DayTotals {
  day: string;
  searches: number;
  zeroResults: number;
  clicks: number;
}
export interface QueryTotals {
  query: string;
  searches: number;
  zeroResults: number;
  clicks: number;
}

const DAY_MS = 86_400_000;
/** The `days` calendar days up to and including today, oldest first. */
export function lastDays(days: number, now = Date.now()): string[] {
  return Array.from({ length: days }, (_, i) => dayOf(now - (days - 1 - i) * DAY_MS));
}

/** Totals for each of the last `days` days, days without searches included as zeros. */
export async function dailyTotals(db: D1Database, days: number, now = Date.now()): Promise<DayTotals[]> {
  const range = lastDays(days, now);
  const { results } = await db
    .prepare(
      `SELECT day, sum(searches) AS searches, sum(zero_results) AS zeroResults, sum(clicks) AS clicks
     FROM search_query_days WHERE day >= ? GROUP BY day`,
    )
    .bind(range[0])
    .all<DayTotals>();
  const byDay = new Map(results.map((r) => [r.day, r]));
  return range.map((day) => byDay.get(day) ?? { day, searches: 0, zeroResults: 0, clicks: 0 });
}

const totalsSql = (having: string, order: string) =>
  `SELECT query, sum(searches) AS searches, sum(zero_results) AS zeroResults, sum(clicks) AS clicks
   FROM search_query_days WHERE day >= ? GROUP BY query ${having} ORDER BY ${order}, query LIMIT ?`;

/** The most searched queries of the last `days` days. */
export async function hotQueries(db: D1Database, days: number, limit: number, now = Date.now()): Promise<QueryTotals[]> {
  const { results } = await db.prepare(totalsSql('HAVING sum(searches) > 0', 'searches DESC')).bind(lastDays(days, now)[0], limit).all<QueryTotals>();
  return results;
}

/** The queries that most often found nothing in the last `days` days: where the index or synonyms fall short. */
export async function zeroResultQueries(db: D1Database, days: number, limit: number, now = Date.now()): Promise<QueryTotals[]> {
  const { results } = await db.prepare(totalsSql('HAVING sum(zero_results) > 0', 'zeroResults DESC')).bind(lastDays(days, now)[0], limit).all<QueryTotals>();
  return results;
}

/**
 * A query is suggested to others only once this many searches made it: one person's unusual query (a name, a
 * case number) stays theirs, what is suggested is what many people ask.
 */
export const MIN_SUGGEST_SEARCHES = 3;
const SUGGEST_DAYS = 30;

/**
 * Up to `limit` suggestions for a partly typed (normalized) query: frequent queries that contain it and found
 * something, those starting with it first; then synonym-dictionary terms that contain it.
 */
export async function suggestions(db: D1Database, prefix: string, limit: number, now = Date.now()): Promise<string[]> {
  if (!prefix) return [];
  const [hot, synonyms] = await db.batch([
    db
      .prepare(
        `SELECT query, sum(searches) AS n FROM search_query_days WHERE day >= ?1 AND instr(query, ?2) > 0 GROUP BY query
       HAVING sum(searches) >= ?3 AND sum(searches) > sum(zero_results)
       ORDER BY substr(query, 1, length(?2)) = ?2 DESC, n DESC, query LIMIT ?4`,
      )
      .bind(lastDays(SUGGEST_DAYS, now)[0], prefix, MIN_SUGGEST_SEARCHES, limit),
    db.prepare('SELECT terms FROM search_synonyms WHERE instr(lower(terms), ?) > 0 ORDER BY id LIMIT 50').bind(prefix),
  ]);
  const out = new Set((hot!.results as { query: string }[]).map((r) => r.query).filter((q) => q !== prefix));
  const terms = (synonyms!.results as { terms: string }[])
    .flatMap((r) => r.terms.split('|'))
    .filter((t) => t.toLowerCase().includes(prefix) && t.toLowerCase() !== prefix);
  terms.sort((a, b) => Number(b.toLowerCase().startsWith(prefix)) - Number(a.toLowerCase().startsWith(prefix)));
  for (const t of terms) out.add(t);
  return [...out].slice(0, limit);
}

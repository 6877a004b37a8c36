/**
 * Aggregates: 信息发布统计 (documents per site and Beijing-time month, by kind of column) and 热门搜索词 (the
 * search analytics' daily counts, which hold no personal data: search/analytics keeps only the day and the
 * cleaned query). Both are figures of the moment, so they page in memory and take no incremental sync.
 */
import { cstDate } from '@ywtc/cms-schema';
import { pageInMemory, scopeCondition, type DatasetQuery } from './types.ts';

/** A query searched fewer times than this in a day is left out: rare queries can identify a person. */
export const HOT_SEARCH_MIN = 5;

export const publicationStatsDataset: DatasetQuery = {
  async list(ctx, after, limit) {
    const scope = scopeCondition('p.site_id', ctx);
    const year = ctx.filters.year as number | undefined;
    const { results } = await ctx.db
      .prepare(
        `SELECT p.site_id, strftime('%Y-%m', d.published_at, '+8 hours') AS month, count(DISTINCT d.id) AS total,
           count(DISTINCT CASE WHEN c.kind = 'policy' THEN d.id END) AS policies,
           count(DISTINCT CASE WHEN c.kind = 'interpretation' THEN d.id END) AS interpretations,
           count(DISTINCT CASE WHEN c.kind = 'notice' THEN d.id END) AS notices,
           count(DISTINCT CASE WHEN c.kind IN ('news', 'work-news') THEN d.id END) AS news
         FROM placements p JOIN documents d ON d.id = p.document_id JOIN columns c ON c.id = p.column_id
         WHERE ${scope.sql}${year ? " AND strftime('%Y', d.published_at, '+8 hours') = ?" : ''}
         GROUP BY p.site_id, month`,
      )
      .bind(...scope.args, ...(year ? [String(year)] : []))
      .all<{ site_id: string; month: string; total: number; policies: number; interpretations: number; notices: number; news: number }>();
    const rows = results.map((r) => ({
      // Newest month first, then sites in registry order.
      key: `${9999 - Number(r.month.slice(0, 4))}-${12 - Number(r.month.slice(5))}|${String(ctx.reg.sites.get(r.site_id)?.sortOrder ?? 99999).padStart(6, '0')}|${r.site_id}`,
      record: {
        site_id: r.site_id,
        site_name: ctx.reg.sites.get(r.site_id)?.name ?? '',
        month: r.month,
        total: r.total,
        policies: r.policies,
        interpretations: r.interpretations,
        notices: r.notices,
        news: r.news,
        others: Math.max(0, r.total - r.policies - r.interpretations - r.notices - r.news),
      },
    }));
    return pageInMemory(rows, after, limit);
  },
};

export const hotSearchesDataset: DatasetQuery = {
  async list(ctx, after, limit) {
    const to = (ctx.filters.to as string | undefined) ?? cstDate(ctx.now.toISOString());
    const from = (ctx.filters.from as string | undefined) ?? cstDate(new Date(Date.parse(`${to}T00:00:00+08:00`) - 29 * 86_400_000).toISOString());
    const { results } = await ctx.db
      .prepare('SELECT day, query, searches, zero_results, clicks FROM search_query_days WHERE day >= ? AND day <= ? AND searches >= ?')
      .bind(from, to, HOT_SEARCH_MIN)
      .all<{ day: string; query: string; searches: number; zero_results: number; clicks: number }>();
    const rows = results.map((r) => ({
      key: `${9999_99_99 - Number(r.day.replace(/-/g, ''))}|${String(1e9 - r.searches).padStart(10, '0')}|${r.query}`,
      record: { day: r.day, query: r.query, searches: r.searches, zero_results: r.zero_results, clicks: r.clicks },
    }));
    return pageInMemory(rows, after, limit);
  },
};

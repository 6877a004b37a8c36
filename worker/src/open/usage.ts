/**
 * Usage per unit × interface × Beijing-time day (open_usage, written by the quota Durable Object): for the
 * unit's own page, the owning units' and platform admins' pages, the catalogue's usage counts, and the CSV
 * export. Nothing of a request or an answer is stored, only counts.
 */
import { stringify } from 'csv-stringify/sync';
import { cstDate } from '@ywtc/cms-schema';
import type { ChartDay } from '../admin/chart.ts';

export interface UsageRow {
  day: string;
  unitId: string;
  unitName: string;
  code: string;
  interfaceName: string;
  calls: number;
  refused: number;
}

/** Whose usage: one unit's, or that of interfaces owned by some sites (null: every interface). */
export type UsageScope = { unitId: string } | { ownerSiteIds: string[] | null };

export const USAGE_DAYS = 30;

export function usageWindow(now = new Date(), days = USAGE_DAYS): { from: string; to: string; days: string[] } {
  const to = cstDate(now.toISOString());
  const list = Array.from({ length: days }, (_, i) => cstDate(new Date(Date.parse(`${to}T12:00:00+08:00`) - (days - 1 - i) * 86_400_000).toISOString()));
  return { from: list[0]!, to, days: list };
}

function where(scope: UsageScope): { sql: string; args: string[] } {
  if ('unitId' in scope) return { sql: 'g.unit_id = ?', args: [scope.unitId] };
  if (scope.ownerSiteIds === null) return { sql: '1', args: [] };
  return { sql: 'i.owner_site_id IN (SELECT value FROM json_each(?))', args: [JSON.stringify(scope.ownerSiteIds)] };
}

export async function usageRows(db: D1Database, scope: UsageScope, from: string, to: string): Promise<UsageRow[]> {
  const w = where(scope);
  const { results } = await db
    .prepare(
      `SELECT g.day, g.unit_id, u.name AS unit_name, g.code, i.name AS interface_name, g.calls, g.refused
       FROM open_usage g JOIN open_units u ON u.id = g.unit_id JOIN open_interfaces i ON i.code = g.code
       WHERE ${w.sql} AND g.day >= ? AND g.day <= ? ORDER BY g.day DESC, g.code, u.name LIMIT 5000`,
    )
    .bind(...w.args, from, to)
    .all<{ day: string; unit_id: string; unit_name: string; code: string; interface_name: string; calls: number; refused: number }>();
  return results.map((r) => ({
    day: r.day,
    unitId: r.unit_id,
    unitName: r.unit_name,
    code: r.code,
    interfaceName: r.interface_name,
    calls: r.calls,
    refused: r.refused,
  }));
}

/** Daily totals for the chart, every day of the window present (zero when nothing was called). */
export function chartDays(rows: readonly UsageRow[], days: readonly string[]): ChartDay[] {
  const by = new Map(days.map((d) => [d, { day: d, searches: 0, zeroResults: 0 }]));
  for (const r of rows) {
    const d = by.get(r.day);
    if (d) {
      d.searches += r.calls;
      d.zeroResults += r.refused;
    }
  }
  return [...by.values()];
}

export const USAGE_CSV_HEADER = ['日期', '单位', '接口编码', '接口名称', '调用次数', '被拒绝次数'];
export function usageCsv(rows: readonly UsageRow[]): string {
  return (
    '\uFEFF' +
    stringify(
      rows.map((r) => [r.day, r.unitName, r.code, r.interfaceName, r.calls, r.refused]),
      { header: true, columns: USAGE_CSV_HEADER, escape_formulas: true, record_delimiter: 'windows' },
    )
  );
}

/** Calls per interface over the window (the catalogue's 使用量). */
export async function callsByCode(db: D1Database, from: string): Promise<Map<string, number>> {
  const { results } = await db
    .prepare('SELECT code, sum(calls) AS calls FROM open_usage WHERE day >= ? GROUP BY code')
    .bind(from)
    .all<{ code: string; calls: number }>();
  return new Map(results.map((r) => [r.code, r.calls]));
}

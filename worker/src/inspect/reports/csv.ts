/**
 * The reports as CSV for spreadsheets: a run's (or a region's) table of sites, and a site's findings one per row.
 * A byte-order mark so Excel reads the Chinese as UTF-8, CRLF rows, and formulas escaped so a spreadsheet never
 * runs what a page contained (csv-stringify's escape_formulas, as the open-data exports do).
 */
import { stringify } from 'csv-stringify/sync';
import { FINDING_KINDS, INDICATORS, RECTIFICATION_STATES, SCHEDULES, SEVERITIES, VERDICTS, cstDate, type InspectionRun } from '@ywtc/cms-schema';
import type { FindingWithItem, SiteInfo, SiteResult } from './data.ts';
import { primaryDomain } from '../rectification/evidence.ts';
import { DEDUCT_INDICATORS, tallyDeductions, totalDeducted, vetoCount } from './tally.ts';
import { conclusion, runTime } from './views.ts';

export const csv = (header: string[], rows: (string | number | null)[][]) =>
  '\uFEFF' + stringify([header, ...rows.map((r) => r.map((v) => (v === null ? '' : v)))], { escape_formulas: true, record_delimiter: 'windows' });

export function sitesCsv(run: InspectionRun, results: readonly SiteResult[], names: ReadonlyMap<string, string>): string {
  const header = [
    '网站名称',
    '网站标识码',
    '主办单位',
    '上级网站',
    '检查类型',
    '检查时间',
    '结论',
    '得分',
    '单项否决问题数',
    '否决原因',
    ...DEDUCT_INDICATORS.map((d) => `扣分：${d.short}`),
    '扣分合计',
    '检查页面数',
    '问题数',
    '未能检查页面数',
    '未办结整改',
  ];
  const rows = results.map((r) => {
    const tally = tallyDeductions(r.kinds);
    return [
      r.site.name,
      r.site.idCode,
      r.site.sponsor,
      r.site.parentId ? (names.get(r.site.parentId) ?? r.site.parentId) : '',
      SCHEDULES[run.schedule].label,
      runTime(run),
      r.score ? VERDICTS[r.score.verdict] : conclusion(run, r).text,
      r.score?.score ?? null,
      vetoCount(r.kinds),
      r.score?.vetoReasons.join('；') ?? '',
      ...tally.map((t) => t.deducted),
      totalDeducted(tally),
      r.score?.pages ?? null,
      r.findings,
      r.skipped,
      r.openItems,
    ];
  });
  return csv(header, rows);
}

export function findingsCsv(run: InspectionRun, site: SiteInfo, findings: readonly FindingWithItem[]): string {
  const header = [
    '网站名称',
    '网站标识码',
    '检查类型',
    '检查时间',
    '指标',
    '问题类型',
    '性质',
    '扣分',
    '页面',
    '具体对象',
    '说明',
    '摘录',
    '整改状态',
    '整改期限',
  ];
  const domain = primaryDomain(site.domains) ?? '';
  const rows = findings.map((f) => [
    site.name,
    site.idCode,
    SCHEDULES[run.schedule].label,
    runTime(run),
    INDICATORS[FINDING_KINDS[f.kind].indicator].label,
    FINDING_KINDS[f.kind].label,
    SEVERITIES[f.severity],
    f.points,
    f.url.startsWith('/') && domain ? `${domain}${f.url}` : f.url,
    f.target,
    f.message,
    f.excerpt,
    f.item ? RECTIFICATION_STATES[f.item.state] : '',
    f.item ? cstDate(f.item.deadline) : '',
  ]);
  return csv(header, rows);
}

/** The attachment headers of a CSV download, the name in UTF-8 (RFC 6266) with an ASCII fallback. */
export const csvHeaders = (asciiName: string, name: string) => ({
  'Content-Type': 'text/csv; charset=utf-8',
  'Content-Disposition': `attachment; filename="${asciiName}.csv"; filename*=UTF-8''${encodeURIComponent(name)}.csv`,
  'Cache-Control': 'no-store',
});

/**
 * Each dashboard panel as CSV: the same rows the page shows, with a header row in Chinese, UTF-8 with a BOM (so
 * Excel reads the Chinese), CRLF, and formula-looking cells escaped (a search query is typed by anyone).
 */
import { stringify } from 'csv-stringify/sync';
import { cstDate } from '@ywtc/cms-schema';
import type { DashboardData } from './data.ts';
import { scheduleLabel } from './data.ts';
import type { Panel } from './query.ts';

type Cell = string | number;

export function panelTable(d: DashboardData, panel: Panel): { header: string[]; rows: Cell[][] } {
  const name = new Map(d.sites.map((s) => [s.id, s.name]));
  const site = (id: string) => name.get(id) ?? id;
  switch (panel) {
    case 'scores':
      return {
        header: ['检查编号', '检查类型', '开始时间', '参评网站数', '平均得分', '合格', '不合格'],
        rows: d.scores.map((r) => [r.runId, scheduleLabel(r.schedule), r.startedAt, r.sites, r.average ?? '', r.passed, r.failed]),
      };
    case 'vetoes':
      return {
        header: ['检查编号', '网站', '网站编号', '单项否决项数', '得分', '不合格原因'],
        rows: (d.census?.failing ?? []).map((f) => [d.census!.runId, site(f.siteId), f.siteId, f.vetoes, f.score ?? '', f.reasons.join('；')]),
      };
    case 'overdue':
      return {
        header: ['网站', '网站编号', '未升级', '已升级至上一级', '已升级至上两级及以上', '合计', '最早截止日期'],
        rows: d.overdue.map((r) => [site(r.siteId), r.siteId, ...r.byLevel, r.total, cstDate(r.oldestDeadline)]),
      };
    case 'publishing':
      return { header: ['网站', '网站编号', '本单位发布', '本站新增（含转载）'], rows: d.publishing.map((r) => [site(r.siteId), r.siteId, r.own, r.shown]) };
    case 'views':
      return { header: ['网站', '网站编号', '浏览量'], rows: d.sites.map((s) => [s.name, s.id, d.views.bySite.get(s.id) ?? 0]) };
    case 'searches':
      return { header: ['日期', '搜索次数', '无结果次数'], rows: d.searches.map((r) => [r.day, r.a, r.b]) };
    case 'hot-queries':
      return { header: ['搜索词', '搜索次数', '无结果次数'], rows: d.hotQueries.map((r) => [r.query, r.searches, r.zeroResults]) };
    case 'zero-queries':
      return { header: ['搜索词', '无结果次数', '搜索次数'], rows: d.zeroQueries.map((r) => [r.query, r.zeroResults, r.searches]) };
    case 'questions':
      return { header: ['问题', '提问次数', '最近提问日期'], rows: d.questions.top.map((r) => [r.question, r.count, r.lastDay]) };
    case 'consult':
      return {
        header: ['网站', '网站编号', '收到留言', '已答复', '办理中', '超过 3 个月未答复', '平均办理天数'],
        rows: d.sites.map((s) => {
          const c = d.consult.sites.get(s.id)!;
          return [s.name, s.id, c.total, c.answered, c.waiting, c.overdue, c.meanDays ?? ''];
        }),
      };
    case 'top-documents':
      return {
        header: ['网站', '文档编号', '标题', '浏览量'],
        rows: d.views.top.map((r) => [site(r.siteId), r.documentId, r.title ?? '', r.views]),
      };
    case 'open':
      return {
        header: ['接口编码', '接口名称', '数据提供网站', '调用次数', '被拒绝次数', '调用单位数'],
        rows: d.open.interfaces.map((r) => [r.code, r.name, site(r.ownerSiteId), r.calls, r.refused, r.units]),
      };
    case 'open-days':
      return { header: ['日期', '调用次数', '被拒绝次数'], rows: d.open.days.map((r) => [r.day, r.a, r.b]) };
  }
}

export function panelCsv(d: DashboardData, panel: Panel): string {
  const { header, rows } = panelTable(d, panel);
  return '\uFEFF' + stringify(rows, { header: true, columns: header, escape_formulas: true, record_delimiter: 'windows' });
}

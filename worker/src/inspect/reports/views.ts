/**
 * The parts of an inspection report (检查报告), shared by the site's own report and the region's: the run's facts,
 * a site's verdict, its 单项否决 and 扣分 items per national indicator with their evidence, and the 整改要求 with
 * deadlines. Headings start at the level the page gives, so both pages keep their headings in order.
 */
import { html } from 'hono/html';
import {
  FINDING_KINDS,
  RECTIFICATION_STATES,
  RUN_STATES,
  RUN_TRIGGERS,
  SCHEDULES,
  VERDICTS,
  cstDate,
  type FindingKind,
  type InspectionRun,
  type InspectionSkip,
} from '@ywtc/cms-schema';
import { shortTime } from '../../admin/admin-layout.ts';
import { kindLabel, liveUrl, pageLink, primaryDomain } from '../rectification/evidence.ts';
import type { FindingWithItem, SiteInfo, SiteResult } from './data.ts';
import { tallyDeductions, totalDeducted, vetoCount } from './tally.ts';

type Level = 1 | 2 | 3 | 4 | 5;
const heading = (level: Level, text: unknown, id?: string) => {
  const a = id ? html` id="${id}"` : '';
  switch (level) {
    case 1:
      return html`<h1${a}>${text}</h1>`;
    case 2:
      return html`<h2${a}>${text}</h2>`;
    case 3:
      return html`<h3${a}>${text}</h3>`;
    case 4:
      return html`<h4${a}>${text}</h4>`;
    default:
      return html`<h5${a}>${text}</h5>`;
  }
};
const next = (l: Level) => Math.min(l + 1, 5) as Level;

export const runTitle = (run: InspectionRun) => `${SCHEDULES[run.schedule].label}（${cstDate(run.startedAt)}）`;
export const runTime = (run: InspectionRun) => `${shortTime(run.startedAt)} 至 ${run.finishedAt ? shortTime(run.finishedAt) : '（进行中）'}`;

export const runFacts = (run: InspectionRun) =>
  html`<table class="report-facts"><tbody>
<tr><th scope="row">检查类型</th><td>${SCHEDULES[run.schedule].label}（${SCHEDULES[run.schedule].covers}）</td></tr>
<tr><th scope="row">检查时间</th><td>${runTime(run)}</td></tr>
<tr><th scope="row">状态</th><td>${RUN_STATES[run.state]}（${RUN_TRIGGERS[run.trigger]}发起，编号 ${run.id}）</td></tr>
</tbody></table>`;

/** 结论: the verdict and score, or why there is none. */
export function conclusion(run: InspectionRun, r: SiteResult): { text: string; verdict: 'pass' | 'fail' | null } {
  if (r.score) {
    const s = r.score;
    if (s.score === null) return { text: `${VERDICTS[s.verdict]}（单项否决）`, verdict: s.verdict };
    return { text: `${VERDICTS[s.verdict]}，得分 ${s.score}`, verdict: s.verdict };
  }
  if (!r.inspected) return { text: '本次检查未覆盖该网站', verdict: null };
  const vetoes = vetoCount(r.kinds);
  const deduct = r.kinds.reduce((n, k) => n + (FINDING_KINDS[k.kind as FindingKind]?.severity === 'deduct' ? k.count : 0), 0);
  return { text: `本次${SCHEDULES[run.schedule].label}不计分：发现单项否决问题 ${vetoes} 个、扣分问题 ${deduct} 个`, verdict: null };
}

const itemCell = (f: FindingWithItem) =>
  f.item ? html`<a href="/admin/inspect/items/${f.fingerprint}">${RECTIFICATION_STATES[f.item.state]}</a>，期限 ${cstDate(f.item.deadline)}` : html`—`;

export interface SiteReportInput {
  run: InspectionRun;
  result: SiteResult;
  findings: FindingWithItem[];
  skips: InspectionSkip[];
  originTemplate: string | undefined;
  /** The most findings listed per indicator (the CSV export has them all). */
  limit: number;
  /** The level of the report's own heading (its sections one below), or of its sections when it has no heading. */
  level: Level;
  /** On its own page the report is headed by the page's h1; in the region report each site has a heading. */
  withTitle: boolean;
}

export function siteReport(i: SiteReportInput) {
  const { run, result: r, findings } = i;
  const domain = primaryDomain(r.site.domains);
  const h2 = i.withTitle ? next(i.level) : i.level;
  const h3 = next(h2);
  const href = (url: string) => liveUrl(i.originTemplate, domain, url);
  const verdict = conclusion(run, r);
  const vetoes = findings.filter((f) => f.severity === 'veto');
  const notices = findings.filter((f) => f.severity === 'notice');
  const tally = tallyDeductions(r.kinds);
  const evidenceRows = (list: FindingWithItem[], withPoints: boolean) =>
    list
      .slice(0, i.limit)
      .map(
        (f) =>
          html`<tr><td>${kindLabel(f.kind)}</td><td>${pageLink(href(f.url), f.url)}${f.target && f.target !== f.url ? html`<br><code>${f.target}</code>` : ''}</td><td>${f.message}${f.excerpt ? html`<br><q class="excerpt">${f.excerpt}</q>` : ''}</td>${withPoints ? html`<td>${f.points}</td>` : ''}<td>${itemCell(f)}</td></tr>`,
      );
  const more = (list: unknown[]) =>
    list.length > i.limit
      ? html`<p class="meta">以上列出前 ${i.limit} 条，共 ${list.length} 条；全部问题见 <a href="/admin/inspect/runs/${run.id}/sites/${r.site.id}?format=csv">CSV 导出</a>。</p>`
      : '';
  const evidenceTable = (caption: string, list: FindingWithItem[], withPoints: boolean) =>
    html`<table class="evidence"><caption>${caption}</caption><thead><tr><th scope="col">问题</th><th scope="col">页面</th><th scope="col">说明及摘录</th>${withPoints ? html`<th scope="col">扣分</th>` : ''}<th scope="col">整改</th></tr></thead><tbody>${evidenceRows(list, withPoints)}</tbody></table>${more(list)}`;
  const byKind = new Map<string, { count: number; open: number; deadline: string | null }>();
  for (const f of findings) {
    const k = byKind.get(f.kind) ?? { count: 0, open: 0, deadline: null };
    k.count++;
    if (f.item && ['open', 'reopened', 'fixed'].includes(f.item.state)) {
      k.open++;
      if (!k.deadline || f.item.deadline < k.deadline) k.deadline = f.item.deadline;
    }
    byKind.set(f.kind, k);
  }
  const earliest = [...byKind.values()]
    .map((k) => k.deadline)
    .filter((d): d is string => d !== null)
    .sort()[0];
  const id = `site-${r.site.id}`;
  return html`<section class="site-report"${i.withTitle ? html` aria-labelledby="${id}-title"` : ''}>
${i.withTitle ? heading(i.level, html`<a href="/admin/inspect/runs/${run.id}/sites/${r.site.id}">${r.site.name}</a>检查报告`, `${id}-title`) : ''}
<table class="report-facts"><tbody>
<tr><th scope="row">网站名称</th><td>${r.site.name}</td></tr>
<tr><th scope="row">网站标识码</th><td>${r.site.idCode}</td></tr>
<tr><th scope="row">主办单位</th><td>${r.site.sponsor}</td></tr>
<tr><th scope="row">网站地址</th><td>${domain ?? ''}</td></tr>
<tr><th scope="row">检查时间</th><td>${runTime(run)}</td></tr>
<tr><th scope="row">检查类型</th><td>${SCHEDULES[run.schedule].label}</td></tr>
<tr><th scope="row">检查页面</th><td>${r.score ? `${r.score.pages} 个` : '—'}${r.skipped ? `（另有 ${r.skipped} 个页面未能检查）` : ''}</td></tr>
<tr><th scope="row">结论</th><td><strong class="verdict ${verdict.verdict ?? 'none'}" data-verdict="${verdict.verdict ?? ''}">${verdict.text}</strong></td></tr>
</tbody></table>
${heading(h2, '一、单项否决')}
${
  vetoes.length || r.score?.vetoReasons.length
    ? html`${r.score?.vetoReasons.length ? html`<ul class="veto-reasons">${r.score.vetoReasons.map((v) => html`<li>${v}</li>`)}</ul>` : ''}${vetoes.length ? evidenceTable('单项否决问题', vetoes, false) : ''}`
    : html`<p>未发现单项否决问题。</p>`
}
${heading(h2, '二、扣分情况')}
<table class="deductions"><caption>按指标扣分（每项不超过该指标分值）</caption><thead><tr><th scope="col">指标</th><th scope="col">问题数</th><th scope="col">扣分</th><th scope="col">分值上限</th></tr></thead>
<tbody>${tally.map((t) => html`<tr><th scope="row">${t.label}</th><td>${t.findings}</td><td>${t.deducted}${t.raw > t.deducted ? html`（按上限计，原计 ${t.raw}）` : ''}</td><td>${t.cap}</td></tr>`)}</tbody>
<tfoot><tr><th scope="row">合计</th><td>${tally.reduce((n, t) => n + t.findings, 0)}</td><td>${totalDeducted(tally)}</td><td>${tally.reduce((n, t) => n + t.cap, 0)}</td></tr></tfoot></table>
${tally
  .filter((t) => t.findings > 0)
  .map((t) => {
    const list = findings.filter((f) => f.severity === 'deduct' && FINDING_KINDS[f.kind].indicator === t.indicator);
    return html`${heading(h3, `${t.label}：扣 ${t.deducted} 分`)}${evidenceTable(`${t.label}的问题`, list, true)}`;
  })}
${notices.length ? html`${heading(h2, '三、提示')}${evidenceTable('提示事项', notices, false)}` : ''}
${heading(h2, `${notices.length ? '四' : '三'}、整改要求`)}
${
  byKind.size
    ? html`<p>请网站主办单位对上述问题逐项整改，在整改期限前在“整改事项”中标记已整改；下一次检查复核，仍发现问题的重新限期整改。逾期未整改的，逐级上报上级单位督办。${earliest ? html`最早整改期限：<strong>${cstDate(earliest)}</strong>。` : ''}<a href="/admin/inspect?site=${r.site.id}" class="no-print">查看本网站整改事项</a></p>
<table class="rectify-summary"><caption>整改事项</caption><thead><tr><th scope="col">问题</th><th scope="col">数量</th><th scope="col">整改时限</th><th scope="col">未办结</th><th scope="col">最早期限</th></tr></thead>
<tbody>${[...byKind].map(
        ([kind, k]) =>
          html`<tr><td>${kindLabel(kind)}</td><td>${k.count}</td><td>${FINDING_KINDS[kind as FindingKind] ? `${FINDING_KINDS[kind as FindingKind].fixWithinDays} 天` : ''}</td><td>${k.open}</td><td>${k.deadline ? cstDate(k.deadline) : '—'}</td></tr>`,
      )}</tbody></table>`
    : html`<p>本次检查未发现问题，无整改要求。</p>`
}
${
  i.skips.length
    ? html`${heading(h2, '附：未能检查的页面')}<table class="skips"><thead><tr><th scope="col">页面</th><th scope="col">原因</th></tr></thead><tbody>${i.skips
        .slice(0, i.limit)
        .map((s) => html`<tr><td>${pageLink(href(s.url), s.url)}</td><td>${s.reason}</td></tr>`)}</tbody></table>`
    : ''
}
</section>`;
}

/** The heading facts of a site as a row in a summary table. */
export const siteCell = (run: InspectionRun, site: SiteInfo) => html`<a href="/admin/inspect/runs/${run.id}/sites/${site.id}">${site.name}</a>`;

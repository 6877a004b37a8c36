/**
 * /admin/dashboard (领导决策辅助) as HTML: the scope form, an overview row, then one section per panel — a chart
 * (inline SVG, with its summary sentence as the caption), the same numbers as a table, and the panel's CSV link.
 * Plain HTML: no script; tables have captions and header scopes; headings go h1 → h2 → h3.
 */
import { html } from 'hono/html';
import { CONSULT_LIMITS, RECTIFICATION_STATES, cstDate } from '@ywtc/cms-schema';
import { adminPage, type Viewer } from '../../admin/admin-layout.ts';
import { dailyChart } from '../../admin/chart.ts';
import { barChart, scoreChart } from './charts.ts';
import { scheduleLabel, type DashboardData, type DayCount } from './data.ts';
import { PANELS, PERIODS, type Panel, type Period } from './query.ts';
import type { ScopeSite } from './scope.ts';

export const DASHBOARD_PATH = '/admin/dashboard';
const TITLE = '领导决策辅助';
/** page_view_days is pruned after this many days (personal/hot.ts), so a longer period shows only these. */
const VIEW_DAYS_KEPT = 92;

export interface FormState {
  readable: ScopeSite[];
  site: string | null;
  period: Period;
}

function scopeForm(f: FormState) {
  return html`<form method="get" action="${DASHBOARD_PATH}" class="filters" id="dashboard-scope">
<label>网站（含下级网站）<select name="site"><option value="">我可查看的全部网站（${f.readable.length} 个）</option>${f.readable.map(
    (s) => html`<option value="${s.id}"${s.id === f.site ? html` selected` : ''}>${'　'.repeat(Math.min(s.depth, 4))}${s.name}</option>`,
  )}</select></label>
<label>统计周期<select name="period">${PERIODS.map((p) => html`<option value="${p}"${p === f.period ? html` selected` : ''}>近 ${p} 天</option>`)}</select></label>
<button type="submit">查看</button></form>`;
}

/** The page with the form and the problem only: a 400 (the field named) or a scope the reader may not see. */
export function dashboardErrorPage(viewer: Viewer, f: FormState, message: string) {
  return adminPage({
    title: TITLE,
    viewer,
    current: 'dashboard',
    body: html`<h1>${TITLE}</h1><p class="err" role="alert" id="dashboard-error">${message}</p>${scopeForm(f)}`,
  });
}

const csvHref = (f: FormState, panel: Panel) => {
  const q = new URLSearchParams();
  if (f.site) q.set('site', f.site);
  q.set('period', String(f.period));
  q.set('format', 'csv');
  q.set('panel', panel);
  return `${DASHBOARD_PATH}?${q.toString()}`;
};
const csvLink = (f: FormState, panel: Panel) => html`<p><a href="${csvHref(f, panel)}" data-panel="${panel}">下载“${PANELS[panel]}”数据（CSV）</a></p>`;

/** The chart's numbers as a table: the days with any record (a year of zeros says nothing; the CSV has every day). */
function dailyTable(days: readonly DayCount[], caption: string, a: string, b: string) {
  const some = days.filter((d) => d.a > 0 || d.b > 0);
  return html`<details><summary>${caption}数据表（${some.length} 天有记录）</summary>${
    some.length
      ? html`<table><caption>${caption}（未列出的日期均为 0）</caption><thead><tr><th scope="col">日期</th><th scope="col">${a}</th><th scope="col">${b}</th></tr></thead>
<tbody>${some.map((d) => html`<tr><th scope="row">${d.day}</th><td>${d.a}</td><td>${d.b}</td></tr>`)}</tbody></table>`
      : html`<p>统计周期内每天均为 0。</p>`
  }</details>`;
}

const chartDays = (days: readonly DayCount[]) => days.map((d) => ({ day: d.day, searches: d.a, zeroResults: d.b }));

export function dashboardPage(viewer: Viewer, f: FormState, d: DashboardData) {
  const names = new Map(d.sites.map((s) => [s.id, s.name]));
  const site = (id: string) => names.get(id) ?? id;
  const scopeName = f.site ? `${site(f.site)}及其下级网站` : '我可查看的全部网站';
  const last = d.scores[d.scores.length - 1];
  const overdueTotal = d.overdue.reduce((a, r) => a + r.total, 0);
  const ownTotal = d.publishing.reduce((a, r) => a + r.own, 0);
  const openCalls = d.open.days.reduce((a, r) => a + r.a, 0);
  const consultRows = d.sites.filter((s) => (d.consult.sites.get(s.id)?.total ?? 0) > 0);

  const body = html`<h1>${TITLE}</h1>
${scopeForm(f)}
<p id="dashboard-scope-text">统计范围：${scopeName}（${d.sites.length} 个网站），${d.days[0]} 至 ${d.days[d.days.length - 1]}（近 ${d.period} 天，北京时间）。</p>
<table id="dashboard-overview"><caption>概览</caption><thead><tr><th scope="col">最近一次检查平均得分</th><th scope="col">最近一次季普查不合格网站</th><th scope="col">逾期整改事项</th><th scope="col">本单位发布信息</th><th scope="col">页面浏览量</th><th scope="col">超过 3 个月未答复的留言</th><th scope="col">数据开放调用</th></tr></thead>
<tbody><tr><td>${last ? (last.average === null ? '—' : `${last.average} 分`) : '暂无检查'}</td><td>${d.census ? `${d.census.failing.length} 个` : '暂无普查'}</td><td>${overdueTotal} 项</td><td>${ownTotal} 条</td><td>${d.views.total} 次</td><td>${d.consult.all.overdue} 条</td><td>${openCalls} 次</td></tr></tbody></table>

<section aria-labelledby="h-scores" id="panel-scores"><h2 id="h-scores">检查得分</h2>
<p>每次已完成的检查中，本范围内网站的平均得分（被单项否决的网站不计分、不计入平均）和合格、不合格网站数。</p>
<figure>${scoreChart(d.scores, d.since, d.now, d.period)}<figcaption>${d.scores.length ? `共 ${d.scores.length} 次检查，见下表。` : '统计周期内没有已完成的检查。'}</figcaption></figure>
<details><summary>检查得分数据表</summary>${
    d.scores.length
      ? html`<table><caption>各次检查的得分</caption><thead><tr><th scope="col">检查日期</th><th scope="col">检查类型</th><th scope="col">参评网站</th><th scope="col">平均得分</th><th scope="col">合格</th><th scope="col">不合格</th></tr></thead>
<tbody>${d.scores.map((r) => html`<tr><th scope="row">${cstDate(r.startedAt)}</th><td>${scheduleLabel(r.schedule)}</td><td>${r.sites}</td><td>${r.average ?? '—'}</td><td>${r.passed}</td><td>${r.failed}</td></tr>`)}</tbody></table>`
      : html`<p>暂无数据。</p>`
  }</details>
${csvLink(f, 'scores')}</section>

<section aria-labelledby="h-vetoes" id="panel-vetoes"><h2 id="h-vetoes">最近一次季普查不合格的网站</h2>
${
  d.census
    ? html`<p>${cstDate(d.census.startedAt)} 的季普查：本范围参评 ${d.census.sites} 个网站，不合格 ${d.census.failing.length} 个。单项否决的网站直接判为不合格；未被否决但得分低于 60 分的也不合格。</p>
${
  d.census.failing.length
    ? html`<table id="dashboard-vetoes"><caption>不合格网站及原因</caption><thead><tr><th scope="col">网站</th><th scope="col">单项否决</th><th scope="col">得分</th><th scope="col">原因</th></tr></thead>
<tbody>${d.census.failing.map(
        (r) =>
          html`<tr><th scope="row">${site(r.siteId)}</th><td>${r.vetoes} 项</td><td>${r.score === null ? '—（否决）' : `${r.score} 分`}</td><td>${
            r.reasons.length ? html`<ul>${r.reasons.map((x) => html`<li>${x}</li>`)}</ul>` : `得分低于 60 分`
          }</td></tr>`,
      )}</tbody></table>`
    : html`<p>本范围内的网站全部合格。</p>`
}`
    : html`<p>还没有完成的季普查。</p>`
}
${csvLink(f, 'vetoes')}</section>

<section aria-labelledby="h-overdue" id="panel-overdue"><h2 id="h-overdue">逾期整改</h2>
<p>已过整改期限、仍处于“${RECTIFICATION_STATES.open}”或“${RECTIFICATION_STATES.reopened}”的整改事项，按网站和升级层级统计（逾期事项逐级升级到上级单位）。共 ${overdueTotal} 项。</p>
${
  d.overdue.length
    ? html`<table id="dashboard-overdue"><caption>各网站逾期整改事项</caption><thead><tr><th scope="col">网站</th><th scope="col">未升级</th><th scope="col">已升级至上一级</th><th scope="col">已升级至上两级及以上</th><th scope="col">合计</th><th scope="col">最早截止日期</th></tr></thead>
<tbody>${d.overdue.map(
        (r) =>
          html`<tr><th scope="row">${site(r.siteId)}</th><td>${r.byLevel[0]}</td><td>${r.byLevel[1]}</td><td>${r.byLevel[2]}</td><td>${r.total}</td><td>${cstDate(r.oldestDeadline)}</td></tr>`,
      )}</tbody></table>`
    : html`<p>没有逾期的整改事项。</p>`
}
${csvLink(f, 'overdue')}</section>

<section aria-labelledby="h-publishing" id="panel-publishing"><h2 id="h-publishing">信息发布</h2>
<p>统计周期内发布、目前仍在网站上的信息。“本单位发布”是各单位自己发布的信息；“本站新增”是网站上新出现的信息，含转载和转发的上级文件。已撤稿的不计。</p>
<figure>${barChart(
    d.publishing.map((r) => ({ label: site(r.siteId), value: r.own })),
    '发布信息',
    '条',
    'publishing-chart',
  )}<figcaption>本范围共发布 ${ownTotal} 条信息。</figcaption></figure>
<details><summary>各网站信息发布数据表（${d.publishing.length} 个网站）</summary><table id="dashboard-publishing"><caption>各网站信息发布</caption><thead><tr><th scope="col">网站</th><th scope="col">本单位发布</th><th scope="col">本站新增（含转载）</th></tr></thead>
<tbody>${d.publishing.map((r) => html`<tr><th scope="row">${site(r.siteId)}</th><td>${r.own}</td><td>${r.shown}</td></tr>`)}</tbody></table></details>
${csvLink(f, 'publishing')}</section>

<section aria-labelledby="h-views" id="panel-views"><h2 id="h-views">页面浏览</h2>
<p>信息页面的浏览次数（不含搜索引擎爬虫，不记录任何个人信息）。${d.period > VIEW_DAYS_KEPT ? `浏览记录只保留 ${VIEW_DAYS_KEPT} 天，因此这里是近 ${VIEW_DAYS_KEPT} 天的数字。` : ''}</p>
<figure>${barChart(
    d.sites.map((s) => ({ label: s.name, value: d.views.bySite.get(s.id) ?? 0 })),
    '页面浏览',
    '次',
    'views-chart',
  )}<figcaption>本范围共浏览 ${d.views.total} 次。</figcaption></figure>
<details><summary>各网站浏览量数据表（${d.sites.length} 个网站）</summary><table id="dashboard-views"><caption>各网站浏览量</caption><thead><tr><th scope="col">网站</th><th scope="col">浏览量</th></tr></thead>
<tbody>${d.sites.map((s) => html`<tr><th scope="row">${s.name}</th><td>${d.views.bySite.get(s.id) ?? 0}</td></tr>`)}</tbody></table></details>
${csvLink(f, 'views')}
<h3 id="h-top-documents">浏览最多的信息</h3>
${
  d.views.top.length
    ? html`<table id="dashboard-top-documents"><caption>浏览最多的 ${d.views.top.length} 条信息</caption><thead><tr><th scope="col">标题</th><th scope="col">网站</th><th scope="col">浏览量</th></tr></thead>
<tbody>${d.views.top.map((r) => html`<tr><th scope="row">${r.title ?? r.documentId}</th><td>${site(r.siteId)}</td><td>${r.views}</td></tr>`)}</tbody></table>`
    : html`<p>暂无浏览记录。</p>`
}
${csvLink(f, 'top-documents')}</section>

<section aria-labelledby="h-searches" id="panel-searches"><h2 id="h-searches">搜索</h2>
<p>搜索记录不含网站和个人信息，以下为全平台的数字。无结果的搜索词说明内容或同义词有缺口。</p>
<figure>${dailyChart(chartDays(d.searches), 'searches-chart')}<figcaption class="legend"><span class="searches"></span>搜索次数<span class="zero"></span>无结果次数</figcaption></figure>
${dailyTable(d.searches, '每日搜索', '搜索次数', '无结果次数')}
${csvLink(f, 'searches')}
<h3 id="h-hot-queries">热门搜索词</h3>
${
  d.hotQueries.length
    ? html`<table id="dashboard-hot-queries"><caption>搜索最多的 ${d.hotQueries.length} 个词</caption><thead><tr><th scope="col">搜索词</th><th scope="col">搜索次数</th><th scope="col">无结果次数</th></tr></thead>
<tbody>${d.hotQueries.map((r) => html`<tr><th scope="row">${r.query}</th><td>${r.searches}</td><td>${r.zeroResults}</td></tr>`)}</tbody></table>`
    : html`<p>统计周期内没有搜索。</p>`
}
${csvLink(f, 'hot-queries')}
<h3 id="h-zero-queries">无结果搜索词</h3>
${
  d.zeroQueries.length
    ? html`<table id="dashboard-zero-queries"><caption>无结果次数最多的 ${d.zeroQueries.length} 个词</caption><thead><tr><th scope="col">搜索词</th><th scope="col">无结果次数</th><th scope="col">搜索次数</th></tr></thead>
<tbody>${d.zeroQueries.map((r) => html`<tr><th scope="row">${r.query}</th><td>${r.zeroResults}</td><td>${r.searches}</td></tr>`)}</tbody></table>`
    : html`<p>统计周期内没有无结果的搜索。</p>`
}
${csvLink(f, 'zero-queries')}</section>

<section aria-labelledby="h-questions" id="panel-questions"><h2 id="h-questions">未回答的政策问题</h2>
<p>市民在搜索框中提出、政策问答库没有答案的问题（全平台）：共 <span id="questions-total">${d.questions.total}</span> 个，其中统计周期内有人问过的 ${d.questions.askedInPeriod} 个。编写政策问答后不再列出。</p>
${
  d.questions.top.length
    ? html`<table id="dashboard-questions"><caption>被问得最多的问题</caption><thead><tr><th scope="col">问题</th><th scope="col">提问次数</th><th scope="col">最近提问</th></tr></thead>
<tbody>${d.questions.top.map((r) => html`<tr><th scope="row">${r.question}</th><td>${r.count}</td><td>${r.lastDay}</td></tr>`)}</tbody></table>`
    : html`<p>统计周期内没有未回答的问题。</p>`
}
${csvLink(f, 'questions')}</section>

<section aria-labelledby="h-consult" id="panel-consult"><h2 id="h-consult">网民留言</h2>
<p>各网站收到的留言和办理情况（累计）。留言超过 ${CONSULT_LIMITS.overdueDays} 天未答复的，全国政府网站检查视为单项否决。</p>
<table id="dashboard-consult"><caption>留言办理情况（列出收到过留言的网站）</caption><thead><tr><th scope="col">网站</th><th scope="col">收到留言</th><th scope="col">已答复</th><th scope="col">办理中</th><th scope="col">超过 3 个月未答复</th><th scope="col">平均办理时长</th></tr></thead>
<tbody>${consultRows.map((s) => {
    const c = d.consult.sites.get(s.id)!;
    return html`<tr><th scope="row">${s.name}</th><td>${c.total}</td><td>${c.answered}</td><td>${c.waiting}</td><td>${c.overdue}</td><td>${c.meanDays === null ? '—' : `${c.meanDays} 天`}</td></tr>`;
  })}</tbody>
<tfoot><tr><th scope="row">合计</th><td>${d.consult.all.total}</td><td>${d.consult.all.answered}</td><td>${d.consult.all.waiting}</td><td>${d.consult.all.overdue}</td><td>${d.consult.all.meanDays === null ? '—' : `${d.consult.all.meanDays} 天`}</td></tr></tfoot></table>
${csvLink(f, 'consult')}</section>

<section aria-labelledby="h-open" id="panel-open"><h2 id="h-open">数据开放</h2>
<p>本范围各单位提供数据的开放接口被调用的次数（被拒绝：超出调用量、未获授权等）。</p>
<figure>${dailyChart(chartDays(d.open.days), 'open-chart', { main: '调用', second: '被拒绝' })}<figcaption class="legend"><span class="searches"></span>成功调用<span class="zero"></span>被拒绝</figcaption></figure>
${dailyTable(d.open.days, '数据开放每日调用', '调用次数', '被拒绝次数')}
${csvLink(f, 'open-days')}
<h3 id="h-open-interfaces">调用最多的接口</h3>
${
  d.open.interfaces.length
    ? html`<table id="dashboard-open"><caption>各接口调用情况</caption><thead><tr><th scope="col">接口</th><th scope="col">数据提供网站</th><th scope="col">调用次数</th><th scope="col">被拒绝次数</th><th scope="col">调用单位数</th></tr></thead>
<tbody>${d.open.interfaces.map((r) => html`<tr><th scope="row">${r.code} ${r.name}</th><td>${site(r.ownerSiteId)}</td><td>${r.calls}</td><td>${r.refused}</td><td>${r.units}</td></tr>`)}</tbody></table>`
    : html`<p>统计周期内没有调用。</p>`
}
${csvLink(f, 'open')}</section>`;
  return adminPage({ title: TITLE, viewer, current: 'dashboard', body });
}

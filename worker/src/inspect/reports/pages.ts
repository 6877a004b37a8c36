/**
 * 检查报告 (issue 14): the runs (周巡检 / 月监测 / 季普查), a run's summary over the sites the viewer may see, one
 * site's report in the form an inspection report takes, and a region's (a site and every site below it) — each
 * as an HTML page that prints as the filed report (style.ts) and as CSV (`?format=csv`). A site admin sees their
 * sites and those below (`inspect.read`); the platform admin sees all.
 */
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { FINDING_KINDS, INDICATORS, RUN_STATES, SCHEDULES, SEVERITIES, VERDICTS, within, type FindingKind, type InspectionRun } from '@ywtc/cms-schema';
import type { AppEnv } from '../../env.ts';
import { authorize } from '../../access/authorize.ts';
import { staffOf } from '../../access/authenticate.ts';
import { parentMap } from '../../cms/documents.ts';
import { adminPage } from '../../admin/admin-layout.ts';
import { viewerOf } from '../../admin/viewer.ts';
import { readableSites, type SiteRow } from '../rectification/store.ts';
import { kindLabel } from '../rectification/evidence.ts';
import { RUNS_PAGE, findingsOf, listRuns, runById, siteInfos, siteResults, type SiteResult } from './data.ts';
import { csvHeaders, findingsCsv, sitesCsv } from './csv.ts';
import { DEDUCT_INDICATORS, tallyDeductions, totalDeducted, vetoCount } from './tally.ts';
import { conclusion, runFacts, runTime, runTitle, siteCell, siteReport } from './views.ts';
import { INSPECT_STYLE, inspectStyle } from './style.ts';
import { startForm } from '../start-routes.ts';

export const reportPages = new Hono<AppEnv>();
const read = authorize('inspection', 'read', 'page');

// A stylesheet like /admin/assets/admin.css: nothing in it is anyone's data.
reportPages.get('/inspect/inspect.css', (c) =>
  c.body(INSPECT_STYLE, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' }),
);

const blank = (v: unknown) => (v === '' ? undefined : v);
const ReportQuerySchema = z.object({
  format: z.preprocess(blank, z.enum(['html', 'csv'], '只能为 html 或 csv').default('html')),
  detail: z.preprocess(blank, z.literal('1', '只能为 1').optional()),
  page: z.preprocess(blank, z.coerce.number().int('页码须为整数').min(1, '页码须从 1 开始').max(10_000, '页码过大').default(1)),
});
const QUERY_FIELDS: Record<string, string> = { format: '格式', detail: '明细', page: '页码' };
const RunIdSchema = z.string().regex(/^[0-9a-z-]{1,80}$/);

type Page = { title: string; body: unknown; status?: 200 | 400 | 404 };
const page = (c: Context<AppEnv>, p: Page) =>
  c.html(adminPage({ title: p.title, viewer: viewerOf(c), current: 'inspect', body: html`${inspectStyle}${p.body}` }), p.status ?? 200);
const notFound = (c: Context<AppEnv>, what: string) =>
  page(c, { title: '检查报告', status: 404, body: html`<h1>检查报告</h1><p role="alert">${what}</p><p><a href="/admin/inspect/runs">返回检查报告</a></p>` });

/** The request's query, or the 400 page naming the field. */
function queryOf(c: Context<AppEnv>): z.infer<typeof ReportQuerySchema> | Response | Promise<Response> {
  const parsed = ReportQuerySchema.safeParse(c.req.query());
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  return page(c, {
    title: '检查报告',
    status: 400,
    body: html`<h1>检查报告</h1><p class="err" role="alert">${QUERY_FIELDS[String(issue.path[0])] ?? '查询参数'}：${issue.message}</p><p><a href="/admin/inspect/runs">返回检查报告</a></p>`,
  });
}

interface Scope {
  sites: SiteRow[];
  parentOf: (id: string) => string | null;
}
async function scopeOf(c: Context<AppEnv>): Promise<Scope> {
  const parentOf = await parentMap(c.env.DB);
  return { sites: await readableSites(c.env.DB, staffOf(c).grants, parentOf), parentOf };
}

/** The run named in the path, or null (an id of the wrong form is as unknown as a missing one). */
async function runOf(c: Context<AppEnv>): Promise<InspectionRun | null> {
  const id = RunIdSchema.safeParse(c.req.param('runId'));
  return id.success ? runById(c.env.DB, id.data) : null;
}

reportPages.get('/inspect/runs', read, async (c) => {
  const q = queryOf(c);
  if (q instanceof Response || q instanceof Promise) return q;
  const { sites } = await scopeOf(c);
  const { runs, total } = await listRuns(
    c.env.DB,
    sites.map((s) => s.id),
    q.page,
  );
  const pages = Math.max(1, Math.ceil(total / RUNS_PAGE));
  const body = html`<h1>检查报告</h1>
${startForm(viewerOf(c).csrf, staffOf(c).grants)}
<p>平台按《政府网站与政务新媒体检查指标》对各网站开展周巡检、月监测、季普查。下表为各次检查中您可查看的 ${sites.length} 个网站（本级及下级）的结果。<a href="/admin/inspect">查看整改事项</a></p>
<table class="plain"><caption>检查类型</caption><thead><tr><th scope="col">类型</th><th scope="col">检查内容</th></tr></thead><tbody>${Object.values(
    SCHEDULES,
  ).map((s) => html`<tr><th scope="row">${s.label}</th><td>${s.covers}</td></tr>`)}</tbody></table>
<h2>检查记录（共 ${total} 次）</h2>
${
  runs.length
    ? html`<table id="runs"><thead><tr><th scope="col">检查</th><th scope="col">检查时间</th><th scope="col">状态</th><th scope="col">已检查网站</th><th scope="col">合格</th><th scope="col">不合格</th><th scope="col">发现问题</th></tr></thead><tbody>${runs.map(
        (r) =>
          html`<tr data-run="${r.id}"><td><a href="/admin/inspect/runs/${r.id}">${runTitle(r)}</a></td><td>${runTime(r)}</td><td>${RUN_STATES[r.state]}</td><td>${r.mine.sites}</td><td>${r.mine.pass}</td><td>${r.mine.fail}</td><td>${r.mine.findings}</td></tr>`,
      )}</tbody></table>
${pages > 1 ? html`<nav class="pager" aria-label="分页">${q.page > 1 ? html`<a href="/admin/inspect/runs?page=${q.page - 1}">上一页</a>` : ''}<span>第 ${q.page} / ${pages} 页</span>${q.page < pages ? html`<a href="/admin/inspect/runs?page=${q.page + 1}">下一页</a>` : ''}</nav>` : ''}`
    : html`<p>还没有检查记录。</p>`
}`;
  return page(c, { title: '检查报告', body });
});

/** The summary tables of a set of sites in a run (the run's page and a region's). */
function summary(run: InspectionRun, results: readonly SiteResult[], regionsOf: (siteId: string) => boolean) {
  const inspected = results.filter((r) => r.inspected);
  const pass = inspected.filter((r) => r.score?.verdict === 'pass').length;
  const fail = inspected.filter((r) => r.score?.verdict === 'fail').length;
  const scored = inspected.filter((r) => r.score?.score !== null && r.score?.score !== undefined);
  const mean = scored.length ? Math.round((scored.reduce((n, r) => n + r.score!.score!, 0) / scored.length) * 10) / 10 : null;
  const kinds = new Map<string, { count: number; sites: number }>();
  for (const r of inspected)
    for (const k of r.kinds) {
      const t = kinds.get(k.kind) ?? { count: 0, sites: 0 };
      t.count += k.count;
      t.sites++;
      kinds.set(k.kind, t);
    }
  const indicators = DEDUCT_INDICATORS;
  return html`<h2>概况</h2>
<table id="run-overview"><thead><tr><th scope="col">网站数</th><th scope="col">已检查</th><th scope="col">合格</th><th scope="col">不合格</th><th scope="col">平均得分</th><th scope="col">发现问题</th><th scope="col">未能检查的页面</th></tr></thead>
<tbody><tr><td>${results.length}</td><td>${inspected.length}</td><td>${pass}</td><td>${fail}</td><td>${mean ?? '—'}</td><td>${inspected.reduce((n, r) => n + r.findings, 0)}</td><td>${inspected.reduce((n, r) => n + r.skipped, 0)}</td></tr></tbody></table>
${run.schedule === 'quarterly' ? '' : html`<p class="meta">${SCHEDULES[run.schedule].label}只检查部分内容；按国家指标计分以季普查为准。</p>`}
<h2>各网站检查结果</h2>
${
  inspected.length
    ? html`<table id="site-scores"><thead><tr><th scope="col">网站</th><th scope="col">结论</th><th scope="col">得分</th><th scope="col">单项否决</th><th scope="col">扣分合计</th><th scope="col">问题数</th><th scope="col">未办结整改</th></tr></thead><tbody>${inspected.map(
        (r) => {
          const v = conclusion(run, r);
          return html`<tr data-site="${r.site.id}"><th scope="row">${siteCell(run, r.site)}${regionsOf(r.site.id) ? html`<br><a href="/admin/inspect/runs/${run.id}/regions/${r.site.id}" class="meta">及下级网站</a>` : ''}</th><td><span class="verdict ${v.verdict ?? 'none'}">${r.score ? VERDICTS[r.score.verdict] : '不计分'}</span></td><td>${r.score?.score ?? '—'}</td><td>${vetoCount(r.kinds)}${r.score?.vetoReasons.length ? html`<br><span class="meta">${r.score.vetoReasons.join('；')}</span>` : ''}</td><td>${totalDeducted(tallyDeductions(r.kinds))}</td><td>${r.findings}</td><td>${r.openItems}</td></tr>`;
        },
      )}</tbody></table>
<table id="site-deductions"><caption>各网站扣分明细（按指标，每项不超过该指标分值）</caption><thead><tr><th scope="col">网站</th>${indicators.map((d) => html`<th scope="col">${d.short}（${d.cap}）</th>`)}<th scope="col">合计</th></tr></thead><tbody>${inspected.map(
        (r) => {
          const t = tallyDeductions(r.kinds);
          return html`<tr><th scope="row">${r.site.name}</th>${t.map((x) => html`<td>${x.deducted}</td>`)}<td>${totalDeducted(t)}</td></tr>`;
        },
      )}</tbody></table>`
    : html`<p>本次检查尚未完成任何网站。</p>`
}
<h2>问题分类统计</h2>
${
  kinds.size
    ? html`<table id="findings-by-kind"><thead><tr><th scope="col">问题</th><th scope="col">性质</th><th scope="col">指标</th><th scope="col">问题数</th><th scope="col">涉及网站</th></tr></thead><tbody>${[
        ...kinds,
      ]
        .sort((a, b) => b[1].count - a[1].count)
        .map(([kind, k]) => {
          const spec = FINDING_KINDS[kind as FindingKind];
          return html`<tr><th scope="row">${kindLabel(kind)}</th><td>${spec ? SEVERITIES[spec.severity] : ''}</td><td>${spec ? INDICATORS[spec.indicator].label : ''}</td><td>${k.count}</td><td>${k.sites}</td></tr>`;
        })}</tbody></table>`
    : html`<p>未发现问题。</p>`
}`;
}

const csvName = (run: InspectionRun, what: string) => `${SCHEDULES[run.schedule].label}-${run.id}-${what}`;

/** The run's results for these sites, and the CSV of the inspected ones (run and region reports alike). */
async function resultsOf(c: Context<AppEnv>, run: InspectionRun, sites: readonly SiteRow[], names: Map<string, string>) {
  const infos = await siteInfos(
    c.env.DB,
    sites.map((s) => s.id),
  );
  const results = await siteResults(c.env.DB, run.id, infos);
  const csv = (file: string, what: string) =>
    c.body(
      sitesCsv(
        run,
        results.filter((r) => r.inspected),
        names,
      ),
      200,
      csvHeaders(file, csvName(run, what)),
    );
  return { results, csv };
}

reportPages.get('/inspect/runs/:runId', read, async (c) => {
  const q = queryOf(c);
  if (q instanceof Response || q instanceof Promise) return q;
  const run = await runOf(c);
  if (!run) return notFound(c, '该次检查不存在。');
  const { sites, parentOf } = await scopeOf(c);
  const { results, csv } = await resultsOf(c, run, sites, new Map(sites.map((s) => [s.id, s.name])));
  if (q.format === 'csv') return csv(`inspection-${run.id}`, '汇总');
  const hasChildren = new Set(sites.map((s) => parentOf(s.id)).filter((p): p is string => !!p));
  const body = html`<h1>${runTitle(run)}检查报告</h1>
${runFacts(run)}
<p class="no-print"><a href="/admin/inspect/runs/${run.id}?format=csv" id="run-csv">导出 CSV</a>　用浏览器的“打印”可另存为 PDF。<a href="/admin/inspect/runs">返回检查记录</a></p>
${summary(run, results, (id) => hasChildren.has(id))}`;
  return page(c, { title: runTitle(run), body });
});

reportPages.get('/inspect/runs/:runId/sites/:siteId', read, async (c) => {
  const q = queryOf(c);
  if (q instanceof Response || q instanceof Promise) return q;
  const run = await runOf(c);
  if (!run) return notFound(c, '该次检查不存在。');
  const { sites } = await scopeOf(c);
  const siteId = c.req.param('siteId');
  if (!sites.some((s) => s.id === siteId)) return notFound(c, '网站不存在，或不在您可查看的范围内。');
  const [info] = await siteInfos(c.env.DB, [siteId]);
  if (!info) return notFound(c, '网站不存在。');
  const [[result], found] = await Promise.all([siteResults(c.env.DB, run.id, [info]), findingsOf(c.env.DB, run.id, [siteId])]);
  const { findings, skips } = found.get(siteId)!;
  if (q.format === 'csv') return c.body(findingsCsv(run, info, findings), 200, csvHeaders(`inspection-${run.id}-${siteId}`, csvName(run, info.name)));
  const body = html`<h1>${info.name}检查报告</h1>
<p class="meta">${runTitle(run)}</p>
<p class="no-print"><a href="/admin/inspect/runs/${run.id}/sites/${siteId}?format=csv" id="site-csv">导出 CSV（全部问题）</a>　用浏览器的“打印”可另存为 PDF。<a href="/admin/inspect/runs/${run.id}">返回本次检查</a></p>
${siteReport({ run, result: result!, findings, skips, originTemplate: c.env.SITE_ORIGIN_TEMPLATE, limit: 200, level: 2, withTitle: false })}`;
  return page(c, { title: `${info.name}检查报告`, body });
});

reportPages.get('/inspect/runs/:runId/regions/:siteId', read, async (c) => {
  const q = queryOf(c);
  if (q instanceof Response || q instanceof Promise) return q;
  const run = await runOf(c);
  if (!run) return notFound(c, '该次检查不存在。');
  const { sites, parentOf } = await scopeOf(c);
  const rootId = c.req.param('siteId');
  const root = sites.find((s) => s.id === rootId);
  if (!root) return notFound(c, '网站不存在，或不在您可查看的范围内。');
  const region = sites.filter((s) => within(s.id, rootId, parentOf));
  const names = new Map(sites.map((s) => [s.id, s.name]));
  const { results, csv } = await resultsOf(c, run, region, names);
  if (q.format === 'csv') return csv(`inspection-${run.id}-region-${rootId}`, `${root.name}及下级`);
  const hasChildren = new Set(region.map((s) => parentOf(s.id)).filter((p): p is string => !!p && p !== rootId));
  const inspected = results.filter((r) => r.inspected);
  const detail = q.detail
    ? await findingsOf(
        c.env.DB,
        run.id,
        inspected.map((r) => r.site.id),
      )
    : null;
  const base = `/admin/inspect/runs/${run.id}/regions/${rootId}`;
  const body = html`<h1>${root.name}及下级网站检查报告</h1>
<p class="meta">${runTitle(run)}，共 ${region.length} 个网站</p>
${runFacts(run)}
<p class="no-print"><a href="${base}?format=csv" id="region-csv">导出 CSV</a>　${
    detail ? html`<a href="${base}">只看汇总</a>` : html`<a href="${base}?detail=1" id="region-detail">附各网站检查报告（打印版）</a>`
  }　用浏览器的“打印”可另存为 PDF，每个网站的报告另起一页。<a href="/admin/inspect/runs/${run.id}">返回本次检查</a></p>
${summary(run, results, (id) => hasChildren.has(id))}
${
  detail
    ? html`<div class="region-detail">${inspected.map((r) => {
        const f = detail.get(r.site.id)!;
        return siteReport({
          run,
          result: r,
          findings: f.findings,
          skips: f.skips,
          originTemplate: c.env.SITE_ORIGIN_TEMPLATE,
          limit: 20,
          level: 2,
          withTitle: true,
        });
      })}</div>`
    : ''
}`;
  return page(c, { title: `${root.name}及下级网站检查报告`, body });
});

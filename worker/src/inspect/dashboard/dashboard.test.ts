/**
 * /admin/dashboard in workerd with rows written straight into D1 — inspection runs and scores, 整改 items,
 * published documents and placements, page views, the search log, unanswered questions, 留言 and open-data usage —
 * and the numbers read back from the page and from each panel's CSV: they equal what was inserted, within the
 * reader's sites only (a county's admin sees neither the city nor its other county; a platform admin sees all).
 * Bad queries are 400s naming the field, an anonymous reader is sent to the login form, an editor gets a 403.
 */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { SiteSchema, TABLES, insertSql, toRow } from '@ywtc/cms-schema';
import { testDocument } from '../../testing/documents.ts';
import { SITES, seedRegistry } from '../../testing/sites.ts';
import { addAccount, login, type Session } from '../../testing/accounts.ts';
import { dayOf } from '../../search/analytics.ts';
import { PANELS } from './query.ts';
import { dailyChart } from '../../admin/chart.ts';
import { barChart, barSummary, scoreChart, scoreSummary, type ScorePoint } from './charts.ts';

const ADMIN = 'http://127.0.0.1:8787';
const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const dayAgo = (days: number) => dayOf(Date.now() - days * DAY);

const site = (id: string, name: string, parentId: string, kind: 'city-portal' | 'county-portal', division: string, n: number) =>
  SiteSchema.parse({
    ...SITES[1],
    id,
    name,
    parentId,
    kind,
    divisionCode: division,
    domains: [`www.${id}.gov.cn`],
    idCode: `${division}0001`,
    psb: `桂公网安备 ${division}02000001号`,
    sortOrder: n,
  });
const EXTRA = [
  site('nnxn', '南宁市兴宁区人民政府门户网站', 'nanning', 'county-portal', '450102', 2),
  site('qingxiu', '南宁市青秀区人民政府门户网站', 'nanning', 'county-portal', '450103', 3),
  site('liuzhou', '柳州市人民政府门户网站', 'gxzf', 'city-portal', '450200', 4),
];
const NAME = { gxzf: SITES[0]!.name, nanning: SITES[1]!.name, nnxn: EXTRA[0]!.name, qingxiu: EXTRA[1]!.name, liuzhou: EXTRA[2]!.name };
const OTHERS = ['nanning', 'qingxiu', 'liuzhou', 'gxzf'] as const;

let platform: Session, city: Session, county: Session, editor: Session;

const get = (s: Session | null, query = '') => SELF.fetch(`${ADMIN}/admin/dashboard${query}`, { headers: s ? { Cookie: s.cookie } : {}, redirect: 'manual' });
async function csv(s: Session, panel: string, extra = ''): Promise<string[][]> {
  const res = await get(s, `?format=csv&panel=${panel}${extra}`);
  expect(res.status, panel).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  expect(res.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="dashboard-${panel}-`));
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)], 'UTF-8 BOM').toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(bytes.slice(3));
  expect(text.endsWith('\r\n')).toBe(true);
  // No cell of these fixtures holds a comma or a quote, so splitting is parsing.
  return text
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','));
}
/** The rows of one panel's CSV, without its header, keyed by their first cell. */
const byFirst = (rows: string[][]) => new Map(rows.slice(1).map((r) => [r[0]!, r.slice(1)]));

const doc = (id: string, owner: string, daysAgo: number) => testDocument(id, owner, ago(daysAgo));

beforeAll(async () => {
  await seedRegistry();
  const db = env.DB;
  const run = (id: string, schedule: string, state: string, daysAgo: number) =>
    db
      .prepare(
        "INSERT INTO inspection_runs (id, schedule, state, trigger, started_at, finished_at, sites, pages, findings, skipped) VALUES (?, ?, ?, 'cron', ?, ?, 5, 100, 3, 0)",
      )
      .bind(id, schedule, state, ago(daysAgo), state === 'finished' ? ago(daysAgo) : null);
  const score = (runId: string, siteId: string, verdict: 'pass' | 'fail', value: number | null, reasons: string[] = []) =>
    db
      .prepare(
        'INSERT INTO inspection_scores (run_id, site_id, verdict, score, vetoes, deductions, pages, findings, veto_reasons) VALUES (?, ?, ?, ?, ?, 0, 10, 1, ?)',
      )
      .bind(runId, siteId, verdict, value, reasons.length, JSON.stringify(reasons));
  let rect = 0;
  const rectification = (siteId: string, state: string, deadlineDaysAgo: number, escalation: number) =>
    db
      .prepare(
        `INSERT INTO rectifications (id, fingerprint, site_id, kind, severity, state, url, target, message, excerpt, first_run_id, last_run_id, deadline, escalation, escalated_to, note, created_at, updated_at)
         VALUES (?, ?, ?, 'column-empty', 'deduct', ?, '/', '', '空白栏目', '', 'q2', 'q2', ?, ?, ?, '', ?, ?)`,
      )
      .bind(`r-${++rect}`, String(rect).padStart(32, '0'), siteId, state, ago(deadlineDaysAgo), escalation, siteId, ago(30), ago(1));
  const documents = [
    doc('x-1', 'nnxn', 5),
    doc('x-2', 'nnxn', 40),
    doc('x-gone', 'nnxn', 2),
    doc('g-1', 'gxzf', 3),
    doc('q-1', 'qingxiu', 1),
    doc('l-1', 'liuzhou', 2),
  ];
  const placements: [string, string][] = [
    ['x-1', 'nnxn'],
    ['x-2', 'nnxn'],
    ['g-1', 'gxzf'],
    ['g-1', 'nnxn'], // 转载: shown on the county's site, published by the region
    ['q-1', 'qingxiu'],
    ['l-1', 'liuzhou'],
  ];
  const views: [string, string, string, number][] = [
    [dayAgo(0), 'nnxn', 'x-1', 5],
    [dayAgo(1), 'nnxn', 'x-1', 3],
    [dayAgo(0), 'qingxiu', 'q-1', 4],
    [dayAgo(0), 'nanning', 'n-1', 10],
    [dayAgo(100), 'nnxn', 'x-1', 50],
  ];
  await db.batch([
    ...EXTRA.map((s) => db.prepare(insertSql(TABLES.sites)).bind(...toRow(TABLES.sites, s))),
    ...[...SITES, ...EXTRA].map((s) =>
      db
        .prepare(
          "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES (?, ?, NULL, 'yw', '要闻动态', 'news', '', '[]', 0)",
        )
        .bind(`${s.id}/yw`, s.id),
    ),
    // Runs: two 季普查 (60 and 10 days ago), a 周巡检 3 days ago, one a year ago, and a 普查 still running (not counted).
    run('q1', 'quarterly', 'finished', 60),
    run('q2', 'quarterly', 'finished', 10),
    run('w1', 'weekly', 'finished', 3),
    run('old', 'quarterly', 'finished', 200),
    run('q3', 'quarterly', 'running', 1),
    score('old', 'nnxn', 'pass', 61),
    score('q1', 'gxzf', 'pass', 90),
    score('q1', 'nnxn', 'pass', 70),
    score('q2', 'gxzf', 'pass', 92),
    score('q2', 'nanning', 'pass', 80),
    score('q2', 'nnxn', 'fail', null, ['栏目不更新：空白栏目 5 个']),
    score('q2', 'qingxiu', 'fail', 55),
    score('q2', 'liuzhou', 'pass', 70),
    score('w1', 'nnxn', 'pass', 88),
    score('w1', 'qingxiu', 'pass', 90),
    score('q3', 'nnxn', 'fail', null, ['站点无法访问']),
    // 整改: overdue ones (open or reopened, deadline passed) and ones that are not (fixed, dismissed, not yet due).
    rectification('nnxn', 'open', 2, 0),
    rectification('nnxn', 'reopened', 9, 1),
    rectification('nnxn', 'open', 20, 1),
    rectification('nnxn', 'fixed', 5, 0),
    rectification('nnxn', 'open', -3, 0),
    rectification('qingxiu', 'open', 30, 2),
    rectification('nanning', 'dismissed', 4, 0),
    rectification('liuzhou', 'open', 1, 0),
    ...documents.map((d) => db.prepare(insertSql(TABLES.documents)).bind(...toRow(TABLES.documents, d))),
    ...placements.map(([d, s]) => db.prepare('INSERT INTO placements (document_id, site_id, column_id, pinned) VALUES (?, ?, ?, 0)').bind(d, s, `${s}/yw`)),
    ...views.map(([day, s, d, n]) => db.prepare('INSERT INTO page_view_days (day, site_id, document_id, views) VALUES (?, ?, ?, ?)').bind(day, s, d, n)),
    db.prepare('INSERT INTO search_query_days (day, query, searches, zero_results, clicks) VALUES (?, ?, 7, 0, 2)').bind(dayAgo(0), '公积金'),
    db.prepare('INSERT INTO search_query_days (day, query, searches, zero_results, clicks) VALUES (?, ?, 3, 3, 0)').bind(dayAgo(1), '不存在的词'),
    db.prepare('INSERT INTO search_query_days (day, query, searches, zero_results, clicks) VALUES (?, ?, 9, 0, 0)').bind(dayAgo(100), '旧词'),
    db.prepare('INSERT INTO qa_unanswered (question, count, first_day, last_day) VALUES (?, 4, ?, ?)').bind('退休金怎么领', dayAgo(3), dayAgo(2)),
    db.prepare('INSERT INTO qa_unanswered (question, count, first_day, last_day) VALUES (?, 9, ?, ?)').bind('去年的问题', dayAgo(300), dayAgo(200)),
    ...[
      ['ly-1', 'nnxn', 100],
      ['ly-2', 'nnxn', 3],
      ['ly-3', 'qingxiu', 120],
    ].map(([id, s, d]) =>
      db
        .prepare('INSERT INTO consult_messages (id, site_id, code_hash, title, question, received_at) VALUES (?, ?, ?, ?, ?, ?)')
        .bind(id, s, `hash-${id}`, '关于测试的咨询', '请问这是测试吗？', ago(Number(d))),
    ),
    db
      .prepare(
        "INSERT INTO open_units (id, name, uscc, contact_name, contact_phone, contact_email, purpose, status, created_at) VALUES ('u1', '某数据公司', '91450100MA5XXXXX0X', '张三', '13900000000', 'a@example.com', '测试', 'active', ?)",
      )
      .bind(ago(50)),
    ...[
      ['NNXN-DOC', 'nnxn', '兴宁区政府信息'],
      ['LZ-DOC', 'liuzhou', '柳州市政府信息'],
    ].map(([code, owner, name]) =>
      db
        .prepare(
          "INSERT INTO open_interfaces (code, dataset, scope_kind, scope_site_id, owner_site_id, owner_name, open_type, name, description, condition_reason, version, created_at) VALUES (?, 'documents', 'site', ?, ?, '测试单位', 'unconditional', ?, '', '', 'v1', ?)",
        )
        .bind(code, owner, owner, name, ago(50)),
    ),
    db.prepare("INSERT INTO open_usage (day, unit_id, code, calls, refused) VALUES (?, 'u1', 'NNXN-DOC', 12, 2)").bind(dayAgo(0)),
    db.prepare("INSERT INTO open_usage (day, unit_id, code, calls, refused) VALUES (?, 'u1', 'NNXN-DOC', 6, 0)").bind(dayAgo(50)),
    db.prepare("INSERT INTO open_usage (day, unit_id, code, calls, refused) VALUES (?, 'u1', 'LZ-DOC', 5, 1)").bind(dayAgo(1)),
  ]);
  await addAccount('d-pa', 'dash-platform', 'Dash-platform-2026', [{ role: 'platform-admin', siteId: null }]);
  await addAccount('d-city', 'dash-city', 'Dash-city-2026', [{ role: 'site-admin', siteId: 'nanning' }]);
  await addAccount('d-county', 'dash-county', 'Dash-county-2026', [{ role: 'site-admin', siteId: 'nnxn' }]);
  await addAccount('d-ed', 'dash-editor', 'Dash-editor-2026', [{ role: 'editor', siteId: 'nnxn' }]);
  [platform, city, county, editor] = await Promise.all([
    login('dash-platform', 'Dash-platform-2026'),
    login('dash-city', 'Dash-city-2026'),
    login('dash-county', 'Dash-county-2026'),
    login('dash-editor', 'Dash-editor-2026'),
  ]);
});

describe('/admin/dashboard access', () => {
  it('sends an anonymous reader to the login form and refuses an editor (no inspect.read)', async () => {
    const anon = await get(null, '?period=90');
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fdashboard');
    const ed = await get(editor);
    expect(ed.status).toBe(403);
    expect(await ed.text()).toContain('无权访问');
    // The editor's navigation does not offer it; a site admin's does.
    const work = await (await SELF.fetch(`${ADMIN}/admin`, { headers: { Cookie: editor.cookie } })).text();
    expect(work).not.toContain('href="/admin/dashboard"');
    const page = await (await get(county)).text();
    expect(page).toContain('<a href="/admin/dashboard" aria-current="page">决策辅助</a>');
  });

  it('answers a bad query with a 400 that names the field in Chinese', async () => {
    const cases: [string, string][] = [
      ['?period=7x', '统计周期'],
      ['?period=30&period=90', '统计周期：只能指定一次'],
      ['?format=csv', '导出面板：导出 CSV 时须指定要导出的面板'],
      ['?format=csv&panel=everything', '导出面板'],
      ['?format=pdf', '格式'],
      ['?site=No%20Such', '网站'],
      ['?site=no-such-site', '网站：没有编号为“no-such-site”的网站'],
    ];
    for (const [query, message] of cases) {
      const res = await get(platform, query);
      expect(res.status, query).toBe(400);
      const body = await res.text();
      expect(body, query).toContain(message);
      expect(body, query).toContain('id="dashboard-scope"'); // the form again, to correct the choice
    }
  });

  it("refuses a site outside the reader's own with a 403", async () => {
    for (const other of ['nanning', 'qingxiu', 'gxzf']) {
      const res = await get(county, `?site=${other}`);
      expect(res.status, other).toBe(403);
      expect(await res.text()).toContain('只能查看本单位及下级单位的网站');
    }
    expect((await get(county, '?site=nnxn&format=csv&panel=views')).status).toBe(200);
  });
});

describe('/admin/dashboard numbers', () => {
  it('shows a county admin their county only: never the city or its other county', async () => {
    const res = await get(county);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain(NAME.nnxn);
    for (const other of OTHERS) expect(page, other).not.toContain(NAME[other]);
    expect(page).toContain('统计范围：我可查看的全部网站（1 个网站）');
    for (const panel of Object.keys(PANELS)) {
      const rows = await csv(county, panel);
      const text = rows.flat().join(' ');
      for (const other of OTHERS) expect(text, `${panel} ${other}`).not.toContain(NAME[other]);
      expect(text, panel).not.toContain('LZ-DOC');
    }
  });

  it('scores per run: average of the scored sites, 合格/不合格, finished runs in the period only', async () => {
    const all = await csv(platform, 'scores');
    expect(all[0]).toEqual(['检查编号', '检查类型', '开始时间', '参评网站数', '平均得分', '合格', '不合格']);
    // 30 days: q2 and w1 (q1 is 60 days old, q3 still running).
    expect(all.slice(1).map((r) => [r[0], r[1], r[3], r[4], r[5], r[6]])).toEqual([
      ['q2', '季普查', '5', '74.3', '3', '2'],
      ['w1', '周巡检', '2', '89', '2', '0'],
    ]);
    const quarter = await csv(platform, 'scores', '&period=90');
    expect(quarter.slice(1).map((r) => r[0])).toEqual(['q1', 'q2', 'w1']);
    expect((await csv(platform, 'scores', '&period=365')).slice(1).map((r) => r[0])).toEqual(['old', 'q1', 'q2', 'w1']);
    const cityRows = await csv(city, 'scores');
    expect(cityRows.slice(1).map((r) => [r[0], r[3], r[4], r[5], r[6]])).toEqual([
      ['q2', '3', '67.5', '1', '2'],
      ['w1', '2', '89', '2', '0'],
    ]);
    // The county's only site was vetoed in q2: no average.
    expect((await csv(county, 'scores')).slice(1).map((r) => [r[0], r[4], r[5], r[6]])).toEqual([
      ['q2', '', '0', '1'],
      ['w1', '88', '1', '0'],
    ]);
    const page = await (await get(platform)).text();
    expect(page).toMatch(/<svg role="img" aria-labelledby="score-chart-title score-chart-desc"/);
    expect(page).toContain('季普查：平均 74.3 分，合格 3 个，不合格 2 个');
    expect(page).toContain('最近一次（');
  });

  it('sites failing the latest 季普查, with the veto reasons', async () => {
    const rows = await csv(city, 'vetoes');
    expect(rows.slice(1)).toEqual([
      ['q2', NAME.nnxn, 'nnxn', '1', '', '栏目不更新：空白栏目 5 个'],
      ['q2', NAME.qingxiu, 'qingxiu', '0', '55', ''],
    ]);
    const page = await (await get(city)).text();
    expect(page).toContain('本范围参评 3 个网站，不合格 2 个');
    expect(page).toContain('<li>栏目不更新：空白栏目 5 个</li>');
    expect((await csv(platform, 'vetoes')).length - 1).toBe(2);
  });

  it('overdue 整改 by site and escalation level (open or reopened, past the deadline)', async () => {
    const rows = byFirst(await csv(platform, 'overdue'));
    expect(rows.get(NAME.nnxn)!.slice(0, 5)).toEqual(['nnxn', '1', '2', '0', '3']);
    expect(rows.get(NAME.qingxiu)!.slice(0, 5)).toEqual(['qingxiu', '0', '0', '1', '1']);
    expect(rows.get(NAME.liuzhou)!.slice(0, 5)).toEqual(['liuzhou', '1', '0', '0', '1']);
    expect(rows.has(NAME.nanning)).toBe(false); // dismissed is not overdue
    expect([...byFirst(await csv(county, 'overdue')).keys()]).toEqual([NAME.nnxn]);
    const page = await (await get(city)).text();
    expect(page).toMatch(/逾期整改事项<\/th>[\s\S]*?<td>4 项<\/td>/);
  });

  it('publishing per unit: own live documents and what each site shows, by published_at in the period', async () => {
    const month = byFirst(await csv(platform, 'publishing'));
    expect(month.get(NAME.nnxn)).toEqual(['nnxn', '1', '2']); // x-1; x-1 and the region's g-1 (转载); x-gone withdrawn
    expect(month.get(NAME.gxzf)).toEqual(['gxzf', '1', '1']);
    expect(month.get(NAME.qingxiu)).toEqual(['qingxiu', '1', '1']);
    expect(month.get(NAME.nanning)).toEqual(['nanning', '0', '0']);
    const quarter = byFirst(await csv(county, 'publishing', '&period=90'));
    expect(quarter.get(NAME.nnxn)).toEqual(['nnxn', '2', '3']);
    const page = await (await get(platform)).text();
    expect(page).toContain(`<title>${NAME.nnxn}：1 条</title>`);
    expect(page).toContain('本范围共发布 4 条信息。');
  });

  it('page views per site and the most viewed documents', async () => {
    const rows = byFirst(await csv(city, 'views'));
    expect(rows.get(NAME.nanning)).toEqual(['nanning', '10']);
    expect(rows.get(NAME.nnxn)).toEqual(['nnxn', '8']);
    expect(rows.get(NAME.qingxiu)).toEqual(['qingxiu', '4']);
    expect(byFirst(await csv(county, 'views', '&period=365')).get(NAME.nnxn)).toEqual(['nnxn', '58']);
    const top = await csv(city, 'top-documents');
    expect(top.slice(1)).toEqual([
      [NAME.nanning, 'n-1', '', '10'],
      [NAME.nnxn, 'x-1', '测试信息 x-1', '8'],
      [NAME.qingxiu, 'q-1', '测试信息 q-1', '4'],
    ]);
    expect(await (await get(city)).text()).toContain('本范围共浏览 22 次。');
  });

  it('searches, hot and zero-result queries, unanswered questions (the cluster-wide logs)', async () => {
    const days = await csv(county, 'searches');
    expect(days.length - 1).toBe(30);
    expect(days.at(-1)).toEqual([dayAgo(0), '7', '0']);
    expect(days.at(-2)).toEqual([dayAgo(1), '3', '3']);
    expect((await csv(county, 'searches', '&period=365')).length - 1).toBe(365);
    expect((await csv(county, 'hot-queries')).slice(1)).toEqual([
      ['公积金', '7', '0'],
      ['不存在的词', '3', '3'],
    ]);
    expect((await csv(county, 'zero-queries')).slice(1)).toEqual([['不存在的词', '3', '3']]);
    expect((await csv(county, 'hot-queries', '&period=365')).slice(1).map((r) => r[0])).toEqual(['旧词', '公积金', '不存在的词']);
    expect((await csv(county, 'questions')).slice(1)).toEqual([['退休金怎么领', '4', dayAgo(2)]]);
    const page = await (await get(county)).text();
    expect(page).toContain('共 <span id="questions-total">2</span> 个，其中统计周期内有人问过的 1 个');
    expect(page).toMatch(/aria-labelledby="searches-chart-title searches-chart-desc"/);
  });

  it('留言 per site from the consult store: received and overdue', async () => {
    const rows = byFirst(await csv(city, 'consult'));
    expect(rows.get(NAME.nnxn)!.slice(0, 5)).toEqual(['nnxn', '2', '0', '2', '1']);
    expect(rows.get(NAME.qingxiu)!.slice(0, 5)).toEqual(['qingxiu', '1', '0', '1', '1']);
    expect(rows.get(NAME.nanning)!.slice(0, 5)).toEqual(['nanning', '0', '0', '0', '0']);
    const page = await (await get(county)).text();
    expect(page).toMatch(/<tfoot><tr><th scope="row">合计<\/th><td>2<\/td><td>0<\/td><td>2<\/td><td>1<\/td>/);
  });

  it("open-data calls of the interfaces the scope's units provide", async () => {
    expect((await csv(county, 'open')).slice(1)).toEqual([['NNXN-DOC', '兴宁区政府信息', NAME.nnxn, '12', '2', '1']]);
    expect((await csv(county, 'open', '&period=90')).slice(1)).toEqual([['NNXN-DOC', '兴宁区政府信息', NAME.nnxn, '18', '2', '1']]);
    const all = (await csv(platform, 'open')).slice(1).map((r) => [r[0], r[3]]);
    expect(all).toEqual([
      ['NNXN-DOC', '12'],
      ['LZ-DOC', '5'],
    ]);
    const days = await csv(platform, 'open-days');
    expect(days.at(-1)).toEqual([dayAgo(0), '12', '2']);
    expect(days.at(-2)).toEqual([dayAgo(1), '5', '1']);
  });

  it('narrows to a chosen site and those below it', async () => {
    const rows = byFirst(await csv(platform, 'views', '&site=nanning'));
    expect([...rows.keys()]).toEqual([NAME.nanning, NAME.nnxn, NAME.qingxiu]);
    const page = await (await get(platform, '?site=nanning&period=90')).text();
    expect(page).toContain(`统计范围：${NAME.nanning}及其下级网站（3 个网站）`);
    expect(page).toContain('<option value="nanning" selected>');
    expect(page).toContain('<option value="90" selected>近 90 天</option>');
    expect(page).not.toContain(`<th scope="row">${NAME.liuzhou}</th>`);
  });

  it('keeps a year on one page of bounded size: daily tables list only the days with a record', async () => {
    const page = await (await get(platform, '?period=365')).text();
    expect(page.length).toBeLessThan(300_000);
    expect(page).toContain('每日搜索数据表（3 天有记录）');
    expect(page).toContain(`<tr><th scope="row">${dayAgo(100)}</th><td>9</td><td>0</td></tr>`);
  });

  it('links each panel to its CSV with the chosen scope, and every chart has a title, a summary and a table', async () => {
    const page = await (await get(platform, '?site=nanning&period=90')).text();
    for (const panel of Object.keys(PANELS))
      expect(page, panel).toContain(`href="/admin/dashboard?site=nanning&amp;period=90&amp;format=csv&amp;panel=${panel}"`);
    const charts = [
      ...page.matchAll(
        /<svg role="img" aria-labelledby="([\w-]+)-title \1-desc"[^>]*>\s*<title id="\1-title">[^<]+<\/title>\s*<desc id="\1-desc">[^<]+<\/desc>/g,
      ),
    ];
    expect(charts.map((m) => m[1])).toEqual(['score-chart', 'publishing-chart', 'views-chart', 'searches-chart', 'open-chart']);
    expect(page.match(/<svg/g)!.length).toBe(5);
    // Headings in order, table headers scoped, form controls labelled.
    const levels = [...page.matchAll(/<h([1-6])/g)].map((m) => Number(m[1]));
    levels.forEach((l, i) => expect(l - (levels[i - 1] ?? 0), `heading ${i}`).toBeLessThanOrEqual(1));
    expect(page).not.toMatch(/<th(?=[\s>])(?![^>]*scope=)/);
    expect(page).toMatch(/<label>网站（含下级网站）<select name="site">/);
    expect(page).toMatch(/<label>统计周期<select name="period">/);
  });
});

// The charts themselves (pure: drawn from numbers, no store).
const render = (h: unknown) => String(h);

describe('scoreChart', () => {
  const points: ScorePoint[] = [
    { schedule: 'quarterly', startedAt: '2026-03-01T02:00:00Z', average: 71.5, passed: 8, failed: 2 },
    { schedule: 'weekly', startedAt: '2026-03-10T02:00:00Z', average: null, passed: 0, failed: 1 },
    { schedule: 'quarterly', startedAt: '2026-03-20T02:00:00Z', average: 80, passed: 9, failed: 1 },
  ];

  it('says how many runs, the range of averages and the latest verdicts', () => {
    expect(scoreSummary(points, 30)).toBe(
      '近 30 天共 3 次检查；各次平均得分在 71.5 至 80 分之间。最近一次（2026-03-20 季普查）平均得分 80 分，合格 9 个、不合格 1 个网站。',
    );
    expect(scoreSummary([], 90)).toBe('近 90 天没有已完成的检查。');
  });

  it('draws one line per schedule with scores, a marker per run, and the 60-point line', () => {
    const svg = render(scoreChart(points, '2026-02-28T16:00:00Z', '2026-03-30T16:00:00Z', 30));
    expect(svg).toContain('role="img"');
    expect(svg.match(/<path d="M[^"]*" fill="none"/g)).toHaveLength(1); // the weekly run had no average: no line
    expect(svg.match(/<circle /g)).toHaveLength(3); // two runs and the legend
    expect(svg).toContain('合格线 60 分');
    expect(svg).toContain('<title>2026-03-01 季普查：平均 71.5 分，合格 8 个，不合格 2 个</title>');
    // y for 80 points: TOP 16 + 200 × (1 − 0.8) = 56
    expect(svg).toMatch(/L\d+\.\d 56\.0"/);
  });
});

describe('barChart', () => {
  const items = [
    { label: '甲县人民政府门户网站', value: 3 },
    { label: '乙县人民政府门户网站', value: 0 },
    { label: '丙市人民政府门户网站和一个很长很长的名字', value: 7 },
  ];
  it('lists units with a count, largest first, and shortens long names (the title keeps them)', () => {
    const svg = render(barChart(items, '发布信息', '条', 'b'));
    const titles = [...svg.matchAll(/<g><title>([^<]+)<\/title>/g)].map((m) => m[1]);
    expect(titles).toEqual(['丙市人民政府门户网站和一个很长很长的名字：7 条', '甲县人民政府门户网站：3 条']);
    expect(svg).toContain('>丙市人民政府门户网站和一个很长很…</text>');
    expect(barSummary(items, '发布信息', '条')).toBe('3 个网站共发布信息 10 条，2 个网站有记录；最多的是丙市人民政府门户网站和一个很长很长的名字（7 条）。');
    expect(render(barChart([{ label: '甲', value: 0 }], '发布信息', '条', 'e'))).toContain('暂无记录');
  });
});

describe('dailyChart dates', () => {
  const days = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ day: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10), searches: i, zeroResults: 0 }));
  const labels = (n: number) => [...render(dailyChart(days(n), 'd')).matchAll(/font-size="13" fill="#333">(\d\d-\d\d)<\/text>/g)].map((m) => m[1]);
  it('keeps a month as before and never crowds a quarter or a year', () => {
    expect(labels(30)).toEqual(['01-01', '01-06', '01-11', '01-16', '01-21', '01-26', '01-30']);
    expect(labels(90).length).toBeLessThanOrEqual(9);
    expect(labels(365).length).toBeLessThanOrEqual(9);
    expect(labels(365).at(-1)).toBe('12-31');
  });
});

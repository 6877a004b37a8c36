/**
 * Inspection runs in workerd against a published site in R2 and the content store in D1: what a 普查 stores, a
 * run cut short and resumed, 整改 items verified or reopened by the next run, bad publications that do not stop
 * a run, and the Cron path (schedules started by period, budgeted work, escalation) and POST /_ingest/inspect.
 */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TABLES, insertSql, publicationKeys as keys, toRow, type Column, type Pointer } from '@ywtc/cms-schema';
import { publish, seedRegistry } from '../testing/sites.ts';
import { testDocument } from '../testing/documents.ts';
import { startRun, workRun } from './run.ts';
import { inspectionWork, periodStart } from './scheduled.ts';
import { scheduledWork } from '../platform/scheduled.ts';
import type { Env } from '../env.ts';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const FOOTER = (id: string) => `<footer><a data-footer="conac" href="https://bszs.conac.cn/sitename?method=show&amp;id=${id}">党政机关</a>
<span data-footer="sponsor">主办单位：南宁市人民政府办公室</span><span data-footer="contact">联系方式：0771-12345</span><span>网站标识码：${id}</span>
<span data-footer="icp">桂ICP备12000001号</span><span data-footer="psb">桂公网安备 45010002000001号</span>
<a data-footer="zhaocuo" href="https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode=${id}">我为政府网站找错</a></footer>`;
const META = (id: string, extra = '') =>
  `<meta name="SiteName" content="南宁市人民政府门户网站"><meta name="SiteDomain" content="www.nanning.gov.cn"><meta name="SiteIDCode" content="${id}">${extra}`;
const pageOf = (main: string, extra = '', id = '4501000001') =>
  `<!doctype html><html><head><title>t</title>${META(id, extra)}</head><body><main>${main}</main>${FOOTER(id)}</body></html>`;
const item = (href: string, iso: string) => `<li><a href="${href}">示例条目</a> <time datetime="${iso}">${iso.slice(0, 10)}</time></li>`;
const COL = '<meta name="ColumnName" content="栏目"><meta name="ColumnType" content="栏目">';
const ART = `${COL}<meta name="ArticleTitle" content="示例"><meta name="PubDate" content="2026-12-01 10:00"><meta name="ContentSource" content="本网">`;

const COLUMNS: [string, Column['kind'], string][] = [
  ['yw', 'news', '要闻动态'],
  ['tzgg', 'notice', '通知公告'],
  ['zwfw', 'service', '办事服务'],
];
const DOCS = [
  { id: 'nn-yw-1', col: 'yw', days: 2 },
  { id: 'nn-tz-1', col: 'tzgg', days: 300 },
  { id: 'nn-bs-1', col: 'zwfw', days: 40 },
];

function nanningFiles(tzggDays: number) {
  return {
    '/index.html': pageOf(`<ul>${item('yw/nn-yw-1.html', ago(2))}</ul><a href="zwfw/">办事服务</a>`),
    '/yw/index.html': pageOf(`<ul>${item('nn-yw-1.html', ago(2))}</ul>`, COL),
    '/tzgg/index.html': pageOf(`<ul>${item('nn-tz-1.html', ago(tzggDays))}</ul>`, COL),
    '/zwfw/index.html': pageOf(`<ul>${item('nn-bs-1.html', ago(40))}</ul>`, COL),
    '/yw/nn-yw-1.html': pageOf('<div class="doc-body"><p>正文。<a href="missing.html">坏链接</a></p></div>', ART),
    '/tzgg/nn-tz-1.html': pageOf('<div class="doc-body"><p>通知。</p></div>', ART),
    '/zwfw/nn-bs-1.html': pageOf('<div class="doc-body"><p>指南。</p></div>', ART),
  };
}

async function seed() {
  await seedRegistry();
  const db = env.DB;
  await db.batch([
    ...COLUMNS.map(([slug, kind, name], i) =>
      db.prepare(insertSql(TABLES.columns)).bind(
        ...toRow(TABLES.columns, {
          id: `nanning/${slug}`,
          siteId: 'nanning',
          parentId: null,
          slug,
          name,
          kind,
          description: '测试栏目',
          keywords: [],
          sortOrder: i,
        }),
      ),
    ),
    ...DOCS.map((d) =>
      db
        .prepare(insertSql(TABLES.documents))
        .bind(...toRow(TABLES.documents, testDocument(d.id, 'nanning', ago(d.days), { title: `示例：${d.id}`, source: '本网', isDemo: true }))),
    ),
    ...DOCS.map((d) =>
      db.prepare('INSERT INTO placements (document_id, site_id, column_id, pinned) VALUES (?, ?, ?, 0)').bind(d.id, 'nanning', `nanning/${d.col}`),
    ),
  ]);
}

// One workerd (one D1 and R2) per test file: the store is seeded once, and each test starts from no runs and
// freshly published sites.
beforeAll(seed);
beforeEach(async () => {
  await env.DB.batch(
    ['inspection_findings', 'inspection_scores', 'inspection_skips', 'inspection_tasks', 'inspection_runs', 'inspection_seen', 'rectifications'].map((t) =>
      env.DB.prepare(`DELETE FROM ${t}`),
    ),
  );
  const v = Date.now().toString(36);
  await publish('nanning', nanningFiles(300), `n${v}`);
  await publish('gxzf', { '/index.html': pageOf(`<ul>${item('x.html', ago(1))}</ul>`, '', '4500000001') }, `g${v}`);
});

const findings = async (runId: string) =>
  (
    await env.DB.prepare('SELECT site_id, kind, url, target FROM inspection_findings WHERE run_id = ? ORDER BY site_id, kind')
      .bind(runId)
      .all<{ site_id: string; kind: string; url: string; target: string }>()
  ).results;
const items = async () =>
  (await env.DB.prepare('SELECT kind, state, site_id, escalated_to, escalation FROM rectifications ORDER BY kind').all<Record<string, unknown>>()).results;

describe('an inspection run', () => {
  it('stores each site’s findings, its score and the 整改 items they open', async () => {
    const { run } = await startRun(env.DB, { schedule: 'quarterly', trigger: 'cli', siteIds: ['nanning'] });
    const done = await workRun(env, run.id);
    expect(done.run).toMatchObject({ state: 'finished', sites: 1, pages: 7 });
    expect((await findings(run.id)).map((f) => [f.kind, f.target])).toEqual([
      ['broken-link', '/yw/missing.html'],
      ['column-stale', 'nanning/tzgg'],
    ]);
    expect(done.run.findings).toBe(2);
    const score = await env.DB.prepare('SELECT verdict, score, deductions FROM inspection_scores WHERE run_id = ?').bind(run.id).first();
    expect(score).toEqual({ verdict: 'pass', score: 98.5, deductions: 1.5 });
    expect(await items()).toEqual([
      { kind: 'broken-link', state: 'open', site_id: 'nanning', escalated_to: 'nanning', escalation: 0 },
      { kind: 'column-stale', state: 'open', site_id: 'nanning', escalated_to: 'nanning', escalation: 0 },
    ]);
  });

  it('resumes a run cut short where it stopped, counting every site once', async () => {
    const { run } = await startRun(env.DB, { schedule: 'quarterly', trigger: 'cli', siteIds: ['gxzf', 'nanning'] });
    const first = await workRun(env, run.id, { deadline: Date.now() + 60_000, onSite: () => {} });
    expect(first.run.state).toBe('finished');
    const { run: again } = await startRun(env.DB, { schedule: 'monthly', trigger: 'cli', siteIds: ['gxzf', 'nanning'] });
    const cut = await workRun(env, again.id, { deadline: Date.now() - 1 });
    expect(cut).toMatchObject({ sites: 0, run: { state: 'running' } });
    // A second start of the same schedule finds the run in progress instead of starting another.
    expect((await startRun(env.DB, { schedule: 'monthly', trigger: 'cli' })).started).toBe(false);
    const resumed = await workRun(env, again.id);
    expect(resumed).toMatchObject({ sites: 2, run: { state: 'finished', sites: 2 } });
    const scores = await env.DB.prepare('SELECT count(*) AS n FROM inspection_scores WHERE run_id = ?').bind(again.id).first<{ n: number }>();
    expect(scores!.n).toBe(2);
    expect(resumed.run.findings).toBe((await findings(again.id)).length);
  });

  it('verifies a fixed item the next run no longer finds, and reopens one it still finds', async () => {
    const { run } = await startRun(env.DB, { schedule: 'quarterly', trigger: 'cli', siteIds: ['nanning'] });
    await workRun(env, run.id);
    await env.DB.prepare("UPDATE rectifications SET state = 'fixed'").run();
    await publish('nanning', nanningFiles(3), `v2${Date.now().toString(36)}`); // the notice column updated; the broken link left as it was
    const { run: next } = await startRun(env.DB, { schedule: 'quarterly', trigger: 'cli', siteIds: ['nanning'], now: new Date(Date.now() + 1000) });
    await workRun(env, next.id);
    expect((await items()).map((i) => [i.kind, i.state])).toEqual([
      ['broken-link', 'reopened'],
      ['column-stale', 'verified'],
    ]);
  });

  it('turns a home page whose bytes are missing into a finding and an enormous page into a skip, and finishes', async () => {
    const manifest = await publish(
      'gxzf',
      { '/index.html': pageOf('<p>首页</p>', '', '4500000001'), '/big.html': `<main>${'很长的页面。'.repeat(400_000)}</main>` },
      'g2',
      false,
    );
    const pages = { ...manifest.pages, '/index.html': ['gone', 0, 5000, 'f'.repeat(32), 'text/html; charset=utf-8', 'gzip'] };
    await env.PAGES.put(keys.manifest('gxzf', 'g2'), JSON.stringify({ ...manifest, pages }));
    const ptr: Pointer = { version: 'g2', publishedAt: new Date().toISOString(), rendererHash: 't', contentRevision: 'g2', pageCount: 2 };
    await env.PAGES.put(keys.pointer('gxzf'), JSON.stringify(ptr));
    const { run } = await startRun(env.DB, { schedule: 'quarterly', trigger: 'cli', siteIds: ['gxzf'] });
    const done = await workRun(env, run.id);
    expect(done.run).toMatchObject({ state: 'finished', skipped: 1 });
    // (This fixture's region portal has no 办事服务 column at all: a finding of its own.)
    expect((await findings(run.id)).map((f) => [f.kind, f.target])).toEqual([
      ['service-missing', 'service'],
      ['site-unreachable', 'home'],
    ]);
    const skip = await env.DB.prepare('SELECT url, reason FROM inspection_skips WHERE run_id = ?').bind(run.id).first<{ url: string; reason: string }>();
    expect(skip!.url).toBe('/big.html');
    expect(skip!.reason).toContain('页面过大');
    const score = await env.DB.prepare('SELECT verdict, score FROM inspection_scores WHERE run_id = ?').bind(run.id).first();
    expect(score).toEqual({ verdict: 'fail', score: null });
  });
});

describe('the Cron path', () => {
  const cronEnv = (vars: Partial<Env>) => ({ ...env, ...vars }) as Env;

  it('starts a schedule whose period began, works it off within the budget, and starts none twice in a period', async () => {
    const report = await scheduledWork(cronEnv({ INSPECT_SCHEDULES: 'quarterly' }), new Date(), () => {});
    expect(report.inspection!.started).toHaveLength(1);
    expect(report.inspection!.worked).toEqual([{ runId: expect.any(String), sites: 2, finished: true }]);
    const again = await inspectionWork(cronEnv({ INSPECT_SCHEDULES: 'quarterly' }), new Date());
    expect(again.started).toEqual([]);
    expect((await inspectionWork(cronEnv({}), new Date())).started).toEqual([]);
    const runs = await env.DB.prepare('SELECT schedule, trigger, state FROM inspection_runs').all();
    expect(runs.results).toEqual([{ schedule: 'quarterly', trigger: 'cron', state: 'finished' }]);
  });

  it('escalates an overdue 整改 item to the unit above', async () => {
    const { run } = await startRun(env.DB, { schedule: 'quarterly', trigger: 'cli', siteIds: ['nanning'] });
    await workRun(env, run.id);
    await env.DB.prepare("UPDATE rectifications SET deadline = ? WHERE kind = 'column-stale'").bind(ago(1)).run();
    const tick = await inspectionWork(cronEnv({}), new Date());
    expect(tick.escalated).toBe(1);
    expect((await items()).find((i) => i.kind === 'column-stale')).toMatchObject({ escalated_to: 'gxzf', escalation: 1 });
  });

  it('knows when each period began, in China time', () => {
    // Saturday 2026-12-05 03:00 CST.
    const now = new Date('2026-12-04T19:00:00Z');
    expect(periodStart('weekly', now).toISOString()).toBe('2026-11-29T16:00:00.000Z');
    expect(periodStart('monthly', now).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(periodStart('quarterly', now).toISOString()).toBe('2026-09-30T16:00:00.000Z');
  });
});

describe('POST /_ingest/inspect', () => {
  const post = (body: unknown) =>
    SELF.fetch('http://127.0.0.1:8787/_ingest/inspect', {
      method: 'POST',
      headers: { Authorization: `Bearer ${'t'.repeat(48)}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  it('runs an inspection for a machine and refuses a bad schedule naming the field', async () => {
    const res = await post({ schedule: 'weekly', sites: ['nanning'] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ started: true, state: 'finished', sites: 1 });
    const bad = await post({ schedule: 'daily' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/^schedule：/);
    expect((await SELF.fetch('http://127.0.0.1:8787/_ingest/inspect', { method: 'POST', body: '{}' })).status).toBe(401);
  });
});

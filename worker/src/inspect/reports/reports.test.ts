/**
 * 检查报告 over HTTP in workerd, from runs stored as the engine leaves them: the run list and a run's summary
 * within the viewer's sites, one site's report in the filed form (标识码, 主办单位, 结论, 单项否决, 扣分 per
 * indicator with evidence, 整改要求 with deadlines), a region's report with each site on its own printed page,
 * CSV exports Excel opens (BOM, CRLF, formulas defused), and refusals.
 */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { cstDate, type Finding, type SiteScore } from '@ywtc/cms-schema';
import { addAccount, login, type Session } from '../../testing/accounts.ts';
import { rectificationStatements } from '../rectification/sync.ts';
import { finding, run, seedHierarchy, storeRun } from '../rectification/test-fixtures.ts';

const ADMIN = 'http://127.0.0.1:8787';
let county: Session, city: Session, editor: Session;
const get = (s: Session | null, path: string) => SELF.fetch(ADMIN + path, { headers: s ? { Cookie: s.cookie } : {}, redirect: 'manual' });
const score = (siteId: string, s: Partial<SiteScore>): SiteScore => ({
  runId: 'q1',
  siteId,
  verdict: 'pass',
  score: 100,
  vetoes: 0,
  deductions: 0,
  pages: 40,
  findings: 0,
  vetoReasons: [],
  ...s,
});
const QUARTER = new Date('2026-03-31T01:00:00.000Z');
let xn: Finding[];

beforeAll(async () => {
  await seedHierarchy();
  const q1 = run('q1', 'quarterly', QUARTER);
  xn = await Promise.all([
    finding('q1', 'nnxn', 'broken-link', '/yw/a.html', '/yw/gone.html', '链接返回 404'),
    finding('q1', 'nnxn', 'broken-link', '/yw/b.html', '=HYPERLINK("http://evil.example")', '链接返回 404'),
    finding('q1', 'nnxn', 'image-alt', '/yw/c.html', 'photo.png', '图片缺少 alt'),
  ]);
  const jyj = [await finding('q1', 'nnxn-jyj', 'banned-term', '/xxgk/d.html', '某禁用词', '发现禁用词“某禁用词”')];
  await storeRun(q1, [
    { siteId: 'nnxn', findings: xn, score: score('nnxn', { score: 98.8, deductions: 1.2, findings: 3 }) },
    {
      siteId: 'nnxn-jyj',
      findings: jyj,
      score: score('nnxn-jyj', { verdict: 'fail', score: null, vetoes: 1, findings: 1, vetoReasons: ['严重错误：禁用词 1 处'] }),
    },
    { siteId: 'nnqx', findings: [], score: score('nnqx', {}) },
  ]);
  await env.DB.prepare("INSERT INTO inspection_skips (run_id, site_id, url, reason) VALUES ('q1', 'nnxn', '/yw/huge.html', '页面超过 5 MB，未检查')").run();
  for (const [site, list] of [
    ['nnxn', xn],
    ['nnxn-jyj', jyj],
  ] as const)
    await env.DB.batch(await rectificationStatements(env.DB, { run: q1, siteId: site, findings: [...list], covers: () => true, now: QUARTER }));
  // An earlier weekly 巡检: no scores, one finding.
  const w1 = run('w1', 'weekly', new Date('2026-03-23T01:00:00.000Z'));
  await storeRun(w1, [{ siteId: 'nnxn', findings: [await finding('w1', 'nnxn', 'footer-missing', '/', 'footer')], score: null }]);

  await addAccount('r-county', 'r-county', 'Report-county-2026', [{ role: 'site-admin', siteId: 'nnxn' }]);
  await addAccount('r-city', 'r-city', 'Report-city-2026', [{ role: 'site-admin', siteId: 'nanning' }]);
  await addAccount('r-editor', 'r-editor', 'Report-editor-2026', [{ role: 'editor', siteId: 'nnxn' }]);
  [county, city, editor] = await Promise.all([
    login('r-county', 'Report-county-2026'),
    login('r-city', 'Report-city-2026'),
    login('r-editor', 'Report-editor-2026'),
  ]);
});

describe('runs and a run’s summary, within the viewer’s sites', () => {
  it('lists the runs newest first with the schedule and the counts of the viewer’s sites', async () => {
    const page = await (await get(county, '/admin/inspect/runs')).text();
    const rows = page.match(/<tr data-run="[^"]+">[\s\S]*?<\/tr>/g)!;
    expect(rows.map((r) => /data-run="([^"]+)"/.exec(r)![1])).toEqual(['q1', 'w1']);
    expect(rows[0]).toContain('季普查（2026-03-31）');
    // nnxn and the department below: 2 inspected, 1 合格, 1 不合格, 4 findings.
    expect(rows[0]!.replace(/\s+/g, '')).toContain('<td>2</td><td>1</td><td>1</td><td>4</td>');
    expect(rows[1]).toContain('周巡检');
  });

  it('a run’s page has the verdict and score of each site the viewer may see, deductions per indicator, findings by kind', async () => {
    const page = await (await get(county, '/admin/inspect/runs/q1')).text();
    expect(page).toContain('南宁市兴宁区人民政府门户网站');
    expect(page).toContain('兴宁区教育局');
    expect(page).not.toContain('青秀区');
    const xnRow = page.match(/<tr data-site="nnxn">[\s\S]*?<\/tr>/)![0];
    expect(xnRow).toContain('合格');
    expect(xnRow).toContain('98.8');
    expect(xnRow).toContain('/admin/inspect/runs/q1/regions/nnxn');
    const jyjRow = page.match(/<tr data-site="nnxn-jyj">[\s\S]*?<\/tr>/)![0];
    expect(jyjRow).toContain('不合格');
    expect(jyjRow).toContain('严重错误：禁用词 1 处');
    expect(page).toContain('id="site-deductions"');
    const kinds = page.match(/<table id="findings-by-kind">[\s\S]*?<\/table>/)![0];
    expect(kinds).toMatch(/不可用的站内链接<\/th><td>扣分<\/td><td>[^<]+<\/td><td>2<\/td><td>1<\/td>/);
    // The city admin sees the sibling county as well.
    expect(await (await get(city, '/admin/inspect/runs/q1')).text()).toContain('南宁市青秀区人民政府门户网站');
  });

  it('a run without scores says so instead of inventing a verdict', async () => {
    const page = await (await get(county, '/admin/inspect/runs/w1')).text();
    expect(page).toContain('不计分');
    expect(page).toContain('页脚缺少规定信息');
  });
});

describe('one site’s report', () => {
  it('has the filed form: 网站名称, 标识码, 主办单位, 检查时间, 类型, 结论, 扣分 per indicator with evidence, 整改要求 and deadline', async () => {
    const res = await get(county, '/admin/inspect/runs/q1/sites/nnxn');
    expect(res.status).toBe(200);
    const page = await res.text();
    for (const s of [
      '网站标识码</th><td>4501020001',
      '主办单位</th><td>南宁市兴宁区人民政府办公室',
      '检查类型</th><td>季普查',
      '2026-03-31 09:00 至 2026-03-31 09:01',
    ])
      expect(page).toContain(s);
    expect(page).toContain('data-verdict="pass"');
    expect(page).toContain('合格，得分 98.8');
    expect(page).toContain('未发现单项否决问题');
    expect(page).toMatch(/网站可用性（首页可用性、链接可用性）<\/th><td>2<\/td><td>1<\/td>/);
    expect(page).toContain('网站可用性（首页可用性、链接可用性）：扣 1 分');
    expect(page).toMatch(/href="https?:\/\/www\.xingning\.gov\.cn[^"]*\/yw\/a\.html"/);
    expect(page).toContain('/yw/gone.html');
    // 整改要求: the deadline of broken links is 7 days after the run.
    expect(page).toContain(cstDate(new Date(QUARTER.getTime() + 7 * 86_400_000)));
    expect(page).toContain(`/admin/inspect/items/${xn[0]!.fingerprint}`);
    expect(page).toContain('页面超过 5 MB，未检查');
    expect(page).toContain('href="/admin/inspect/inspect.css"');
  });

  it('a veto decides the department’s report', async () => {
    const page = await (await get(county, '/admin/inspect/runs/q1/sites/nnxn-jyj')).text();
    expect(page).toContain('不合格（单项否决）');
    expect(page).toContain('严重错误：禁用词 1 处');
    expect(page).toContain('发现禁用词“某禁用词”');
    expect(page).toContain(cstDate(new Date(QUARTER.getTime() + 86_400_000))); // a veto is due the next day
  });

  it('exports every finding as CSV that Excel opens, formulas defused', async () => {
    const res = await get(county, '/admin/inspect/runs/q1/sites/nnxn?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the byte-order mark Excel needs
    const text = new TextDecoder().decode(bytes); // (decoding drops the mark)
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('网站名称,网站标识码,检查类型,检查时间,指标,问题类型,性质,扣分,页面,具体对象,说明,摘录,整改状态,整改期限');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('www.xingning.gov.cn/yw/a.html');
    expect(lines[1]).toContain('待整改');
    expect(text).not.toMatch(/,=HYPERLINK/);
    expect(text).toContain(`'=HYPERLINK`);
  });

  it('is refused outside the viewer’s sites (404), to editors (403) and to anonymous readers (login)', async () => {
    expect((await get(county, '/admin/inspect/runs/q1/sites/nnqx')).status).toBe(404);
    expect((await get(county, '/admin/inspect/runs/q1/sites/nanning')).status).toBe(404);
    expect((await get(county, '/admin/inspect/runs/nope/sites/nnxn')).status).toBe(404);
    expect((await get(editor, '/admin/inspect/runs/q1/sites/nnxn')).status).toBe(403);
    expect((await get(editor, '/admin/inspect/runs')).status).toBe(403);
    const anon = await get(null, '/admin/inspect/runs/q1');
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toContain('/admin/login');
    const bad = await get(county, '/admin/inspect/runs/q1/sites/nnxn?format=pdf');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('格式：');
  });
});

describe('a region’s report and the printed form', () => {
  it('covers the site and everything below it, with each site’s report on its own page when printed', async () => {
    const summary = await (await get(city, '/admin/inspect/runs/q1/regions/nnxn')).text();
    expect(summary).toContain('南宁市兴宁区人民政府门户网站及下级网站检查报告');
    expect(summary).toContain('data-site="nnxn"');
    expect(summary).toContain('data-site="nnxn-jyj"');
    expect(summary).not.toContain('data-site="nnqx"');
    expect(summary).not.toContain('class="site-report"');
    const detail = await (await get(city, '/admin/inspect/runs/q1/regions/nnxn?detail=1')).text();
    expect(detail.match(/<section class="site-report"/g)).toHaveLength(2);
    expect(detail).toContain('<div class="region-detail">');
    // Headings in order: h1, then h2 for the summary and each site, h3 inside.
    const levels = [...detail.matchAll(/<h([1-6])/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(1);
    for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);

    const csv = await (await get(city, '/admin/inspect/runs/q1/regions/nanning?format=csv')).text();
    const rows = csv.trimEnd().split('\r\n');
    expect(rows).toHaveLength(4); // header + the three sites inspected below the city
    expect(rows[0]).toMatch(/^网站名称,网站标识码,主办单位,上级网站,.*扣分：网站可用性/);
    expect(rows.find((r) => r.startsWith('兴宁区教育局'))).toContain('不合格');

    // A county admin may not read the city's region.
    expect((await get(county, '/admin/inspect/runs/q1/regions/nanning')).status).toBe(404);
  });

  it('the stylesheet prints without navigation or forms and breaks the page between sites', async () => {
    const res = await get(null, '/admin/inspect/inspect.css');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const css = await res.text();
    expect(css).toContain('@media print');
    expect(css).toMatch(/header\.top[^{]*\{display:none/);
    expect(css).toMatch(/\.site-report\+\.site-report[^{]*\{break-before:page/);
  });
});

/**
 * /admin/inspect over HTTP in workerd: who sees which 整改 items along the hierarchy (a county admin its county
 * and the department below, never a sibling county or the city; "已上报本级" for items escalated to the viewer's
 * own unit), who may mark fixed and who may dismiss (only the unit above), editors refused, anonymous readers
 * sent to the login form, bad forms answered 400 naming the field, stale states 409, every action audited.
 */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '@ywtc/cms-schema';
import { addAccount, login, type Session } from '../../testing/accounts.ts';
import { rectificationStatements } from './sync.ts';
import { finding, run, seedHierarchy } from './test-fixtures.ts';

const ADMIN = 'http://127.0.0.1:8787';
let county: Session, city: Session, editor: Session, platform: Session;
let xnItem: Finding, jyjItem: Finding, qxItem: Finding, escalated: Finding;

const get = (s: Session | null, path: string) => SELF.fetch(ADMIN + path, { headers: s ? { Cookie: s.cookie } : {}, redirect: 'manual' });
const post = (s: Session, path: string, fields: Record<string, string>) =>
  SELF.fetch(ADMIN + path, {
    method: 'POST',
    headers: { Cookie: s.cookie, Origin: ADMIN, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: s.csrf, ...fields }).toString(),
    redirect: 'manual',
  });
const stateOf = async (id: string) => (await env.DB.prepare('SELECT state FROM rectifications WHERE id = ?').bind(id).first<{ state: string }>())!.state;
const audits = async (id: string) =>
  (
    await env.DB.prepare('SELECT action, account_id, detail FROM audit_log WHERE target = ? ORDER BY seq')
      .bind(id)
      .all<{ action: string; account_id: string; detail: string }>()
  ).results;

beforeAll(async () => {
  await seedHierarchy();
  const now = new Date();
  const r = run('m1', 'monthly', now);
  xnItem = await finding('m1', 'nnxn', 'column-stale', '/tzgg/', 'nnxn/tzgg', '通知公告栏目超过 6 个月未更新');
  jyjItem = await finding('m1', 'nnxn-jyj', 'broken-link', '/xxgk/a.html', '/xxgk/missing.html', '链接无法打开');
  qxItem = await finding('m1', 'nnqx', 'image-alt', '/yw/p.html', 'p.png', '图片缺少替代文本');
  escalated = await finding('m1', 'nnxn-jyj', 'footer-missing', '/', 'footer', '页脚缺少网站标识码');
  for (const [site, list] of [
    ['nnxn', [xnItem]],
    ['nnxn-jyj', [jyjItem, escalated]],
    ['nnqx', [qxItem]],
  ] as const)
    await env.DB.batch(await rectificationStatements(env.DB, { run: r, siteId: site, findings: [...list], covers: () => true, now }));
  // Overdue and escalated from the department to its county.
  await env.DB.prepare("UPDATE rectifications SET escalation = 1, escalated_to = 'nnxn', deadline = ? WHERE id = ?")
    .bind(new Date(now.getTime() - 86_400_000).toISOString(), escalated.fingerprint)
    .run();
  await addAccount('i-county', 'i-county', 'Inspect-county-2026', [{ role: 'site-admin', siteId: 'nnxn' }]);
  await addAccount('i-city', 'i-city', 'Inspect-city-2026', [{ role: 'site-admin', siteId: 'nanning' }]);
  await addAccount('i-editor', 'i-editor', 'Inspect-editor-2026', [{ role: 'editor', siteId: 'nnxn' }]);
  await addAccount('i-platform', 'i-platform', 'Inspect-platform-2026', [{ role: 'platform-admin', siteId: null }]);
  [county, city, editor, platform] = await Promise.all([
    login('i-county', 'Inspect-county-2026'),
    login('i-city', 'Inspect-city-2026'),
    login('i-editor', 'Inspect-editor-2026'),
    login('i-platform', 'Inspect-platform-2026'),
  ]);
});

describe('the 整改 list along the hierarchy', () => {
  it('a county admin sees its county and the department below, never a sibling county', async () => {
    const res = await get(county, '/admin/inspect');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain(`data-item="${xnItem.fingerprint}"`);
    expect(page).toContain(`data-item="${jyjItem.fingerprint}"`);
    expect(page).not.toContain(qxItem.fingerprint);
    expect(page).toContain('href="/admin/inspect"'); // the nav link
    // Escalated from the department to this county: flagged as this level's, and listed first (overdue).
    const rows = page.match(/<tr data-item="[0-9a-f]+">[\s\S]*?<\/tr>/g)!;
    expect(rows[0]).toContain(escalated.fingerprint);
    expect(rows[0]).toContain('已上报本级');
    expect(rows[0]).toContain('已逾期');
  });

  it('the city admin sees both counties; the escalated item names the county it went to', async () => {
    const page = await (await get(city, '/admin/inspect')).text();
    for (const f of [xnItem, jyjItem, qxItem, escalated]) expect(page).toContain(`data-item="${f.fingerprint}"`);
    const row = page.match(new RegExp(`<tr data-item="${escalated.fingerprint}">[\\s\\S]*?</tr>`))![0];
    expect(row).toContain('已上报至南宁市兴宁区人民政府门户网站');
    expect(row).not.toContain('已上报本级');
  });

  it('filters by site, severity, overdue and state; a site outside the viewer’s reach or a bad value is a 400 naming the field', async () => {
    const one = await (await get(city, '/admin/inspect?site=nnqx')).text();
    expect(one).toContain(qxItem.fingerprint);
    expect(one).not.toContain(`data-item="${xnItem.fingerprint}"`);
    const late = await (await get(city, '/admin/inspect?overdue=1')).text();
    expect(late.match(/<tr data-item=/g)).toHaveLength(1);
    const deduct = await (await get(city, '/admin/inspect?severity=veto')).text();
    expect(deduct).toContain('没有符合条件的整改事项');
    const outside = await get(county, '/admin/inspect?site=nnqx');
    expect(outside.status).toBe(400);
    expect(await outside.text()).toContain('网站：');
    const bad = await get(county, '/admin/inspect?state=whatever');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('状态：');
  });

  it('editors are refused (403 page) and anonymous readers sent to the login form', async () => {
    const denied = await get(editor, '/admin/inspect');
    expect(denied.status).toBe(403);
    expect(await denied.text()).toContain('查看网站检查结果和整改');
    expect((await get(editor, `/admin/inspect/items/${xnItem.fingerprint}`)).status).toBe(403);
    const anon = await get(null, '/admin/inspect');
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Finspect');
    const nav = await (await get(editor, '/admin')).text();
    expect(nav).not.toContain('href="/admin/inspect"');
  });
});

describe('an item: evidence, 已整改 and 核销', () => {
  it('shows the evidence linked to the live page, the indicator, the deadline and the history', async () => {
    const res = await get(county, `/admin/inspect/items/${jyjItem.fingerprint}`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('不可用的站内链接');
    expect(page).toMatch(/href="(https:\/\/|http:\/\/)jyj\.xingning\.gov\.cn[^"]*\/xxgk\/a\.html"/);
    expect(page).toContain('/xxgk/missing.html');
    expect(page).toContain('网站可用性');
    expect(page).toContain('发现问题');
    expect(page).toContain('系统（自动检查）');
    // The county is the unit above the department: it may mark fixed and dismiss.
    expect(page).toContain('id="item-fix"');
    expect(page).toContain('id="item-dismiss"');
    // Not the sibling county's item.
    expect((await get(county, `/admin/inspect/items/${qxItem.fingerprint}`)).status).toBe(404);
  });

  it('a county admin cannot dismiss its own site’s item; the city admin can, with a reason', async () => {
    const own = await (await get(county, `/admin/inspect/items/${xnItem.fingerprint}`)).text();
    expect(own).toContain('id="item-fix"');
    expect(own).not.toContain('id="item-dismiss"');
    const refused = await post(county, `/admin/inspect/items/${xnItem.fingerprint}`, { action: 'dismiss', note: '栏目已撤并，无需更新', state: 'open' });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('上级单位核销');
    expect(await stateOf(xnItem.fingerprint)).toBe('open');

    const tooShort = await post(city, `/admin/inspect/items/${xnItem.fingerprint}`, { action: 'dismiss', note: '撤并', state: 'open' });
    expect(tooShort.status).toBe(400);
    expect(await tooShort.text()).toContain('核销理由：请说明核销理由');

    const ok = await post(city, `/admin/inspect/items/${xnItem.fingerprint}`, { action: 'dismiss', note: '栏目已按要求撤并，无需更新', state: 'open' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/admin/inspect/items/${xnItem.fingerprint}?done=dismiss`);
    expect(await stateOf(xnItem.fingerprint)).toBe('dismissed');
    expect((await audits(xnItem.fingerprint)).at(-1)).toEqual({ action: 'inspect.dismiss', account_id: 'i-city', detail: '栏目已按要求撤并，无需更新' });
    const history = await (await get(county, `/admin/inspect/items/${xnItem.fingerprint}`)).text();
    expect(history).toContain('i-city');
    expect(history).toContain('核销');
  });

  it('marks fixed with a note (400 naming the field without one), then refuses the same state twice (409)', async () => {
    const id = jyjItem.fingerprint;
    const empty = await post(county, `/admin/inspect/items/${id}`, { action: 'fix', note: ' ', state: 'open' });
    expect(empty.status).toBe(400);
    const text = await empty.text();
    expect(text).toContain('整改说明：请说明整改情况');
    expect(text).toContain('aria-invalid="true"');
    const noAction = await post(county, `/admin/inspect/items/${id}`, { note: '已修复链接' });
    expect(noAction.status).toBe(400);
    expect(await noAction.text()).toContain('操作：');

    const ok = await post(county, `/admin/inspect/items/${id}`, { action: 'fix', note: '已将链接改为新地址', state: 'open' });
    expect(ok.status).toBe(303);
    expect(await stateOf(id)).toBe('fixed');
    expect((await audits(id)).map((a) => a.action)).toEqual(['inspect.open', 'inspect.fix']);

    const again = await post(county, `/admin/inspect/items/${id}`, { action: 'fix', note: '已将链接改为新地址', state: 'open' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('已整改待复核');
    expect((await audits(id)).map((a) => a.action)).toEqual(['inspect.open', 'inspect.fix']);
  });

  it('needs the session’s CSRF token; the platform admin may dismiss anything, even the region’s own items', async () => {
    const forged = await SELF.fetch(`${ADMIN}/admin/inspect/items/${qxItem.fingerprint}`, {
      method: 'POST',
      headers: { Cookie: city.cookie, Origin: ADMIN, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ action: 'fix', note: '已补充替代文本' }).toString(),
      redirect: 'manual',
    });
    expect(forged.status).toBe(403);
    expect(await stateOf(qxItem.fingerprint)).toBe('open');
    const res = await post(platform, `/admin/inspect/items/${qxItem.fingerprint}`, { action: 'dismiss', note: '图片为装饰性图片，已确认', state: 'open' });
    expect(res.status).toBe(303);
    expect(await stateOf(qxItem.fingerprint)).toBe('dismissed');
  });
});

describe('the same under /api/cms/inspect', () => {
  const api = (s: Session | null, path: string, body?: unknown) =>
    SELF.fetch(`${ADMIN}/api/cms${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: s ? { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, Origin: ADMIN, 'Content-Type': 'application/json' } : {},
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('lists the viewer’s items as JSON and refuses anonymous callers and editors', async () => {
    const res = await api(county, '/inspect/items?state=all');
    expect(res.status).toBe(200);
    const list = await res.json<{ items: { id: string; siteId: string }[]; total: number }>();
    expect(new Set(list.items.map((i) => i.siteId))).toEqual(new Set(['nnxn', 'nnxn-jyj']));
    expect(list.total).toBe(list.items.length);
    expect((await api(null, '/inspect/items')).status).toBe(401);
    expect((await api(editor, '/inspect/items')).status).toBe(403);
    const bad = await api(county, '/inspect/items?severity=serious');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'severity', message: expect.stringContaining('性质') });
  });

  it('acts with the same rules: 400 naming the field, 403 for a dismissal at the same level, 200 for a fix', async () => {
    const id = escalated.fingerprint;
    const detail = await (await api(county, `/inspect/items/${id}`)).json<{ item: { state: string }; mayFix: boolean; mayDismiss: boolean }>();
    expect(detail).toMatchObject({ item: { state: 'open' }, mayFix: true, mayDismiss: true });
    const noNote = await api(county, `/inspect/items/${id}`, { action: 'fix' });
    expect(noNote.status).toBe(400);
    expect(await noNote.json()).toMatchObject({ field: 'note', message: expect.stringContaining('说明') });
    const badState = await api(county, `/inspect/items/${id}`, { action: 'fix', note: '已补充页脚', state: 'gone' });
    expect(badState.status).toBe(400);
    expect(await badState.json()).toMatchObject({ field: 'state' });
    // The county admin is the department's unit above, but not its own: the county's own item may not be dismissed.
    const own = await api(county, `/inspect/items/${xnItem.fingerprint}`, { action: 'dismiss', note: '无需整改的理由' });
    expect(own.status).toBe(403); // who may act is decided before the state (the city dismissed it earlier in this file)
    expect(await own.json()).toMatchObject({ error: 'forbidden', message: expect.stringContaining('上级单位核销') });
    const ok = await api(county, `/inspect/items/${id}`, { action: 'fix', note: '已补充页脚的网站标识码', state: 'open' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ item: { state: 'fixed', note: '已补充页脚的网站标识码', updatedBy: 'i-county' } });
    expect((await audits(id)).at(-1)).toMatchObject({ action: 'inspect.fix', account_id: 'i-county' });
  });
});

/**
 * The open-data portal in workerd: a unit registers (统一社会信用代码 checked), logs in with its own session,
 * applies for an unconditional interface (granted at once) and a conditional one (pending), the owning unit's
 * site admin approves it in the CMS admin, the unit makes a key that is shown once and works, rotates and
 * revokes it; usage shows as chart, table and CSV; every step is audited; bad input is a named 4xx.
 */
import { SELF, env, runDurableObjectAlarm } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLES, buildCatalogue, insertSql, toRow, usccCheckChar, type OpenInterface } from '@ywtc/cms-schema';
import { SITES, seedRegistry } from '../../testing/sites.ts';
import { addAccount, login, type Session } from '../../testing/accounts.ts';
import { forgetCatalogue } from '../catalogue.ts';
import { quotaOf } from '../quota.ts';

const ORIGIN = 'http://127.0.0.1:8787';
const PASSWORD = 'Portal-test-2026';
const uscc = (first17: string) => first17 + usccCheckChar(first17);
let catalogue: OpenInterface[] = [];

/** A browser session on the portal: its cookie and the CSRF token from the last page. */
interface Browser {
  cookie: string;
  csrf: string;
}
const form = (body: Record<string, string>) => new URLSearchParams(body).toString();
async function submit(path: string, body: Record<string, string>, b?: Browser, ip = '10.9.0.1') {
  return SELF.fetch(`${ORIGIN}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'CF-Connecting-IP': ip, Origin: ORIGIN, ...(b ? { Cookie: b.cookie } : {}) },
    body: form(b ? { csrf: b.csrf, ...body } : body),
  });
}
const page = (path: string, b?: Browser | Session) => SELF.fetch(`${ORIGIN}${path}`, { redirect: 'manual', headers: b ? { Cookie: b.cookie } : {} });
const csrfIn = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

const REGISTRATION = {
  unitName: '南宁市某数据科技有限公司',
  uscc: uscc('91450100MA5K7B2C3'),
  contactName: '王五',
  contactPhone: '0771-5551234',
  contactEmail: 'wangwu@example.cn',
  purpose: '开发政策查询小程序，为企业提供政策匹配服务。',
  username: 'nn-datatech',
  password: PASSWORD,
};

let unit: Browser;
let nanningAdmin: Session;
let otherAdmin: Session;

beforeAll(async () => {
  await seedRegistry();
  catalogue = buildCatalogue(SITES, new Date().toISOString());
  await env.DB.batch(catalogue.map((i) => env.DB.prepare(insertSql(TABLES.openInterfaces)).bind(...toRow(TABLES.openInterfaces, i))));
  forgetCatalogue();
  await addAccount('nn-admin', 'portal-nn-admin', PASSWORD, [{ role: 'site-admin', siteId: 'nanning' }]);
  await addAccount('pa', 'portal-platform', PASSWORD, [{ role: 'platform-admin', siteId: null }]);
  await addAccount('ed', 'portal-editor', PASSWORD, [{ role: 'editor', siteId: 'nanning' }]);
  nanningAdmin = await login('portal-nn-admin', PASSWORD);
  otherAdmin = await login('portal-editor', PASSWORD);
});

const conditional = () => catalogue.find((i) => i.dataset === 'column-updates' && i.scopeSiteId === 'nanning')!;
const unconditional = () => catalogue.find((i) => i.dataset === 'policies' && i.scopeSiteId === 'nanning')!;

describe('registering', () => {
  it('names the field of each bad entry, refuses a wrong check character, and writes nothing', async () => {
    const bad = await submit('/open/register', { ...REGISTRATION, uscc: REGISTRATION.uscc.slice(0, 17) + (REGISTRATION.uscc[17] === '0' ? '1' : '0') });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('统一社会信用代码校验位不正确');
    for (const [field, value] of [
      ['contactPhone', '12345'],
      ['contactEmail', 'not-an-email'],
      ['password', 'short'],
      ['purpose', '短'],
      ['unitName', ''],
    ] as const) {
      const res = await submit('/open/register', { ...REGISTRATION, [field]: value });
      expect(res.status, field).toBe(400);
      expect(await res.text(), field).toContain(`aria-describedby="${field}-err"`);
    }
    const huge = await submit('/open/register', { ...REGISTRATION, purpose: '很'.repeat(20_000) });
    expect(huge.status).toBe(413);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM open_units').first<{ n: number }>())!.n).toBe(0);
  });

  it('registers once, then refuses the same code again with 409', async () => {
    const ok = await submit('/open/register', REGISTRATION);
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/open/login?notice=registered');
    const again = await submit('/open/register', { ...REGISTRATION, username: 'another-name' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('已注册');
  });
});

describe('a unit in the portal', () => {
  it('logs in with its own session cookie, separate from the CMS', async () => {
    const wrong = await submit('/open/login', { username: REGISTRATION.username, password: 'Wrong-pass-123' }, undefined, '10.9.0.2');
    expect(wrong.status).toBe(401);
    const res = await submit('/open/login', { username: REGISTRATION.username, password: PASSWORD }, undefined, '10.9.0.3');
    expect(res.status).toBe(303);
    const cookie = /^([^;]+)/.exec(res.headers.get('set-cookie')!)![1]!;
    expect(cookie).toMatch(/^__Host-ywtc_open=/);
    for (const attr of ['HttpOnly', 'Secure', 'SameSite=Strict', 'Path=/']) expect(res.headers.get('set-cookie')).toContain(attr);
    const account = await page('/open/account', { cookie, csrf: '' });
    expect(account.status).toBe(200);
    unit = { cookie, csrf: csrfIn(await account.text()) };
    expect(unit.csrf).not.toBe('');
    // The unit's cookie opens nothing of the CMS, and a CMS session nothing of the unit's pages.
    expect((await page('/api/cms/me', unit)).status).toBe(403);
    expect((await page('/open/account', nanningAdmin)).status).toBe(303);
  });

  it('is granted an unconditional interface at once and waits for the owner on a conditional one', async () => {
    const granted = await submit(
      `/open/apply/${unconditional().code}`,
      { purpose: '用于企业政策匹配服务的数据源。', dailyQuota: '500', endsOn: '2027-06-30' },
      unit,
    );
    expect(granted.headers.get('location')).toBe('/open/account?notice=granted');
    const pending = await submit(
      `/open/apply/${conditional().code}`,
      { purpose: '分析栏目更新情况，用于政务公开研究。', dailyQuota: '100', endsOn: '2027-06-30' },
      unit,
    );
    expect(pending.headers.get('location')).toBe('/open/account?notice=applied');
    const twice = await submit(
      `/open/apply/${conditional().code}`,
      { purpose: '分析栏目更新情况，用于政务公开研究。', dailyQuota: '100', endsOn: '2027-06-30' },
      unit,
    );
    expect(twice.status).toBe(409);
    const badQuota = await submit(
      `/open/apply/${conditional().code}`,
      { purpose: '分析栏目更新情况，用于政务公开研究。', dailyQuota: '99999999', endsOn: '2027-06-30' },
      unit,
    );
    expect(badQuota.status).toBe(400);
    expect(await badQuota.text()).toContain('aria-describedby="dailyQuota-err"');
    const noCsrf = await submit(
      `/open/apply/${unconditional().code}`,
      { csrf: '', purpose: '用于企业政策匹配服务的数据源。', dailyQuota: '5', endsOn: '2027-06-30' },
      { cookie: unit.cookie, csrf: 'forged' },
    );
    expect(noCsrf.status).toBe(403);
  });

  it("shows the conditional application to the owning unit's admin only, who approves it with the audit log recording each step", async () => {
    const listed = await (await page('/admin/open', nanningAdmin)).text();
    expect(listed).toContain(conditional().code);
    expect(listed).toContain(REGISTRATION.unitName);
    const outsider = await page('/admin/open', otherAdmin);
    expect(outsider.status).toBe(403);
    const id = (await env.DB.prepare("SELECT id FROM open_applications WHERE status = 'pending'").first<{ id: string }>())!.id;
    const csrf = csrfIn(listed);
    const post = (body: Record<string, string>) =>
      SELF.fetch(`${ORIGIN}/admin/open/applications/${id}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: nanningAdmin.cookie, Origin: ORIGIN },
        body: form({ csrf, ...body }),
      });
    expect((await post({ decision: 'reject', reason: '' })).status).toBe(400);
    const approved = await post({ decision: 'approve', reason: '同意，用于研究' });
    expect(approved.status).toBe(303);
    expect((await post({ decision: 'approve', reason: '' })).status).toBe(409);
    const { results } = await env.DB.prepare("SELECT action FROM audit_log WHERE action LIKE 'open.%' ORDER BY seq").all<{ action: string }>();
    expect(results.map((r) => r.action)).toEqual(
      expect.arrayContaining(['open.register', 'open.login-failed', 'open.login', 'open.apply-granted', 'open.apply', 'open.approve']),
    );
  });

  it('gets a key shown once that calls its interfaces, then rotates it and revokes the new one', async () => {
    const made = await submit('/open/keys', {}, unit);
    expect(made.status).toBe(200);
    const html = await made.text();
    const key = /data-testid="new-key">(ywtc_[A-Za-z0-9_-]{43})</.exec(html)![1]!;
    // Only its hash is stored, and the account page never shows it again.
    expect(await env.DB.prepare('SELECT 1 FROM open_keys WHERE key_hash = ?').bind(key).first()).toBeNull();
    expect(await (await page('/open/account', unit)).text()).not.toContain(key);
    const call = (k: string, code = conditional().code) => SELF.fetch(`${ORIGIN}/open/v1/data/${code}`, { headers: { 'X-Api-Key': k } });
    expect((await call(key)).status).toBe(200);
    expect((await call(key, unconditional().code)).status).toBe(200);
    const keyId = (await env.DB.prepare('SELECT id FROM open_keys').first<{ id: string }>())!.id;
    const rotated = await submit(`/open/keys/${keyId}/rotate`, {}, unit);
    const fresh = /data-testid="new-key">(ywtc_[A-Za-z0-9_-]{43})</.exec(await rotated.text())![1]!;
    expect((await call(key)).status).toBe(401);
    expect((await call(fresh)).status).toBe(200);
    const freshId = (await env.DB.prepare('SELECT id FROM open_keys WHERE revoked_at IS NULL').first<{ id: string }>())!.id;
    expect((await submit(`/open/keys/${freshId}/revoke`, {}, unit)).headers.get('location')).toBe('/open/account?notice=revoked');
    expect((await call(fresh)).status).toBe(401);
  });

  it("shows the unit's usage as a chart with a table and as CSV, and the owner's admin the same for its interfaces", async () => {
    const unitId = (await env.DB.prepare('SELECT id FROM open_units').first<{ id: string }>())!.id;
    // The quota counter writes to D1 on its alarm; run it now rather than wait.
    expect(await runDurableObjectAlarm(quotaOf(env, unitId))).toBe(true);
    const account = await (await page('/open/account', unit)).text();
    expect(account).toMatch(/<svg role="img"[^>]*aria-labelledby="usage-chart-title usage-chart-desc"/);
    expect(account).toContain(`<td>${conditional().code} ${conditional().name}</td>`);
    const csv = await page('/open/account/usage.csv', unit);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a BOM, so spreadsheet programs read UTF-8
    const text = new TextDecoder().decode(bytes);
    expect(text.split('\r\n')[0]).toBe('日期,单位,接口编码,接口名称,调用次数,被拒绝次数');
    expect(text).toContain(`${REGISTRATION.unitName},${conditional().code}`);
    const admin = await (await page('/admin/open', nanningAdmin)).text();
    expect(admin).toContain('open-usage-chart-title');
    expect(admin).toContain(`<td>${conditional().code} ${conditional().name}</td>`);
  });
});

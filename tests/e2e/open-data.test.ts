/**
 * 数据开放 end to end on the whole registry (210 sites, 283 interfaces) served by wrangler dev: every catalogue
 * entry answers in JSON, CSV and XML, each valid against its own schema, and no answer carries anything of a
 * person; then in Chromium a unit registers, applies for a 有条件开放 interface, the owning unit's admin
 * approves it in the CMS, the key works, is rotated and revoked (401); and the interactive reference renders
 * from this platform's own script.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DATASETS, envelopeSchema, usccCheckChar, type OpenInterface } from '@ywtc/cms-schema';
import { launchChromium } from '../../scripts/lib/browser.ts';
import { DEMO_ACCOUNTS } from '../../scripts/seed/accounts.ts';
import { startLocalCluster, type LocalCluster } from '../../scripts/lib/local-cluster.ts';
import { decodeCsv, decodeXml } from '../../worker/src/testing/open-formats.ts';

/** A fixture unit granted every interface, so that each can be called (the grant flow itself is tested in Chromium below). */
const FIXTURE = { key: `ywtc_${'F'.repeat(43)}`, contactName: '赵测试', contactPhone: '13912345678', contactEmail: 'fixture-contact@example.cn' };
let cluster: LocalCluster;
let browser: Browser;
let catalogue: OpenInterface[] = [];
const answers: string[] = [];

beforeAll(async () => {
  cluster = await startLocalCluster({
    publish: false,
    accounts: true,
    prepare: async ({ DB }) => {
      await DB.batch([
        DB.prepare(
          "INSERT INTO open_units (id, name, uscc, contact_name, contact_phone, contact_email, purpose, status, suspended_reason, created_at) VALUES ('u-fixture', '全量调用测试单位', ?, ?, ?, ?, '测试全部接口的调用和校验。', 'active', NULL, '2026-12-01T00:00:00Z')",
        ).bind('91450100MA5K2D3E4' + usccCheckChar('91450100MA5K2D3E4'), FIXTURE.contactName, FIXTURE.contactPhone, FIXTURE.contactEmail),
        DB.prepare(
          "INSERT INTO open_keys (id, unit_id, key_hash, prefix, created_at, expires_at, revoked_at) VALUES ('k-fixture', 'u-fixture', ?, ?, ?, ?, NULL)",
        ).bind(
          createHash('sha256').update(FIXTURE.key).digest('hex'),
          FIXTURE.key.slice(0, 12),
          new Date().toISOString(),
          new Date(Date.now() + 30 * 86_400_000).toISOString(),
        ),
        DB.prepare(
          "INSERT INTO open_applications (id, unit_id, code, purpose, daily_quota, ends_on, status, reason, decided_by, decided_at, created_at) SELECT 'a-' || code, 'u-fixture', code, '测试全部接口的调用和校验。', 100000, '2030-12-31', 'approved', NULL, 'fixture', NULL, '2026-12-01T00:00:00Z' FROM open_interfaces",
        ),
      ]);
    },
  });
  const res = await fetch(`${cluster.origin}/open/v1/interfaces`);
  catalogue = ((await res.json()) as { data: { code: string }[] }).data.map((d) => d as unknown as OpenInterface);
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  cluster?.stop();
});

const call = (code: string, query: string, key = FIXTURE.key, accept = 'application/json') =>
  fetch(`${cluster.origin}/open/v1/data/${code}${query}`, { headers: { 'X-Api-Key': key, Accept: accept } });

describe('the whole catalogue', () => {
  it('has at least 200 interfaces, and every one answers in JSON, CSV and XML, valid against its own schema', async () => {
    expect(catalogue.length).toBeGreaterThanOrEqual(200);
    let withData = 0;
    for (const entry of catalogue) {
      const detail = (await (await fetch(`${cluster.origin}/open/v1/interfaces/${entry.code}`)).json()) as { dataset: keyof typeof DATASETS };
      const record = DATASETS[detail.dataset].record;
      const json = await call(entry.code, '?limit=25');
      expect(json.status, entry.code).toBe(200);
      const text = await json.text();
      answers.push(text);
      const body = envelopeSchema(record).strict().parse(JSON.parse(text));
      for (const r of body.data) record.strict().parse(r);
      if (body.data.length) withData++;
      const csv = decodeCsv(await (await call(entry.code, '?limit=25&format=csv')).text(), record);
      expect(
        csv.records.map((r) => record.strict().parse(r)),
        `${entry.code} csv`,
      ).toEqual(body.data);
      const xml = decodeXml(await (await call(entry.code, '?limit=25', FIXTURE.key, 'application/xml')).text(), record);
      expect(
        xml.records.map((r) => record.strict().parse(r)),
        `${entry.code} xml`,
      ).toEqual(body.data);
    }
    // Hot search words need citizens' searches (5 a day or more): a fresh store has none. Every other entry has data.
    expect(withData).toBe(catalogue.length - 1);
  }, 600_000);

  it('carries nothing of a person in any answer: no account, editor or applicant contact', () => {
    const all = answers.join('\n');
    for (const a of DEMO_ACCOUNTS) {
      expect(all).not.toContain(`"${a.username}"`);
      expect(all).not.toContain(a.displayName);
    }
    for (const v of [FIXTURE.contactName, FIXTURE.contactPhone, FIXTURE.contactEmail]) expect(all).not.toContain(v);
    expect(all).not.toMatch(/"(author|created_by|account_id|username|email|contact_\w+)"\s*:/);
  });
});

describe('a unit in Chromium, from registration to a revoked key', () => {
  const USCC = '91450103MA5K4F5G6' + usccCheckChar('91450103MA5K4F5G6');
  const submit = async (page: Page, url: RegExp | string) => Promise.all([page.waitForURL(url), page.click('main button[type=submit]')]);

  it('registers, applies for a conditional interface, is approved by the owner, and its key works until revoked', async () => {
    const conditional = catalogue.find((c) => c.name === '南宁市人民政府及所辖县（市、区）栏目更新情况')!;
    expect(conditional).toBeDefined();
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${cluster.origin}/open`);
    expect(await page.textContent('h1')).toBe('开放目录');
    await page.click('text=单位注册');
    for (const [name, value] of Object.entries({
      unitName: '南宁市某交通数据研究中心',
      uscc: USCC,
      contactName: '陈研究',
      contactPhone: '0771-6661234',
      contactEmail: 'chen@example.cn',
      username: 'nn-traffic-lab',
      password: 'Traffic-lab-2026',
    }))
      await page.fill(`[name=${name}]`, value);
    await page.fill('[name=purpose]', '研究南宁市各级政府网站栏目更新的规律，形成研究报告。');
    await submit(page, /\/open\/login/);
    expect(await page.textContent('[role=status]')).toContain('注册成功');
    await page.fill('[name=username]', 'nn-traffic-lab');
    await page.fill('[name=password]', 'Traffic-lab-2026');
    await submit(page, /\/open\/account/);
    await page.goto(`${cluster.origin}/open/catalogue/${conditional.code}`);
    expect(await page.textContent('main')).toContain('有条件开放');
    await page.click(`a[href="/open/apply/${conditional.code}"]`);
    await page.fill('[name=purpose]', '统计各县区栏目更新周期，用于政务公开研究。');
    await page.fill('[name=dailyQuota]', '200');
    await submit(page, /notice=applied/);
    expect(await page.textContent('[data-testid=app-status]')).toBe('待审批');

    // The owning unit's admin (南宁市网站管理员) approves it in the CMS.
    const admin = await (await browser.newContext()).newPage();
    await admin.goto(`${cluster.origin}/admin/open`);
    await admin.fill('input[name=username]', 'nanning-admin');
    await admin.fill('input[name=password]', DEMO_ACCOUNTS.find((a) => a.username === 'nanning-admin')!.password);
    await Promise.all([admin.waitForURL(/\/admin\/open/), admin.click('button[type=submit]')]);
    const item = admin.locator('[data-testid=pending-application]', { hasText: '南宁市某交通数据研究中心' });
    await item.locator('textarea[name=reason]').fill('同意用于研究');
    await Promise.all([admin.waitForURL(/notice=approved/), item.locator('button[value=approve]').click()]);

    await page.goto(`${cluster.origin}/open/account`);
    expect(await page.textContent('[data-testid=app-status]')).toBe('已批准');
    await Promise.all([page.waitForLoadState('load'), page.click('text=生成新密钥')]);
    const key = (await page.textContent('[data-testid=new-key]'))!.trim();
    expect(key).toMatch(/^ywtc_[A-Za-z0-9_-]{43}$/);
    expect((await call(conditional.code, '')).status).toBe(200);
    const works = await call(conditional.code, '?overdue=true', key);
    expect(works.status).toBe(200);

    await Promise.all([page.waitForLoadState('load'), page.click('button:has-text("轮换")')]);
    const rotated = (await page.textContent('[data-testid=new-key]'))!.trim();
    expect(rotated).not.toBe(key);
    expect((await call(conditional.code, '', key)).status).toBe(401);
    expect((await call(conditional.code, '', rotated)).status).toBe(200);
    await Promise.all([page.waitForURL(/notice=revoked/), page.click('button:has-text("吊销")')]);
    const revoked = await call(conditional.code, '', rotated);
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { title: string }).title).toBe('密钥已吊销');
    await ctx.close();
  }, 180_000);

  it("renders the interactive reference from this platform's script, with no request leaving it", async () => {
    const page = await (await browser.newContext()).newPage();
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(cluster.origin) && !r.url().startsWith('data:')) outside.push(r.url());
    });
    await page.goto(`${cluster.origin}/open/docs/api`);
    await page.waitForSelector('h1:has-text("一网通查 · 广西政府网站数据开放接口")', { timeout: 60_000 });
    expect(await page.textContent('body')).toContain('政策文件与解读');
    expect(outside).toEqual([]);
  }, 120_000);
});

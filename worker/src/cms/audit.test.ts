/** The audit log in workerd with D1: append-only, written with each change, read and exported by auditors only, by site. */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditStatement } from './audit.ts';
import { seedRegistry } from '../testing/sites.ts';
import { addAccount as addTestAccount, type TestGrant } from '../testing/accounts.ts';

const ORIGIN = 'http://127.0.0.1:8787';
const PASSWORD = 'Audit-test-2026';

const addAccount = (id: string, grants: TestGrant[]) => addTestAccount(id, id, PASSWORD, grants);
async function session(username: string) {
  const res = await SELF.fetch(`${ORIGIN}/api/cms/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': `10.9.${username.length}.1` },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(res.status, username).toBe(200);
  return /^([^;]+)/.exec(res.headers.get('set-cookie')!)![1]!;
}
const get = (path: string, cookie: string) => SELF.fetch(`${ORIGIN}/api/cms${path}`, { headers: { Cookie: cookie } });

beforeAll(async () => {
  await seedRegistry();
  await addAccount('auditor-all', [{ role: 'auditor', siteId: null }]);
  await addAccount('auditor-nn', [{ role: 'auditor', siteId: 'nanning' }]);
  await addAccount('editor-nn', [{ role: 'editor', siteId: 'nanning' }]);
  await env.DB.batch([
    await auditStatement(env.DB, {
      accountId: 'editor-nn',
      action: 'document.publish',
      target: 'doc-nanning-1',
      siteId: 'nanning',
      before: { v: 1 },
      after: { v: 2 },
      detail: '=HYPERLINK("http://evil")',
    }),
    await auditStatement(env.DB, { accountId: 'x', action: 'document.publish', target: 'doc-gxzf-1', siteId: 'gxzf', detail: '自治区文件' }),
  ]);
});

describe('audit log', () => {
  it('is append-only: D1 refuses updates and deletes', async () => {
    await expect(env.DB.prepare("UPDATE audit_log SET detail = 'changed'").run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare('DELETE FROM audit_log').run()).rejects.toThrow(/append-only/);
  });

  it('records logins, failed logins and logouts with who and when', async () => {
    await SELF.fetch(`${ORIGIN}/api/cms/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': '10.9.9.9' },
      body: JSON.stringify({ username: 'editor-nn', password: 'Wrong-pass-2026' }),
    });
    await session('editor-nn');
    const { results } = await env.DB.prepare("SELECT account_id, action, target, at FROM audit_log WHERE target = 'editor-nn' ORDER BY seq").all<{
      account_id: string;
      action: string;
      at: string;
    }>();
    expect(results.map((r) => r.action)).toEqual(['auth.login-failed', 'auth.login']);
    expect(results.every((r) => r.account_id === 'editor-nn' && /^\d{4}-\d{2}-\d{2}T/.test(r.at))).toBe(true);
    expect(JSON.stringify(results)).not.toContain('Wrong-pass');
  });

  it('is read by auditors only, each within the sites of their grant', async () => {
    expect((await get('/audit', '')).status).toBe(401);
    expect((await get('/audit', await session('editor-nn'))).status).toBe(403);
    const all = (await (await get('/audit?action=document.publish', await session('auditor-all'))).json()) as {
      total: number;
      entries: { target: string; beforeHash: string | null }[];
    };
    expect(all.entries.map((e) => e.target).sort()).toEqual(['doc-gxzf-1', 'doc-nanning-1']);
    expect(all.entries.find((e) => e.target === 'doc-nanning-1')!.beforeHash).toMatch(/^[0-9a-f]{64}$/);
    const nn = (await (await get('/audit', await session('auditor-nn'))).json()) as { entries: { target: string }[] };
    expect(nn.entries.map((e) => e.target)).toEqual(['doc-nanning-1']); // not 自治区 entries, not logins
  });

  it('searches and names a bad filter', async () => {
    const cookie = await session('auditor-all');
    const found = (await (await get(`/audit?q=${encodeURIComponent('自治区')}`, cookie)).json()) as { entries: { target: string }[] };
    expect(found.entries.map((e) => e.target)).toEqual(['doc-gxzf-1']);
    const bad = await get('/audit?from=yesterday', cookie);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'from' });
  });

  it('exports CSV with a header, every field quoted and formulas defused', async () => {
    const res = await get('/audit.csv?action=document.publish', await session('auditor-all'));
    expect(res.headers.get('content-type')).toContain('text/csv');
    const text = await res.text();
    const lines = text
      .replace(/^\ufeff/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('"序号","时间","账号","操作","对象","网站","修改前摘要","修改后摘要","说明"');
    expect(lines).toHaveLength(3);
    expect(text).toContain('"\'=HYPERLINK(""http://evil"")"');
  });
});

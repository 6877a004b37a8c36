/** The first platform admin of a new deployment (npm run account:admin → addPlatformAdmin), in workerd with D1. */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { addPlatformAdmin } from './accounts.ts';
import { seedRegistry } from '../testing/sites.ts';

const ORIGIN = 'http://127.0.0.1:8787';
const PASSWORD = 'First-admin-2026';

beforeAll(async () => {
  await seedRegistry();
});

describe('first platform admin', () => {
  it('can sign in and holds a platform-wide admin grant, and its creation is audited by system', async () => {
    const made = await addPlatformAdmin(env.DB, { username: 'gx-admin', displayName: '自治区平台管理员', password: PASSWORD });
    const res = await SELF.fetch(`${ORIGIN}/api/cms/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'gx-admin', password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    const body = await res.json<{ grants: { role: string; siteId: string | null }[] }>();
    expect(body.grants).toEqual([expect.objectContaining({ role: 'platform-admin', siteId: null })]);
    const audit = await env.DB.prepare("SELECT account_id, action, target FROM audit_log WHERE action = 'account.create'").all();
    expect(audit.results).toEqual([{ account_id: 'system', action: 'account.create', target: 'gx-admin' }]);
    expect(made.username).toBe('gx-admin');
  });

  it('refuses a user name that exists and changes nothing', async () => {
    const before = await env.DB.prepare(
      'SELECT (SELECT count(*) FROM accounts) AS a, (SELECT count(*) FROM grants) AS g, (SELECT count(*) FROM audit_log) AS l',
    ).first();
    await expect(addPlatformAdmin(env.DB, { username: 'GX-Admin', displayName: '重复', password: 'Another-pass-2026' })).rejects.toThrow(/gx-admin 已存在/);
    const after = await env.DB.prepare(
      'SELECT (SELECT count(*) FROM accounts) AS a, (SELECT count(*) FROM grants) AS g, (SELECT count(*) FROM audit_log) AS l',
    ).first();
    expect(after).toEqual(before);
  });

  it('names the field of a weak password or a bad user name, and writes nothing', async () => {
    const count = async () => (await env.DB.prepare('SELECT count(*) AS n FROM accounts').first<{ n: number }>())!.n;
    const n = await count();
    const weak = await addPlatformAdmin(env.DB, { username: 'gx-admin2', displayName: '管理员', password: 'short1' }).catch((e: unknown) => e);
    expect(weak).toBeInstanceOf(ZodError);
    expect((weak as ZodError).issues.map((i) => [i.path.join('.'), i.message])).toEqual([['password', '密码至少 10 位']]);
    const badName = await addPlatformAdmin(env.DB, { username: '1admin', displayName: '管理员', password: PASSWORD }).catch((e: unknown) => e);
    expect((badName as ZodError).issues.map((i) => i.path.join('.'))).toEqual(['username']);
    expect(await count()).toBe(n);
  });
});

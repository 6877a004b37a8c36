/** CMS accounts for Worker tests, written through the real table mapping with real PBKDF2 hashes. */
import { SELF, env } from 'cloudflare:test';
import { expect } from 'vitest';
import { AccountSchema, GrantSchema, TABLES, insertSql, toRow } from '@ywtc/cms-schema';
import { hashPassword } from '../cms/password.ts';

export type TestGrant = { role: string; siteId: string | null; level?: number };

export async function addAccount(id: string, username: string, password: string, grants: TestGrant[] = []) {
  const now = new Date().toISOString();
  const account = AccountSchema.parse({ id, username, displayName: username, ...(await hashPassword(password)), createdAt: now, passwordChangedAt: now });
  await env.DB.batch([
    env.DB.prepare(insertSql(TABLES.accounts)).bind(...toRow(TABLES.accounts, account)),
    ...grants.map((g, i) =>
      env.DB.prepare(insertSql(TABLES.grants)).bind(...toRow(TABLES.grants, GrantSchema.parse({ id: `${id}-${i}`, accountId: id, level: null, ...g }))),
    ),
  ]);
}

export type Session = { cookie: string; csrf: string };
let lastAddress = 0;
/**
 * Logs in through the API as a browser would; each login comes from its own client address, so the per-address
 * throttle never counts one test's logins against another's.
 */
export async function login(username: string, password: string): Promise<Session> {
  const res = await SELF.fetch('http://127.0.0.1:8787/api/cms/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': `10.${100 + ((++lastAddress >> 8) & 127)}.${lastAddress & 255}.1` },
    body: JSON.stringify({ username, password }),
  });
  expect(res.status, username).toBe(200);
  return { cookie: /^([^;]+)/.exec(res.headers.get('set-cookie')!)![1]!, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

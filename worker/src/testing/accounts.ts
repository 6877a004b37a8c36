/** CMS accounts for Worker tests, written through the real table mapping with real PBKDF2 hashes. */
import { SELF, env } from 'cloudflare:test';
import { expect } from 'vitest';
import { newAccountStatements, type NewAccount } from '../cms/accounts.ts';

export type TestGrant = NewAccount['grants'][number];

export async function addAccount(id: string, username: string, password: string, grants: TestGrant[] = []) {
  const { statements } = await newAccountStatements(env.DB, { id, username, displayName: username, password, grants }, new Date());
  await env.DB.batch(statements);
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

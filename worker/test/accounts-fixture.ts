/** CMS accounts for Worker tests, written through the real table mapping with real PBKDF2 hashes. */
import { env } from 'cloudflare:test';
import { AccountSchema, GrantSchema, TABLES, insertSql, toRow } from '@ywtc/cms-schema';
import { hashPassword } from '../src/cms/password.ts';

export type TestGrant = { role: string; siteId: string | null; level?: number };

export async function addAccount(id: string, username: string, password: string, grants: TestGrant[] = []) {
  const now = new Date().toISOString();
  const account = AccountSchema.parse({ id, username, displayName: username, ...(await hashPassword(password)), createdAt: now, passwordChangedAt: now });
  await env.DB.batch([
    env.DB.prepare(insertSql(TABLES.accounts)).bind(...toRow(TABLES.accounts, account)),
    ...grants.map((g, i) => env.DB.prepare(insertSql(TABLES.grants)).bind(...toRow(TABLES.grants, GrantSchema.parse({ id: `${id}-${i}`, accountId: id, level: null, ...g })))),
  ]);
}

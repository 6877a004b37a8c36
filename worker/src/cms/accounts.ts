/** Accounts and their grants in D1, through the column mapping the zod schemas define (cms-schema table.ts). */
import { z } from 'zod';
import {
  AccountSchema,
  GrantSchema,
  PasswordSchema,
  TABLES,
  UsernameSchema,
  fromRow,
  insertSql,
  selectColumns,
  toRow,
  type Account,
  type Grant,
} from '@ywtc/cms-schema';
import { auditStatement } from './audit.ts';
import { hashPassword } from './password.ts';

export async function accountByUsername(db: D1Database, username: string): Promise<Account | null> {
  const row = await db
    .prepare(`SELECT ${selectColumns(TABLES.accounts)} FROM accounts WHERE username = ?`)
    .bind(username)
    .first();
  return row ? fromRow(TABLES.accounts, row) : null;
}

export async function accountById(db: D1Database, id: string): Promise<Account | null> {
  const row = await db
    .prepare(`SELECT ${selectColumns(TABLES.accounts)} FROM accounts WHERE id = ?`)
    .bind(id)
    .first();
  return row ? fromRow(TABLES.accounts, row) : null;
}

export async function grantsOf(db: D1Database, accountId: string): Promise<Grant[]> {
  const { results } = await db
    .prepare(`SELECT ${selectColumns(TABLES.grants)} FROM grants WHERE account_id = ? ORDER BY id`)
    .bind(accountId)
    .all();
  return results.map((r) => fromRow(TABLES.grants, r));
}

/** What the API shows of an account: never its password hash. */
export const publicAccount = (a: Account) => ({
  id: a.id,
  username: a.username,
  displayName: a.displayName,
  isDemo: a.isDemo,
  passwordChangedAt: a.passwordChangedAt,
});

/** The first platform admin of a new deployment: who, and the password they will change after signing in. */
export const FirstAdminSchema = z.object({
  username: UsernameSchema,
  displayName: z.string({ error: '请填写显示名称' }).trim().min(1, '请填写显示名称').max(40, '显示名称不能超过 40 个字'),
  password: PasswordSchema,
});
export type FirstAdmin = z.input<typeof FirstAdminSchema>;

/**
 * Adds a platform admin account (`npm run account:admin`): how a production store gets its first account, since
 * every account after it is made by an admin. The account, its grant and the audit row (by `system`) are one
 * batch; an existing user name is refused and changes nothing.
 */
export interface NewAccount {
  id: string;
  username: string;
  displayName: string;
  password: string;
  isDemo?: boolean;
  grants: { role: Grant['role']; siteId: string | null; level?: number }[];
}

/** The statements that add an account and its grants (for the caller's batch), checked by the schemas. */
export async function newAccountStatements(db: D1Database, a: NewAccount, now: Date): Promise<{ account: Account; statements: D1PreparedStatement[] }> {
  const at = now.toISOString();
  const account = AccountSchema.parse({
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    ...(await hashPassword(a.password)),
    isDemo: a.isDemo ?? false,
    createdAt: at,
    passwordChangedAt: at,
  });
  const grants = a.grants.map((g, i) => GrantSchema.parse({ id: `${a.id}-${i}`, accountId: a.id, level: null, ...g }));
  return {
    account,
    statements: [
      db.prepare(insertSql(TABLES.accounts)).bind(...toRow(TABLES.accounts, account)),
      ...grants.map((g) => db.prepare(insertSql(TABLES.grants)).bind(...toRow(TABLES.grants, g))),
    ],
  };
}

/**
 * Adds a platform admin account (`npm run account:admin`): how a production store gets its first account, since
 * every account after it is made by an admin. The account, its grant and the audit row (by `system`) are one
 * batch; an existing user name is refused and changes nothing.
 */
export async function addPlatformAdmin(db: D1Database, input: FirstAdmin, now = new Date()): Promise<{ id: string; username: string }> {
  const a = FirstAdminSchema.parse(input);
  if (await accountByUsername(db, a.username)) throw new Error(`用户名 ${a.username} 已存在，未作任何更改`);
  const id = `acct-${crypto.randomUUID().replace(/-/g, '')}`;
  const { account, statements } = await newAccountStatements(db, { id, ...a, grants: [{ role: 'platform-admin', siteId: null }] }, now);
  await db.batch([
    ...statements,
    await auditStatement(
      db,
      { accountId: 'system', action: 'account.create', target: a.username, siteId: null, after: publicAccount(account), detail: '平台管理员（命令行创建）' },
      now,
    ),
  ]);
  return { id, username: a.username };
}

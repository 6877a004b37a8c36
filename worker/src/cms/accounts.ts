/** Accounts and their grants in D1, through the column mapping the zod schemas define (cms-schema table.ts). */
import { TABLES, fromRow, selectColumns, type Account, type Grant } from '@ywtc/cms-schema';

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

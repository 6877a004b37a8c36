/**
 * Logging in, once for the API and the admin pages: throttling, the password check (unknown names take as
 * long and get the same answer as wrong passwords), the audit entry, and a new session.
 */
import type { Account } from '@ywtc/cms-schema';
import { accountByUsername } from './accounts.ts';
import { auditStatement } from './audit.ts';
import { DECOY, verifyPassword } from './password.ts';
import { createSession, type Session } from './session.ts';
import { returnAttempt, takeAttempt, throttleKeys } from './throttle.ts';

export type LoginResult =
  { ok: true; account: Account; token: string; session: Session } | { ok: false; status: 401 | 429; message: string; retryAfter?: number };

export async function authenticate(db: D1Database, username: string, password: string, clientAddress: string): Promise<LoginResult> {
  const keys = await throttleKeys(username, clientAddress);
  // Counted before the password is checked (throttle.ts), so concurrent guesses cannot slip past the limit.
  const wait = await takeAttempt(db, keys);
  if (wait > 0) return { ok: false, status: 429, message: `登录失败次数过多，请 ${Math.ceil(wait / 60)} 分钟后再试`, retryAfter: wait };
  const account = await accountByUsername(db, username);
  const ok = await verifyPassword(password, account ?? DECOY);
  if (!account || !ok || account.disabled) {
    await (await auditStatement(db, { accountId: account?.id ?? null, action: 'auth.login-failed', target: username, siteId: null })).run();
    return { ok: false, status: 401, message: '用户名或密码错误' };
  }
  await db.batch([...returnAttempt(db, keys), await auditStatement(db, { accountId: account.id, action: 'auth.login', target: username, siteId: null })]);
  const { token, session } = await createSession(db, account.id);
  return { ok: true, account, token, session };
}

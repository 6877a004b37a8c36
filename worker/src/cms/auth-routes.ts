/**
 * /api/cms: log in, log out, who am I, change password. Bad input gets a 400 naming the field; nothing here
 * ever answers 5xx for what a client sent. Access (and CSRF for changes) is access/authorize.ts's.
 */
import { Hono, type Context } from 'hono';
import { LoginSchema, PasswordChangeSchema, type StaffPrincipal } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { setPrincipal, staffOf } from '../access/authenticate.ts';
import { invalid, jsonBody, noStore } from '../platform/http.ts';
import { accountById, grantsOf, publicAccount } from './accounts.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { authenticate } from './login.ts';
import { clearedCookie, endOtherSessions, endSession, sessionCookie } from './session.ts';
import { auditStatement } from './audit.ts';
import { clientAddress } from './client-address.ts';

async function me(c: Context<AppEnv>, p: StaffPrincipal) {
  const account = await accountById(c.env.DB, p.accountId);
  return { account: account ? publicAccount(account) : null, grants: p.grants, csrfToken: p.csrfToken };
}

export const authRoutes = new Hono<AppEnv>();

authRoutes.post('/login', authorize('account', 'login'), async (c) => {
  const parsed = LoginSchema.safeParse(await jsonBody(c));
  if (!parsed.success) return invalid(c, parsed.error);
  const r = await authenticate(c.env.DB, parsed.data.username, parsed.data.password, clientAddress(c));
  if (!r.ok)
    return c.json({ error: r.status === 429 ? 'throttled' : 'unauthenticated', message: r.message }, r.status, {
      ...noStore,
      ...(r.retryAfter ? { 'Retry-After': String(r.retryAfter) } : {}),
    });
  const p: StaffPrincipal = {
    kind: 'staff',
    accountId: r.account.id,
    username: r.account.username,
    displayName: r.account.displayName,
    grants: await grantsOf(c.env.DB, r.account.id),
    csrfToken: r.session.csrfToken,
    sessionHash: r.session.tokenHash,
  };
  setPrincipal(c, p);
  return c.json(await me(c, p), 200, { ...noStore, 'Set-Cookie': sessionCookie(r.token) });
});

authRoutes.post('/logout', authorize('account', 'self'), async (c) => {
  const p = staffOf(c);
  await c.env.DB.batch([
    endSession(c.env.DB, p.sessionHash),
    await auditStatement(c.env.DB, { accountId: p.accountId, action: 'auth.logout', target: p.username, siteId: null }),
  ]);
  return c.json({ ok: true }, 200, { ...noStore, 'Set-Cookie': clearedCookie() });
});

authRoutes.get('/me', authorize('account', 'self'), async (c) => c.json(await me(c, staffOf(c)), 200, noStore));

authRoutes.post('/password', authorize('account', 'self'), async (c) => {
  const parsed = PasswordChangeSchema.safeParse(await jsonBody(c));
  if (!parsed.success) return invalid(c, parsed.error);
  const p = staffOf(c);
  const account = await accountById(c.env.DB, p.accountId);
  if (!account) return c.json({ error: 'unauthenticated', message: '请先登录' }, 401, noStore);
  if (!(await verifyPassword(parsed.data.current, account))) return c.json({ error: 'invalid', field: 'current', message: '当前密码不正确' }, 400, noStore);
  if (parsed.data.next === parsed.data.current) return c.json({ error: 'invalid', field: 'next', message: '新密码不能与当前密码相同' }, 400, noStore);
  const hash = await hashPassword(parsed.data.next);
  await c.env.DB.batch([
    c.env.DB.prepare('UPDATE accounts SET password_hash = ?, password_salt = ?, password_iterations = ?, password_changed_at = ? WHERE id = ?').bind(
      hash.passwordHash,
      hash.passwordSalt,
      hash.passwordIterations,
      new Date().toISOString(),
      account.id,
    ),
    endOtherSessions(c.env.DB, account.id, p.sessionHash),
    await auditStatement(c.env.DB, {
      accountId: account.id,
      action: 'account.password',
      target: account.username,
      siteId: null,
      detail: '修改密码，其他会话已退出',
    }),
  ]);
  return c.json({ ok: true }, 200, noStore);
});

/**
 * /api/cms on the platform hosts: log in, log out, who am I, change password. Every mutation needs the
 * session's CSRF token in `X-CSRF-Token` and, when the browser sends one, an Origin of this host; the session
 * cookie is SameSite=Strict besides. Bad input gets a 400 naming the field; nothing here ever answers 5xx for
 * what a client sent.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { LoginSchema, PasswordChangeSchema, type Account, type Grant } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { invalid, jsonBody, noStore } from './http.ts';
import { accountById, grantsOf, publicAccount } from './accounts.ts';
import { hashPassword, sameString, verifyPassword } from './password.ts';
import { authenticate } from './login.ts';
import { SESSION_COOKIE, clearedCookie, endOtherSessions, endSession, readSession, sessionCookie, type Session } from './session.ts';
import { auditStatement } from './audit.ts';
import { auditRoutes } from './audit-routes.ts';
import { documentRoutes } from './document-routes.ts';
import { checkTermRoutes } from './check-term-routes.ts';
import { siteRoutes } from './site-routes.ts';

export type CmsEnv = AppEnv & { Variables: { session: Session; account: Account; grants: Grant[] } };


/** The signed-in account, or 401. */
export const requireSession: MiddlewareHandler<CmsEnv> = async (c, next) => {
  const session = await readSession(c.env.DB, getCookie(c, SESSION_COOKIE));
  const account = session ? await accountById(c.env.DB, session.accountId) : null;
  if (!session || !account) return c.json({ error: 'unauthenticated', message: '请先登录' }, 401, noStore);
  c.set('session', session);
  c.set('account', account);
  c.set('grants', await grantsOf(c.env.DB, account.id));
  await next();
};

/** Mutations carry the session's CSRF token and come from this origin. */
export const requireCsrf: MiddlewareHandler<CmsEnv> = async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
  const origin = c.req.header('origin');
  const token = c.req.header('x-csrf-token') ?? '';
  if ((origin && origin !== new URL(c.req.url).origin) || !sameString(token, c.get('session').csrfToken)) {
    return c.json({ error: 'csrf', message: '请求来源无法验证，请刷新页面后重试' }, 403, noStore);
  }
  await next();
};

const me = (c: Context<CmsEnv>) => ({ account: publicAccount(c.get('account')), grants: c.get('grants'), csrfToken: c.get('session').csrfToken });

export const cmsAuth = new Hono<CmsEnv>().basePath('/api/cms');

cmsAuth.post('/login', async (c) => {
  const parsed = LoginSchema.safeParse(await jsonBody(c));
  if (!parsed.success) return invalid(c, parsed.error);
  const r = await authenticate(c.env.DB, parsed.data.username, parsed.data.password, c.req.header('cf-connecting-ip') ?? 'local');
  if (!r.ok) return c.json({ error: r.status === 429 ? 'throttled' : 'unauthenticated', message: r.message }, r.status, { ...noStore, ...(r.retryAfter ? { 'Retry-After': String(r.retryAfter) } : {}) });
  c.set('session', r.session);
  c.set('account', r.account);
  c.set('grants', await grantsOf(c.env.DB, r.account.id));
  return c.json(me(c), 200, { ...noStore, 'Set-Cookie': sessionCookie(r.token) });
});

cmsAuth.use('/logout', requireSession, requireCsrf);
cmsAuth.post('/logout', async (c) => {
  await c.env.DB.batch([endSession(c.env.DB, c.get('session').tokenHash), await auditStatement(c.env.DB, { accountId: c.get('account').id, action: 'auth.logout', target: c.get('account').username, siteId: null })]);
  return c.json({ ok: true }, 200, { ...noStore, 'Set-Cookie': clearedCookie() });
});

cmsAuth.use('/me', requireSession);
cmsAuth.get('/me', (c) => c.json(me(c), 200, noStore));

cmsAuth.use('/password', requireSession, requireCsrf);
cmsAuth.post('/password', async (c) => {
  const parsed = PasswordChangeSchema.safeParse(await jsonBody(c));
  if (!parsed.success) return invalid(c, parsed.error);
  const account = c.get('account');
  if (!(await verifyPassword(parsed.data.current, account))) return c.json({ error: 'invalid', field: 'current', message: '当前密码不正确' }, 400, noStore);
  if (parsed.data.next === parsed.data.current) return c.json({ error: 'invalid', field: 'next', message: '新密码不能与当前密码相同' }, 400, noStore);
  const hash = await hashPassword(parsed.data.next);
  await c.env.DB.batch([
    c.env.DB.prepare('UPDATE accounts SET password_hash = ?, password_salt = ?, password_iterations = ?, password_changed_at = ? WHERE id = ?')
      .bind(hash.passwordHash, hash.passwordSalt, hash.passwordIterations, new Date().toISOString(), account.id),
    endOtherSessions(c.env.DB, account.id, c.get('session').tokenHash),
    await auditStatement(c.env.DB, { accountId: account.id, action: 'account.password', target: account.username, siteId: null, detail: '修改密码，其他会话已退出' }),
  ]);
  return c.json({ ok: true }, 200, noStore);
});

cmsAuth.use('/audit', requireSession);
cmsAuth.use('/audit.csv', requireSession);
cmsAuth.route('/', auditRoutes);
cmsAuth.use('/documents', requireSession, requireCsrf);
cmsAuth.use('/documents/*', requireSession, requireCsrf);
cmsAuth.route('/', documentRoutes);
cmsAuth.use('/check-terms', requireSession, requireCsrf);
cmsAuth.route('/', checkTermRoutes);
cmsAuth.use('/sites', requireSession, requireCsrf);
cmsAuth.use('/sites/*', requireSession, requireCsrf);
cmsAuth.route('/', siteRoutes);

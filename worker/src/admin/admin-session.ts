/** The admin pages' guard: the signed-in account and its grants, or a redirect to the login form. */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { CmsEnv } from '../cms/auth-routes.ts';
import { accountById, grantsOf } from '../cms/accounts.ts';
import { noStore } from '../cms/http.ts';
import { SESSION_COOKIE, readSession } from '../cms/session.ts';
import type { Viewer } from './admin-layout.ts';

export const requirePageSession: MiddlewareHandler<CmsEnv> = async (c, next) => {
  const session = await readSession(c.env.DB, getCookie(c, SESSION_COOKIE));
  const account = session ? await accountById(c.env.DB, session.accountId) : null;
  if (!session || !account) return c.redirect('/admin/login', 303);
  c.set('session', session);
  c.set('account', account);
  c.set('grants', await grantsOf(c.env.DB, account.id));
  await next();
  c.res.headers.set('Cache-Control', noStore['Cache-Control']);
};

export const viewerOf = (c: Context<CmsEnv>): Viewer =>
  ({ displayName: c.get('account').displayName, csrf: c.get('session').csrfToken });

/**
 * Who is asking, established once per request and only when a route asks (page serving never pays for it):
 * the publishing token → the `publisher` machine; the CMS session cookie → a staff member with their grants;
 * anything else → an anonymous citizen. Every credential the platform accepts is read here and nowhere else.
 */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { ANONYMOUS, type Principal, type StaffPrincipal } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { accountById, grantsOf } from '../cms/accounts.ts';
import { SESSION_COOKIE, readSession } from '../cms/session.ts';
import { sameString } from '../cms/password.ts';

/** The publishing API exists only with a token this long (a short one is as good as none). */
export const MIN_TOKEN_LENGTH = 32;

async function tokenMatches(given: string, expected: string): Promise<boolean> {
  const enc = new TextEncoder();
  // Hash both first: the comparison then takes the same time whatever the lengths.
  const [a, b] = await Promise.all([crypto.subtle.digest('SHA-256', enc.encode(given)), crypto.subtle.digest('SHA-256', enc.encode(expected))]);
  return crypto.subtle.timingSafeEqual(a, b);
}

async function resolve(c: Context<AppEnv>): Promise<Principal> {
  const bearer = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
  if (bearer !== undefined) {
    const expected = c.env.INGEST_TOKEN;
    return expected && expected.length >= MIN_TOKEN_LENGTH && (await tokenMatches(bearer, expected)) ? { kind: 'machine', name: 'publisher' } : ANONYMOUS;
  }
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return ANONYMOUS;
  const session = await readSession(c.env.DB, token);
  const account = session ? await accountById(c.env.DB, session.accountId) : null;
  if (!session || !account || account.disabled) return ANONYMOUS;
  return {
    kind: 'staff',
    accountId: account.id,
    username: account.username,
    displayName: account.displayName,
    grants: await grantsOf(c.env.DB, account.id),
    csrfToken: session.csrfToken,
    sessionHash: session.tokenHash,
  };
}

/** The request's principal (resolved on first use, then kept on the context). */
export async function principalOf(c: Context<AppEnv>): Promise<Principal> {
  let p = c.get('principal') as Principal | undefined;
  if (!p) {
    p = await resolve(c);
    c.set('principal', p);
  }
  return p;
}

/** Sets the principal for the rest of the request (after a login, the new session's staff member). */
export const setPrincipal = (c: Context<AppEnv>, p: Principal) => c.set('principal', p);

/** Constant-time equality of a submitted CSRF token with the session's. */
export const csrfMatches = (given: unknown, p: Principal) => p.kind === 'staff' && typeof given === 'string' && sameString(given, p.csrfToken);

/** The staff member a route declared for staff serves (authorize let nobody else through). */
export function staffOf(c: Context<AppEnv>): StaffPrincipal {
  const p = c.get('principal') as Principal | undefined;
  if (p?.kind !== 'staff') throw new Error('staffOf: the route is not guarded by authorize() for staff');
  return p;
}

/**
 * Who is asking, established once per request and only when a route asks (page serving never pays for it):
 * the publishing token → the `publisher` machine; an `X-Api-Key` header → a program of an external unit with
 * the interfaces its unit was granted; a signed `YWTC-HMAC-SHA256` Authorization → a separately built platform
 * pushing into the content store (import-source.ts); the CMS session cookie → a staff member with their grants; the
 * open-data portal's session cookie → an external unit's account; anything else → an anonymous citizen. Only
 * the credentials of the kinds a route serves are read (a portal page reads the unit's cookie, not the staff
 * one), so a browser signed in to both gets the principal the route is for. Every credential the platform
 * accepts is read here and nowhere else.
 */
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { ANONYMOUS, API_KEY_PATTERN, type KeyGrant, type Principal, type PrincipalKind, type StaffPrincipal, type UnitPrincipal } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { accountById, grantsOf } from '../cms/accounts.ts';
import { SESSION_COOKIE, UNIT_SESSIONS, readSession } from '../cms/session.ts';
import { sameString, sha256Hex } from '../cms/password.ts';
import { importSource } from './import-source.ts';

/** The publishing API exists only with a token this long (a short one is as good as none). */
export const MIN_TOKEN_LENGTH = 32;

async function tokenMatches(given: string, expected: string): Promise<boolean> {
  const enc = new TextEncoder();
  // Hash both first: the comparison then takes the same time whatever the lengths.
  const [a, b] = await Promise.all([crypto.subtle.digest('SHA-256', enc.encode(given)), crypto.subtle.digest('SHA-256', enc.encode(expected))]);
  return crypto.subtle.timingSafeEqual(a, b);
}

/** Why a presented API key was not accepted (the open-data routes say so in their 401). */
export type KeyRefusal = 'unauthenticated' | 'key-revoked' | 'key-expired' | 'unit-suspended';

async function machine(c: Context<AppEnv>, bearer: string): Promise<Principal> {
  const expected = c.env.INGEST_TOKEN;
  return expected && expected.length >= MIN_TOKEN_LENGTH && (await tokenMatches(bearer, expected)) ? { kind: 'machine', name: 'publisher' } : ANONYMOUS;
}

/** One D1 read: the key (by its hash), its unit's standing, the unit's approved applications as grants, and the data version. */
async function apiKey(c: Context<AppEnv>, key: string): Promise<Principal> {
  const refuse = (why: KeyRefusal) => (c.set('keyRefusal', why), ANONYMOUS);
  if (!API_KEY_PATTERN.test(key)) return refuse('unauthenticated');
  const row = await c.env.DB.prepare(
    `SELECT k.id, k.unit_id, k.expires_at, k.revoked_at, u.status,
       (SELECT json_group_array(json_object('code', a.code, 'dailyQuota', a.daily_quota, 'endsOn', a.ends_on))
        FROM open_applications a WHERE a.unit_id = k.unit_id AND a.status = 'approved') AS grants,
       (SELECT seq FROM sqlite_sequence WHERE name = 'open_changes') AS data_version
     FROM open_keys k JOIN open_units u ON u.id = k.unit_id WHERE k.key_hash = ?`,
  )
    .bind(await sha256Hex(key))
    .first<{ id: string; unit_id: string; expires_at: string; revoked_at: string | null; status: string; grants: string; data_version: number | null }>();
  if (!row) return refuse('unauthenticated');
  if (row.revoked_at) return refuse('key-revoked');
  if (Date.parse(row.expires_at) <= Date.now()) return refuse('key-expired');
  if (row.status !== 'active') return refuse('unit-suspended');
  // Read in the same round trip: the content store's change counter, which the interfaces' answer cache is keyed by.
  c.set('dataVersion', row.data_version ?? 0);
  return { kind: 'apiKey', keyId: row.id, unitId: row.unit_id, grants: JSON.parse(row.grants) as KeyGrant[] };
}

async function staff(c: Context<AppEnv>, token: string): Promise<Principal> {
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

async function unit(c: Context<AppEnv>, token: string): Promise<Principal> {
  const session = await readSession(c.env.DB, token, Date.now(), UNIT_SESSIONS);
  if (!session) return ANONYMOUS;
  const row = await c.env.DB.prepare('SELECT a.username, u.id AS unit_id, u.name FROM open_accounts a JOIN open_units u ON u.id = a.unit_id WHERE a.id = ?')
    .bind(session.accountId)
    .first<{ username: string; unit_id: string; name: string }>();
  if (!row) return ANONYMOUS;
  const p: UnitPrincipal = {
    kind: 'unit',
    accountId: session.accountId,
    unitId: row.unit_id,
    unitName: row.name,
    username: row.username,
    csrfToken: session.csrfToken,
    sessionHash: session.tokenHash,
  };
  return p;
}

const ALL_KINDS: readonly PrincipalKind[] = ['machine', 'apiKey', 'importSource', 'staff', 'unit', 'anonymous'];

async function resolveKinds(c: Context<AppEnv>, kinds: readonly PrincipalKind[]): Promise<Principal> {
  const bearer = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1];
  if (bearer !== undefined && kinds.includes('machine')) return machine(c, bearer);
  const authorization = c.req.header('authorization') ?? '';
  if (authorization.startsWith('YWTC-HMAC-SHA256 ') && kinds.includes('importSource')) return importSource(c, authorization);
  const key = c.req.header('x-api-key');
  if (key !== undefined && kinds.includes('apiKey')) return apiKey(c, key);
  for (const kind of kinds) {
    const token = kind === 'staff' ? getCookie(c, SESSION_COOKIE) : kind === 'unit' ? getCookie(c, UNIT_SESSIONS.cookie) : undefined;
    if (!token) continue;
    const p = kind === 'staff' ? await staff(c, token) : await unit(c, token);
    if (p.kind !== 'anonymous') return p;
  }
  return ANONYMOUS;
}

/**
 * The kinds the route serves first; then any other credential the request carries, so that a signed-in
 * person on a route for machines (or a unit on a CMS page) is told "not for you" (403) rather than "log in".
 */
async function resolve(c: Context<AppEnv>, kinds: readonly PrincipalKind[]): Promise<Principal> {
  const p = await resolveKinds(c, kinds);
  if (p.kind !== 'anonymous' || kinds.length === ALL_KINDS.length) return p;
  return resolveKinds(
    c,
    ALL_KINDS.filter((k) => !kinds.includes(k)),
  );
}

/**
 * The request's principal among the kinds a route serves, in the order given (resolved on first use, then
 * kept on the context).
 */
export async function principalOf(c: Context<AppEnv>, kinds: readonly PrincipalKind[] = ALL_KINDS): Promise<Principal> {
  let p = c.get('principal') as Principal | undefined;
  if (!p) {
    p = await resolve(c, kinds);
    c.set('principal', p);
  }
  return p;
}

/** Sets the principal for the rest of the request (after a login, the new session's staff member). */
export const setPrincipal = (c: Context<AppEnv>, p: Principal) => c.set('principal', p);

/** Constant-time equality of a submitted CSRF token with the session's. */
export const csrfMatches = (given: unknown, p: Principal) =>
  (p.kind === 'staff' || p.kind === 'unit') && typeof given === 'string' && sameString(given, p.csrfToken);

/** The staff member a route declared for staff serves (authorize let nobody else through). */
export function staffOf(c: Context<AppEnv>): StaffPrincipal {
  const p = c.get('principal') as Principal | undefined;
  if (p?.kind !== 'staff') throw new Error('staffOf: the route is not guarded by authorize() for staff');
  return p;
}

/** The external unit's account a portal route declared for units serves. */
export function unitOf(c: Context<AppEnv>): UnitPrincipal {
  const p = c.get('principal') as Principal | undefined;
  if (p?.kind !== 'unit') throw new Error('unitOf: the route is not guarded by authorize() for units');
  return p;
}

/**
 * Sessions: a random token in an HttpOnly, Secure, SameSite=Strict cookie with the __Host- prefix (no Domain,
 * Path=/, so no other host can set or read it); D1 keeps only its SHA-256. A session ends after 30 minutes
 * without use or 8 hours in all; each carries its own CSRF token for mutations. The open-data portal's unit
 * accounts (数据使用单位) follow the same rules with their own cookie and table (UNIT_SESSIONS).
 */
import { randomToken, sha256Hex } from './password.ts';

export const SESSION_COOKIE = '__Host-ywtc_session';
export const UNIT_SESSION_COOKIE = '__Host-ywtc_open';

/** Where a kind of account keeps its sessions, and the join that tells a session's account may still use it. */
export interface SessionStore {
  table: 'sessions' | 'open_sessions';
  cookie: string;
  accountJoin: string;
}
export const STAFF_SESSIONS: SessionStore = {
  table: 'sessions',
  cookie: SESSION_COOKIE,
  accountJoin: 'JOIN accounts a ON a.id = s.account_id AND a.disabled = 0',
};
export const UNIT_SESSIONS: SessionStore = { table: 'open_sessions', cookie: UNIT_SESSION_COOKIE, accountJoin: 'JOIN open_accounts a ON a.id = s.account_id' };
export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 8 * 3600_000;
/** Last-use stamps are written at most this often (a write per request would be a write per click). */
const TOUCH_MS = 60_000;

export interface Session {
  tokenHash: string;
  accountId: string;
  csrfToken: string;
}

export async function createSession(
  db: D1Database,
  accountId: string,
  now = Date.now(),
  store: SessionStore = STAFF_SESSIONS,
): Promise<{ token: string; session: Session }> {
  const token = randomToken();
  const session = { tokenHash: await sha256Hex(token), accountId, csrfToken: randomToken() };
  await db
    .prepare(`INSERT INTO ${store.table} (token_hash, account_id, csrf_token, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`)
    .bind(session.tokenHash, accountId, session.csrfToken, now, now, now + ABSOLUTE_MS)
    .run();
  return { token, session };
}

export async function readSession(db: D1Database, token: string | undefined, now = Date.now(), store: SessionStore = STAFF_SESSIONS): Promise<Session | null> {
  if (!token || token.length > 100) return null;
  const tokenHash = await sha256Hex(token);
  const row = await db
    .prepare(`SELECT s.account_id, s.csrf_token, s.last_seen_at, s.expires_at FROM ${store.table} s ${store.accountJoin} WHERE s.token_hash = ?`)
    .bind(tokenHash)
    .first<{ account_id: string; csrf_token: string; last_seen_at: number; expires_at: number }>();
  if (!row) return null;
  if (now >= row.expires_at || now - row.last_seen_at >= IDLE_MS) {
    await db.prepare(`DELETE FROM ${store.table} WHERE token_hash = ?`).bind(tokenHash).run();
    return null;
  }
  if (now - row.last_seen_at >= TOUCH_MS) await db.prepare(`UPDATE ${store.table} SET last_seen_at = ? WHERE token_hash = ?`).bind(now, tokenHash).run();
  return { tokenHash, accountId: row.account_id, csrfToken: row.csrf_token };
}

export const endSession = (db: D1Database, tokenHash: string, store: SessionStore = STAFF_SESSIONS) =>
  db.prepare(`DELETE FROM ${store.table} WHERE token_hash = ?`).bind(tokenHash);
/** Every session of an account but `keep` (after a password change, other devices are logged out). */
export const endOtherSessions = (db: D1Database, accountId: string, keep: string) =>
  db.prepare('DELETE FROM sessions WHERE account_id = ? AND token_hash != ?').bind(accountId, keep);

export const sessionCookie = (token: string, store: SessionStore = STAFF_SESSIONS) =>
  `${store.cookie}=${token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=${ABSOLUTE_MS / 1000}`;
export const clearedCookie = (store: SessionStore = STAFF_SESSIONS) => `${store.cookie}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0`;

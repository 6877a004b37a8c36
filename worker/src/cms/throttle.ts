/**
 * Login throttling: failures are counted per user name and per client address (both stored hashed) in a
 * 15-minute window; past 5 for a name or 20 for an address, logins are refused until the window ends, even
 * with the right password — guessing gets nowhere, and a locked-out user waits minutes, not forever.
 */
import { sha256Hex } from './password.ts';

export const WINDOW_MS = 15 * 60_000;
export const MAX_PER_USER = 5;
export const MAX_PER_CLIENT = 20;

export interface ThrottleKeys { user: string; client: string }

export async function throttleKeys(username: string, clientAddress: string): Promise<ThrottleKeys> {
  return { user: `u:${await sha256Hex(username)}`, client: `c:${await sha256Hex(clientAddress)}` };
}

/** Seconds until a login may be tried again, or 0. */
export async function retryAfter(db: D1Database, keys: ThrottleKeys, now = Date.now()): Promise<number> {
  const { results } = await db.prepare('SELECT key, window_start, failures FROM login_failures WHERE key IN (?, ?)').bind(keys.user, keys.client)
    .all<{ key: string; window_start: number; failures: number }>();
  let wait = 0;
  for (const r of results) {
    const limit = r.key === keys.user ? MAX_PER_USER : MAX_PER_CLIENT;
    const ends = r.window_start + WINDOW_MS;
    if (r.failures >= limit && ends > now) wait = Math.max(wait, Math.ceil((ends - now) / 1000));
  }
  return wait;
}

export async function recordFailure(db: D1Database, keys: ThrottleKeys, now = Date.now()): Promise<void> {
  const upsert = (key: string) => db.prepare(
    `INSERT INTO login_failures (key, window_start, failures) VALUES (?1, ?2, 1)
     ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN window_start + ?3 <= ?2 THEN 1 ELSE failures + 1 END,
       window_start = CASE WHEN window_start + ?3 <= ?2 THEN ?2 ELSE window_start END`,
  ).bind(key, now, WINDOW_MS);
  await db.batch([upsert(keys.user), upsert(keys.client)]);
}

/** A successful login clears the name's count (not the address's: one good login must not reset guessing). */
export const clearUserFailures = (db: D1Database, keys: ThrottleKeys) => db.prepare('DELETE FROM login_failures WHERE key = ?').bind(keys.user);

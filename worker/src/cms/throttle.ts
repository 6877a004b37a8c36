/**
 * Login throttling: attempts are counted per user name and per client address (both stored hashed) in a
 * 15-minute window; past 5 for a name or 20 for an address, logins are refused until the window ends, even with
 * the right password — guessing gets nowhere, and a locked-out user waits minutes, not forever.
 *
 * The count is taken *before* the password is checked, in one D1 transaction for both keys (an UPSERT that
 * returns the new count): concurrent guesses each get their own number, so 40 parallel wrong guesses get
 * exactly 5 password checks, not 5 plus however many read the count before the others wrote it. A successful
 * login then gives its attempt back: the name's count is cleared, the address's is lowered by one (one good
 * login must not reset the guessing of others behind the same address, nor count against them).
 */
import { sha256Hex } from './password.ts';

export const WINDOW_MS = 15 * 60_000;
export const MAX_PER_USER = 5;
export const MAX_PER_CLIENT = 20;

export interface ThrottleKeys {
  user: string;
  client: string;
}

export async function throttleKeys(username: string, clientAddress: string): Promise<ThrottleKeys> {
  return { user: `u:${await sha256Hex(username)}`, client: `c:${await sha256Hex(clientAddress)}` };
}

const take = (db: D1Database, key: string, now: number) =>
  db
    .prepare(
      `INSERT INTO login_failures (key, window_start, failures) VALUES (?1, ?2, 1)
   ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN window_start + ?3 <= ?2 THEN 1 ELSE failures + 1 END,
     window_start = CASE WHEN window_start + ?3 <= ?2 THEN ?2 ELSE window_start END
   RETURNING failures, window_start`,
    )
    .bind(key, now, WINDOW_MS);

/**
 * Counts this attempt for both keys at once. Returns 0 when it may go ahead, or the seconds until the window
 * of the key over its limit ends (the attempt is then not made).
 */
export async function takeAttempt(db: D1Database, keys: ThrottleKeys, now = Date.now()): Promise<number> {
  const [user, client] = await db.batch<{ failures: number; window_start: number }>([take(db, keys.user, now), take(db, keys.client, now)]);
  let wait = 0;
  for (const [r, limit] of [
    [user!.results[0]!, MAX_PER_USER],
    [client!.results[0]!, MAX_PER_CLIENT],
  ] as const) {
    if (r.failures > limit) wait = Math.max(wait, Math.ceil((r.window_start + WINDOW_MS - now) / 1000));
  }
  return Math.max(wait, 0);
}

/** A successful login gives its attempt back (see above). */
export const returnAttempt = (db: D1Database, keys: ThrottleKeys): D1PreparedStatement[] => [
  db.prepare('DELETE FROM login_failures WHERE key = ?').bind(keys.user),
  db.prepare('UPDATE login_failures SET failures = max(failures - 1, 0) WHERE key = ?').bind(keys.client),
];

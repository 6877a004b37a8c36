/**
 * Rate limits for 留言咨询 in D1 (consult_rate), the login throttle's way (cms/throttle.ts): one upsert takes a
 * slot in a fixed window and returns the count, so parallel posts cannot all slip under the limit. D1 rather than
 * the Rate Limiting binding: that binding's windows are 10 or 60 seconds, and a question form needs hours; it
 * also behaves the same under wrangler dev, in workerd tests and at the edge.
 */
import { sha256Hex } from '../cms/password.ts';

export interface Limit {
  /** What is counted; hashed before it is stored (an address is personal data). */
  key: string;
  max: number;
  windowMs: number;
}

/** Questions: 5 an hour from one address, 200 an hour into one site (a flood from many addresses), one per form. Look-ups: 30 per 10 minutes. */
export const LIMITS = {
  askPerAddress: (address: string): Limit => ({ key: `a:${address}`, max: 5, windowMs: 3_600_000 }),
  askPerSite: (siteId: string): Limit => ({ key: `s:${siteId}`, max: 200, windowMs: 3_600_000 }),
  lookupPerAddress: (address: string): Limit => ({ key: `q:${address}`, max: 30, windowMs: 600_000 }),
  /** A form's challenge token is good for one question (a token lives at most 2 hours). */
  tokenOnce: (token: string): Limit => ({ key: `t:${token}`, max: 1, windowMs: 2 * 3_600_000 }),
};

/** Takes one slot of each limit in one transaction; 0 when allowed, else the seconds until the fullest window ends. */
export async function takeSlots(db: D1Database, limits: Limit[], now = Date.now()): Promise<number> {
  const statements = await Promise.all(
    limits.map(async (l) =>
      db
        .prepare(
          `INSERT INTO consult_rate (key, window_start, count) VALUES (?1, ?2, 1)
           ON CONFLICT (key) DO UPDATE SET count = CASE WHEN window_start + ?3 <= ?2 THEN 1 ELSE count + 1 END,
             window_start = CASE WHEN window_start + ?3 <= ?2 THEN ?2 ELSE window_start END
           RETURNING count, window_start`,
        )
        .bind(await sha256Hex(l.key), now, l.windowMs),
    ),
  );
  const results = await db.batch<{ count: number; window_start: number }>(statements);
  let wait = 0;
  results.forEach((r, i) => {
    const row = r.results[0]!;
    const l = limits[i]!;
    if (row.count > l.max) wait = Math.max(wait, Math.ceil((row.window_start + l.windowMs - now) / 1000), 1);
  });
  return wait;
}

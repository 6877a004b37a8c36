/**
 * Exact daily quotas: one Durable Object per external unit counts its calls per interface and Beijing-time
 * day in its own SQLite storage. A Durable Object runs one request's synchronous code at a time, so the check
 * and the increment cannot interleave — under any concurrency, a quota of n lets exactly n calls through.
 * Counts reach D1 (open_usage, for the charts and CSV) a few seconds later by an alarm, written as absolute
 * values so that a repeated flush changes nothing.
 */
import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env.ts';

/** How soon counted calls reach D1's open_usage. */
export const FLUSH_MS = 3_000;

export interface QuotaAnswer {
  allowed: boolean;
  /** Calls counted today for this interface, including this one when allowed. */
  used: number;
}

export class OpenQuota extends DurableObject<Env> {
  private alarmSet = false;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS usage (day TEXT NOT NULL, unit_id TEXT NOT NULL, code TEXT NOT NULL, calls INTEGER NOT NULL DEFAULT 0,
         refused INTEGER NOT NULL DEFAULT 0, dirty INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (day, unit_id, code))`,
    );
  }

  /** Counts one call against the day's quota: allowed while under it, refused (and counted as such) past it. */
  take(unitId: string, code: string, day: string, quota: number): QuotaAnswer {
    const sql = this.ctx.storage.sql;
    const row = sql.exec<{ calls: number }>('SELECT calls FROM usage WHERE day = ? AND unit_id = ? AND code = ?', day, unitId, code).toArray()[0];
    const used = row?.calls ?? 0;
    const allowed = used < quota;
    sql.exec(
      `INSERT INTO usage (day, unit_id, code, calls, refused, dirty) VALUES (?, ?, ?, ?, ?, 1)
       ON CONFLICT (day, unit_id, code) DO UPDATE SET calls = calls + excluded.calls, refused = refused + excluded.refused, dirty = 1`,
      day,
      unitId,
      code,
      allowed ? 1 : 0,
      allowed ? 0 : 1,
    );
    this.scheduleFlush();
    return { allowed, used: allowed ? used + 1 : used };
  }

  /** A call refused before the quota was reached (not granted, over the short-window limit): counted, not charged. */
  refuse(unitId: string, code: string, day: string): void {
    this.ctx.storage.sql.exec(
      `INSERT INTO usage (day, unit_id, code, calls, refused, dirty) VALUES (?, ?, ?, 0, 1, 1)
       ON CONFLICT (day, unit_id, code) DO UPDATE SET refused = refused + 1, dirty = 1`,
      day,
      unitId,
      code,
    );
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.alarmSet) return;
    this.alarmSet = true;
    void this.ctx.storage.setAlarm(Date.now() + FLUSH_MS);
  }

  /** Writes every count changed since the last flush to D1 (absolute values, so a repeat is harmless). */
  async flush(): Promise<number> {
    const rows = this.ctx.storage.sql
      .exec<{ day: string; unit_id: string; code: string; calls: number; refused: number }>(
        'SELECT day, unit_id, code, calls, refused FROM usage WHERE dirty = 1',
      )
      .toArray();
    if (rows.length === 0) return 0;
    await this.env.DB.batch(
      rows.map((r) =>
        this.env.DB.prepare(
          `INSERT INTO open_usage (day, unit_id, code, calls, refused) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (day, unit_id, code) DO UPDATE SET calls = excluded.calls, refused = excluded.refused`,
        ).bind(r.day, r.unit_id, r.code, r.calls, r.refused),
      ),
    );
    // Only what was written is marked clean: a call counted during the write stays dirty for the next flush.
    for (const r of rows)
      this.ctx.storage.sql.exec(
        'UPDATE usage SET dirty = 0 WHERE day = ? AND unit_id = ? AND code = ? AND calls = ? AND refused = ?',
        r.day,
        r.unit_id,
        r.code,
        r.calls,
        r.refused,
      );
    // Days older than a week are in D1 for good.
    this.ctx.storage.sql.exec("DELETE FROM usage WHERE dirty = 0 AND day < date('now', '+8 hours', '-7 days')");
    return rows.length;
  }

  override async alarm(): Promise<void> {
    this.alarmSet = false;
    const left = await this.flush();
    if (left > 0 && this.ctx.storage.sql.exec('SELECT 1 FROM usage WHERE dirty = 1 LIMIT 1').toArray().length) this.scheduleFlush();
  }
}

/** The quota counter of a unit. */
export const quotaOf = (env: Env, unitId: string) => env.OPEN_QUOTA.get(env.OPEN_QUOTA.idFromName(unitId));

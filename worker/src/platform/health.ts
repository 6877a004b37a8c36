import type { Env } from '../env.ts';

/** Reachability of everything a page request needs: the Worker (answering at all), D1 and R2. */
export async function health(env: Env): Promise<{ ok: boolean; checks: Record<string, { ok: boolean; ms: number; error?: string }> }> {
  const timed = async (fn: () => Promise<unknown>) => {
    const t = Date.now();
    try {
      await fn();
      return { ok: true, ms: Date.now() - t };
    } catch (e) {
      return { ok: false, ms: Date.now() - t, error: e instanceof Error ? e.message : String(e) };
    }
  };
  const [d1, r2] = await Promise.all([timed(() => env.DB.prepare('SELECT count(*) FROM sites').first()), timed(() => env.PAGES.list({ limit: 1 }))]);
  const checks = { worker: { ok: true, ms: 0 }, d1, r2 };
  return { ok: d1.ok && r2.ok, checks };
}

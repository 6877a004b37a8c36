/** GET /healthz on every host: Worker, D1 and R2; error details only where operators look (platform hosts). */
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { health } from './health.ts';

export const healthz = (details: boolean) => async (c: Context<AppEnv>) => {
  const h = await health(c.env);
  const body = details ? h : { ok: h.ok, checks: Object.fromEntries(Object.entries(h.checks).map(([k, v]) => [k, { ok: v.ok, ms: v.ms }])) };
  return c.json(body, h.ok ? 200 : 503, { 'Cache-Control': 'no-store' });
};

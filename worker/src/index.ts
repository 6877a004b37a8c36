/**
 * The edge Worker: one app serves every site of the cluster and the platform's own hosts (app.ts). The
 * platform configuration is validated when the Worker starts — a wrong PLATFORM_HOSTS stops it from starting,
 * with the field named — and the app is built once per isolate.
 */
import { env as startupEnv } from 'cloudflare:workers';
import type { Hono } from 'hono';
import type { AppEnv, Env } from './env.ts';
import { createApp } from './app.ts';
import { platformConfig } from './platform/config.ts';
import { scheduledWork } from './platform/scheduled.ts';

export { OpenQuota } from './open/quota.ts';

platformConfig(startupEnv);

const apps = new WeakMap<object, Hono<AppEnv>>();
/** The app for this environment (tests hand in others; in production there is one per isolate). */
function appFor(env: Env): Hono<AppEnv> {
  let app = apps.get(env);
  if (!app) {
    app = createApp(platformConfig(env));
    apps.set(env, app);
  }
  return app;
}

export default {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => appFor(env).fetch(request, env, ctx),
  /** Cron Trigger (wrangler.toml), every minute: platform/scheduled.ts. */
  scheduled(event: ScheduledController, env: Env, ctx: ExecutionContext) {
    ctx.waitUntil(scheduledWork(env, new Date(event.scheduledTime), (p) => ctx.waitUntil(p)));
  },
} satisfies ExportedHandler<Env>;

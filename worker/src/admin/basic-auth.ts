/**
 * Guard for the admin pages (/admin/...) until the CMS's accounts (issue 4) replace it: HTTP Basic with the
 * user name `admin` and ADMIN_TOKEN (falling back to the publishing token) as password, so a browser can log
 * in without any script. Mutations must also come from the same origin: Basic credentials are sent by the
 * browser automatically, so a cross-site form could otherwise ride on them (CSRF).
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';
import { sameString } from '../cms/password.ts';

export const adminAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const secret = c.env.ADMIN_TOKEN ?? c.env.INGEST_TOKEN;
  if (!secret || secret.length < 32) return c.text('管理功能未启用：未配置 ADMIN_TOKEN。', 503);
  const header = c.req.header('authorization') ?? '';
  let ok = false;
  if (header.startsWith('Basic ')) {
    try {
      const [user, ...rest] = atob(header.slice(6)).split(':');
      ok = user === 'admin' && sameString(rest.join(':'), secret);
    } catch { ok = false; }
  } else if (header.startsWith('Bearer ')) ok = sameString(header.slice(7), secret);
  if (!ok) return c.text('需要管理员身份', 401, { 'WWW-Authenticate': 'Basic realm="ywtc-admin", charset="UTF-8"', 'Cache-Control': 'no-store' });
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const origin = c.req.header('origin');
    if (origin && origin !== new URL(c.req.url).origin) return c.text('跨站请求被拒绝', 403);
  }
  await next();
  c.header('Cache-Control', 'no-store');
};

/**
 * Plain HTML form posts to a site's own pages (定制我的网站, 留言咨询): only from the site's own pages, and only
 * ordinary form bodies of a bounded size — anything else is answered with the form and a 400, never a 5xx.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';

/** A post whose Origin is another host (or an opaque 'null' origin): refused, the form lives on this site. */
export function foreignOrigin(c: Context<AppEnv>): boolean {
  const origin = c.req.header('Origin');
  if (!origin || origin === 'null') return origin === 'null';
  try {
    return new URL(origin).host !== new URL(c.req.url).host;
  } catch {
    return true;
  }
}

/** The posted form, or null when it is not a form body, is over `maxBytes`, or does not parse. */
export async function readForm(c: Context<AppEnv>, maxBytes: number): Promise<FormData | null> {
  const type = c.req.header('Content-Type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) return null;
  if (Number(c.req.header('Content-Length') ?? 0) > maxBytes) return null;
  try {
    return await c.req.raw.formData();
  } catch {
    return null;
  }
}

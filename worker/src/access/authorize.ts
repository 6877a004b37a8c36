/**
 * The one access middleware: a route names a resource and an operation of cms-schema's RESOURCES table, and
 * this lets the request through only if its principal is of a kind the rule serves and, for staff, has a
 * grant for the rule's action somewhere (the route then checks its own target with `can`). A browser session
 * changing anything must also prove it is the platform's own page: the session's CSRF token (header or form
 * field) and, when the browser sends one, an Origin of this host.
 *
 * How a refusal reads depends on who is likely asking: an API answers JSON (401/403), an admin page sends an
 * anonymous reader to the login form and shows a signed-in one a 403 page, a machine route asks for a Bearer token.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { ACTIONS, RESOURCES, verdict, type OperationOf, type PrincipalKind, type ResourceName, type Rule } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { csrfMatches, principalOf } from './authenticate.ts';
import { deniedPage } from './denied-page.ts';

export type DenialStyle = 'api' | 'page' | 'machine';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const EVERYONE: readonly PrincipalKind[] = ['anonymous', 'staff', 'machine'];
const noStore = { 'Cache-Control': 'no-store' } as const;

const actionLabel = (rule: Rule) => (rule.action ? ACTIONS[rule.action] : (rule.anyOf?.map((a) => ACTIONS[a]).join('或') ?? '进行此操作'));

/** The CSRF token a browser sent: the X-CSRF-Token header (the admin script, the API) or a form field `csrf`. */
async function submittedCsrf(c: Context<AppEnv>): Promise<unknown> {
  const header = c.req.header('x-csrf-token');
  if (header !== undefined) return header;
  const type = c.req.header('content-type') ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) return undefined;
  const form: Record<string, unknown> = await c.req.parseBody().catch(() => ({})); // hono keeps the parsed body for the route
  return form.csrf;
}

export function authorize<R extends ResourceName>(resource: R, operation: OperationOf<R>, style: DenialStyle = 'api'): MiddlewareHandler<AppEnv> {
  const rule = (RESOURCES[resource] as Record<string, Rule>)[operation]!;
  // A rule that serves everyone needs no principal: public pages never pay for a session look-up.
  if (EVERYONE.every((k) => rule.who.includes(k)) && !rule.action && !rule.anyOf)
    return async (_c, next) => {
      await next();
    };
  return async (c, next) => {
    const p = await principalOf(c);
    const v = verdict(p, rule);
    if (v === 'unauthenticated') {
      if (style === 'page') return c.redirect(`/admin/login?next=${encodeURIComponent(new URL(c.req.url).pathname)}`, 303);
      if (style === 'machine') return c.json({ error: 'unauthorized', message: '需要发布令牌' }, 401, { 'WWW-Authenticate': 'Bearer', ...noStore });
      return c.json({ error: 'unauthenticated', message: '请先登录' }, 401, noStore);
    }
    if (v === 'forbidden') {
      const message = `当前账号无权${actionLabel(rule)}`;
      return style === 'page' ? c.html(deniedPage(message), 403, noStore) : c.json({ error: 'forbidden', message }, 403, noStore);
    }
    if (p.kind === 'staff' && MUTATING.has(c.req.method)) {
      const origin = c.req.header('origin');
      if ((origin && origin !== new URL(c.req.url).origin) || !csrfMatches(await submittedCsrf(c), p)) {
        const message = '请求来源无法验证，请刷新页面后重试';
        return style === 'page' ? c.html(deniedPage(message), 403, noStore) : c.json({ error: 'csrf', message }, 403, noStore);
      }
    }
    await next();
  };
}

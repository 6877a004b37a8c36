/**
 * The one access middleware: a route names a resource and an operation of cms-schema's RESOURCES table, and
 * this lets the request through only if its principal is of a kind the rule serves and, for staff, has a
 * grant for the rule's action somewhere (the route then checks its own target with `can`). A browser session
 * changing anything must also prove it is the platform's own page: the session's CSRF token (header or form
 * field) and, when the browser sends one, an Origin of this host.
 *
 * How a refusal reads depends on who is likely asking: an API answers JSON (401/403), an admin page sends an
 * anonymous reader to the login form and shows a signed-in one a 403 page, a machine route asks for a Bearer
 * token, the open-data interfaces answer RFC 9457 problems, and a portal page sends a unit to its login form.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { ACTIONS, RESOURCES, verdict, type OperationOf, type PrincipalKind, type ResourceName, type Rule } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { csrfMatches, principalOf } from './authenticate.ts';
import { deniedPage } from './denied-page.ts';
import { problem } from '../open/problem.ts';

export type DenialStyle = 'api' | 'page' | 'machine' | 'problem' | 'portal';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const EVERYONE: readonly PrincipalKind[] = ['anonymous', 'staff', 'machine', 'unit', 'apiKey'];
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
    const p = await principalOf(c, rule.who);
    const v = verdict(p, rule);
    if (v === 'unauthenticated') {
      if (style === 'problem') {
        const why = c.get('keyRefusal') ?? 'unauthenticated';
        const detail = {
          unauthenticated: c.req.header('x-api-key') === undefined ? '请在请求头 X-Api-Key 中提供密钥' : '密钥无法识别，请核对或重新生成',
          'key-revoked': '该密钥已被吊销，请使用新密钥',
          'key-expired': '该密钥已过期，请在数据开放门户生成新密钥',
          'unit-suspended': '贵单位的数据使用已被暂停，请联系平台管理员',
        }[why];
        return problem(c, 401, why, detail);
      }
      if (style === 'portal') return c.redirect(`/open/login?next=${encodeURIComponent(new URL(c.req.url).pathname)}`, 303);
      if (style === 'page') return c.redirect(`/admin/login?next=${encodeURIComponent(new URL(c.req.url).pathname)}`, 303);
      if (style === 'machine') return c.json({ error: 'unauthorized', message: '需要发布令牌' }, 401, { 'WWW-Authenticate': 'Bearer', ...noStore });
      return c.json({ error: 'unauthenticated', message: '请先登录' }, 401, noStore);
    }
    // A portal page asked by someone signed in elsewhere (a CMS session): the unit's login form, not a 403.
    if (v === 'forbidden' && style === 'portal' && p.kind !== 'unit')
      return c.redirect(`/open/login?next=${encodeURIComponent(new URL(c.req.url).pathname)}`, 303);
    if (v === 'forbidden') {
      const message = `当前账号无权${actionLabel(rule)}`;
      if (style === 'problem') return problem(c, 403, 'forbidden', message);
      return style === 'page' || style === 'portal' ? c.html(deniedPage(message), 403, noStore) : c.json({ error: 'forbidden', message }, 403, noStore);
    }
    if ((p.kind === 'staff' || p.kind === 'unit') && MUTATING.has(c.req.method)) {
      const origin = c.req.header('origin');
      if ((origin && origin !== new URL(c.req.url).origin) || !csrfMatches(await submittedCsrf(c), p)) {
        const message = '请求来源无法验证，请刷新页面后重试';
        return style === 'page' || style === 'portal' ? c.html(deniedPage(message), 403, noStore) : c.json({ error: 'csrf', message }, 403, noStore);
      }
    }
    await next();
  };
}

/**
 * GET /search/click?q=…&d=<document id>&to=<url>: result links on the search page go through here, so
 * click-through is counted without any script; the click is logged after the response and the browser is sent
 * on with a 302. Only targets the platform itself serves are followed — a path on this host, or a registered
 * site host (or its .localhost preview) — so the endpoint cannot be used to send people elsewhere under a
 * government address (open redirect). Anything else is a 400 that names the field.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.ts';
import { siteHostOf, siteIdForHost } from '../platform/hosts.ts';
import { recordClick } from './analytics.ts';

const ClickSchema = z.object({
  q: z.string().max(100, '搜索词不能超过 100 个字').default(''),
  d: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, '文档编号格式不正确'),
  to: z.string().min(1, '缺少跳转地址').max(2000, '跳转地址过长'),
});

type Target = { location: string } | { error: string };

/** Where `to` may send the browser, or why not. */
export async function clickTarget(db: D1Database, to: string, requestUrl: string): Promise<Target> {
  const here = new URL(requestUrl);
  // A backslash reads as a slash to browsers (/\evil.com is //evil.com); control characters are silently dropped.
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\\\u0000-\u001f\u007f]/.test(to)) return { error: '跳转地址含有不允许的字符' };
  if (to.startsWith('/')) {
    if (to.startsWith('//')) return { error: '跳转地址不能指向其他网站' };
    const url = new URL(to, here);
    // The resolved path must not itself read as protocol-relative (/.//evil.com resolves to //evil.com).
    if (url.origin !== here.origin || url.pathname.startsWith('//')) return { error: '跳转地址不能指向其他网站' };
    return { location: url.pathname + url.search + url.hash };
  }
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    return { error: '跳转地址应为本站路径或集群网站的网址' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { error: '跳转地址只能是 http 或 https 网址' };
  if (url.username || url.password) return { error: '跳转地址不能包含用户名或密码' };
  // A registered site host, or its local preview <domain>.localhost (siteHostOf strips the suffix).
  const host = siteHostOf(url.host);
  if (!/^[a-z0-9.-]+$/.test(host) || !(await siteIdForHost(db, host))) return { error: '跳转地址不是本平台的网站' };
  return { location: url.href };
}

export async function searchClick(c: Context<AppEnv>) {
  const parsed = ClickSchema.safeParse(c.req.query());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'query');
    return c.text(`参数错误（${field}）：${issue.code === 'invalid_type' ? '缺少该参数' : issue.message}`, 400, { 'Cache-Control': 'no-store' });
  }
  const target = await clickTarget(c.env.DB, parsed.data.to, c.req.url);
  if ('error' in target) return c.text(`参数错误（to）：${target.error}`, 400, { 'Cache-Control': 'no-store' });
  recordClick(c, parsed.data.q);
  c.header('Cache-Control', 'no-store'); // every click must reach the Worker to be counted
  return c.redirect(target.location, 302);
}

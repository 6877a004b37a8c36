/**
 * /api/cms/inspect/items: the 整改 items as JSON for scripts and dashboards, and the same two actions as the admin
 * pages — 已整改 and 核销 — with the same rules (store.ts), the same zod schema and the same audit. Refusals as
 * JSON naming the field in Chinese; a browser session sends the CSRF token in X-CSRF-Token (authorize.ts).
 */
import { Hono } from 'hono';
import { RectificationStateSchema, RectifyActionSchema } from '@ywtc/cms-schema';
import type { AppEnv } from '../../env.ts';
import { authorize } from '../../access/authorize.ts';
import { staffOf } from '../../access/authenticate.ts';
import { parentMap } from '../../cms/documents.ts';
import { ItemQuerySchema, PAGE_SIZE, QUERY_FIELDS, act, itemById, listItems, mayDismiss, mayFix, readableSites } from './store.ts';

const noStore = { 'Cache-Control': 'no-store' } as const;

export const rectificationApi = new Hono<AppEnv>();

rectificationApi.get('/inspect/items', authorize('inspection', 'read'), async (c) => {
  const p = staffOf(c);
  const sites = await readableSites(c.env.DB, p.grants, await parentMap(c.env.DB));
  const parsed = ItemQuerySchema.safeParse(c.req.query());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0]);
    return c.json({ error: 'invalid', field, message: `${QUERY_FIELDS[field] ?? field}：${issue.message}` }, 400, noStore);
  }
  if (parsed.data.site && !sites.some((s) => s.id === parsed.data.site))
    return c.json({ error: 'invalid', field: 'site', message: `网站：没有您可查看的网站“${parsed.data.site}”` }, 400, noStore);
  const now = new Date();
  const r = await listItems(
    c.env.DB,
    sites.map((s) => s.id),
    parsed.data,
    now,
  );
  return c.json({ generatedAt: now.toISOString(), page: parsed.data.page, pageSize: PAGE_SIZE, ...r }, 200, noStore);
});

rectificationApi.get('/inspect/items/:id', authorize('inspection', 'read'), async (c) => {
  const p = staffOf(c);
  const parentOf = await parentMap(c.env.DB);
  const item = await itemById(c.env.DB, c.req.param('id'));
  if (!item || !(await readableSites(c.env.DB, p.grants, parentOf)).some((s) => s.id === item.siteId))
    return c.json({ error: 'not-found', message: '整改事项不存在，或不属于您可查看的网站' }, 404, noStore);
  return c.json({ item, mayFix: mayFix(p.grants, item, parentOf), mayDismiss: mayDismiss(p.grants, item, parentOf) }, 200, noStore);
});

rectificationApi.post('/inspect/items/:id', authorize('inspection', 'rectify'), async (c) => {
  const body: Record<string, unknown> | null = await c.req.json<Record<string, unknown>>().catch(() => null);
  if (!body || typeof body !== 'object') return c.json({ error: 'invalid', field: 'body', message: '请求体须为 JSON 对象' }, 400, noStore);
  const invalid = (field: string, message: string) => c.json({ error: 'invalid', field, message }, 400, noStore);
  const parsed = RectifyActionSchema.safeParse({ action: body.action, note: body.note });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return issue.path[0] === 'note' ? invalid('note', `说明：${issue.message}`) : invalid('action', '操作：只能为 fix（已整改）或 dismiss（核销）');
  }
  const expected = RectificationStateSchema.optional().safeParse(body.state ?? undefined);
  if (!expected.success) return invalid('state', '状态：无法识别，应为您看到的事项状态（如 open）');
  const p = staffOf(c);
  const r = await act(c.env.DB, p.accountId, p.grants, await parentMap(c.env.DB), c.req.param('id'), parsed.data, expected.data, new Date());
  if (!r.ok)
    return c.json(
      { error: r.status === 409 ? 'conflict' : r.status === 403 ? 'forbidden' : 'not-found', field: r.field, message: r.message },
      r.status,
      noStore,
    );
  return c.json({ item: r.item }, 200, noStore);
});

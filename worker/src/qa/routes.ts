/**
 * /api/cms/qa: the policy Q&A knowledge base over JSON for the CMS (the same operations as the admin pages,
 * qa/entries.ts). Signed-in staff only, by role; every change audited.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { QaStatusSchema } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { actorOf } from '../cms/documents.ts';
import { invalid, jsonBody, noStore, reply } from '../platform/http.ts';
import { approveEntry, checkedInput, createEntry, deleteEntry, dismissUnanswered, entryOf, listEntries, unansweredQuestions, updateEntry } from './entries.ts';

const PageQuery = z.object({ offset: z.coerce.number().int().min(0).max(100_000).default(0), limit: z.coerce.number().int().min(1).max(500).default(100) });
const ListQuery = PageQuery.extend({
  status: QaStatusSchema.optional(),
  site: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional(),
});
const Dismiss = z.object({ question: z.string().min(1).max(200) });

export const qaRoutes = new Hono<AppEnv>();
const read = authorize('qa', 'read');
const write = authorize('qa', 'write');

const query = (c: Context<AppEnv>) => Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ''));

qaRoutes.get('/qa/unanswered', read, async (c) => {
  const q = PageQuery.safeParse(query(c));
  if (!q.success) return invalid(c, q.error);
  return c.json({ questions: await unansweredQuestions(c.env.DB, q.data.offset, q.data.limit) }, 200, noStore);
});

qaRoutes.delete('/qa/unanswered', write, async (c) => {
  const parsed = Dismiss.safeParse(await jsonBody(c));
  if (!parsed.success) return invalid(c, parsed.error);
  const p = staffOf(c);
  return reply(c, await dismissUnanswered(c.env.DB, actorOf(p), p.grants, parsed.data.question));
});

qaRoutes.get('/qa/entries', read, async (c) => {
  const q = ListQuery.safeParse(query(c));
  if (!q.success) return invalid(c, q.error);
  return c.json(await listEntries(c.env.DB, staffOf(c).grants, q.data), 200, noStore);
});

qaRoutes.get('/qa/entries/:id', read, async (c) => {
  const entry = await entryOf(c.env.DB, c.req.param('id'));
  const visible =
    entry && (await listEntries(c.env.DB, staffOf(c).grants, { site: entry.siteId, offset: 0, limit: 20000 })).entries.some((e) => e.id === entry.id);
  return visible ? c.json({ entry }, 200, noStore) : c.json({ error: 'not-found', field: 'id', message: '问答条目不存在' }, 404, noStore);
});

qaRoutes.post('/qa/entries', write, async (c) => {
  const input = await checkedInput(c.env.DB, await jsonBody(c));
  if (!input.ok) return 'zod' in input ? invalid(c, input.zod) : reply(c, input);
  const p = staffOf(c);
  const r = await createEntry(c.env.DB, actorOf(p), p.grants, input.value);
  return reply(c, r.ok ? { ok: true, value: { entry: r.value } } : r, 201);
});

qaRoutes.put('/qa/entries/:id', write, async (c) => {
  const input = await checkedInput(c.env.DB, await jsonBody(c));
  if (!input.ok) return 'zod' in input ? invalid(c, input.zod) : reply(c, input);
  const p = staffOf(c);
  const r = await updateEntry(c.env.DB, actorOf(p), p.grants, c.req.param('id'), input.value);
  return reply(c, r.ok ? { ok: true, value: { entry: r.value } } : r);
});

qaRoutes.post('/qa/entries/:id/approve', authorize('qa', 'review'), async (c) => {
  const p = staffOf(c);
  const r = await approveEntry(c.env.DB, actorOf(p), p.grants, c.req.param('id'));
  return reply(c, r.ok ? { ok: true, value: { entry: r.value } } : r);
});

qaRoutes.delete('/qa/entries/:id', write, async (c) => {
  const p = staffOf(c);
  return reply(c, await deleteEntry(c.env.DB, actorOf(p), p.grants, c.req.param('id')));
});

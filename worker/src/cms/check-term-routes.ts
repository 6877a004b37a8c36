/** /api/cms/check-terms: the pre-publish word and domain lists, read by editors, edited by platform admins (audited). */
import { Hono } from 'hono';
import { z } from 'zod';
import { CheckListSchema, CheckTermSchema, TABLES, fromRow, insertSql, selectColumns, toRow } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { auditStatement } from './audit.ts';
import { forgetLists } from './checks.ts';
import { invalid, jsonBody, noStore } from '../platform/http.ts';

const ListQuery = z.object({
  list: CheckListSchema.optional(),
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
});
const Key = z.object({ list: CheckListSchema, term: z.string().trim().min(1).max(100) });

export const checkTermRoutes = new Hono<AppEnv>();

checkTermRoutes.get('/check-terms', authorize('checkTerms', 'read'), async (c) => {
  const q = ListQuery.safeParse(Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== '')));
  if (!q.success) return invalid(c, q.error);
  const conds = ['1'];
  const args: string[] = [];
  if (q.data.list) {
    conds.push('list = ?');
    args.push(q.data.list);
  }
  if (q.data.q) {
    conds.push('instr(term, ?) > 0');
    args.push(q.data.q);
  }
  const { results } = await c.env.DB.prepare(
    `SELECT ${selectColumns(TABLES.checkTerms)} FROM check_terms WHERE ${conds.join(' AND ')} ORDER BY list, term LIMIT 100 OFFSET ?`,
  )
    .bind(...args, (q.data.page - 1) * 100)
    .all();
  return c.json({ terms: results.map((r) => fromRow(TABLES.checkTerms, r)) }, 200, noStore);
});

const manage = authorize('checkTerms', 'manage');

checkTermRoutes.post('/check-terms', manage, async (c) => {
  const parsed = CheckTermSchema.safeParse(await jsonBody(c));
  if (!parsed.success) return invalid(c, parsed.error);
  const t = parsed.data.list === 'illegal-domain' ? { ...parsed.data, term: parsed.data.term.toLowerCase() } : parsed.data;
  await c.env.DB.batch([
    c.env.DB.prepare(insertSql(TABLES.checkTerms, 'INSERT OR REPLACE')).bind(...toRow(TABLES.checkTerms, t)),
    await auditStatement(c.env.DB, { accountId: staffOf(c).accountId, action: 'check-terms.add', target: `${t.list}:${t.term}`, siteId: null, after: t }),
  ]);
  forgetLists();
  return c.json(t, 201, noStore);
});

checkTermRoutes.delete('/check-terms', manage, async (c) => {
  const parsed = Key.safeParse(await jsonBody(c));
  if (!parsed.success) return invalid(c, parsed.error);
  const exists = await c.env.DB.prepare('SELECT 1 FROM check_terms WHERE list = ? AND term = ?').bind(parsed.data.list, parsed.data.term).first();
  if (!exists) return c.json({ error: 'not-found', field: 'term', message: '词表中没有该词条' }, 404, noStore);
  await c.env.DB.batch([
    c.env.DB.prepare('DELETE FROM check_terms WHERE list = ? AND term = ?').bind(parsed.data.list, parsed.data.term),
    await auditStatement(c.env.DB, {
      accountId: staffOf(c).accountId,
      action: 'check-terms.remove',
      target: `${parsed.data.list}:${parsed.data.term}`,
      siteId: null,
    }),
  ]);
  forgetLists();
  return c.json({ ok: true }, 200, noStore);
});

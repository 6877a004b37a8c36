/**
 * Editors' policy Q&A API, under the token-guarded publishing API (/_ingest/qa) until the CMS (issue 4) takes
 * it over. 先审后发: an entry is written as a draft and answers nothing until approved; editing an approved
 * entry makes it a draft again (the changed text has not been reviewed), and takes it out of the answer index
 * in the same batch. Every write that changes what may answer a question keeps qa_fts in step in that batch.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { QaEntryInputSchema, QaStatusSchema, TABLES, fromRow, selectColumns, type QaEntry } from '@ywtc/cms-schema';
import { qaIndexStatements, qaUnindexStatements } from '@ywtc/search/qa-d1';
import type { AppEnv } from '../env.ts';

const badRequest = (field: string, message: string) => ({ error: 'invalid', field, message });
const invalid = (error: z.ZodError) => badRequest(error.issues[0]!.path.join('.') || 'body', error.issues[0]!.message);
const notFound = { error: 'not found', field: 'id', message: '问答条目不存在' };

const PageQuery = z.object({ offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(500).default(100) });
const ListQuery = PageQuery.extend({ status: QaStatusSchema.optional() });
const EntryId = z.string().regex(/^[a-z0-9-]{4,80}$/);

export const qaRoutes = new Hono<AppEnv>();

/** Questions nobody's entry answered, most asked first: the editors' to-do list. */
qaRoutes.get('/unanswered', async (c) => {
  const q = PageQuery.safeParse(c.req.query());
  if (!q.success) return c.json(invalid(q.error), 400);
  const { results } = await c.env.DB.prepare(
    'SELECT question, count, first_day AS firstDay, last_day AS lastDay FROM qa_unanswered ORDER BY count DESC, last_day DESC, question LIMIT ? OFFSET ?',
  ).bind(q.data.limit, q.data.offset).all();
  return c.json({ questions: results });
});

/** Drops a logged question (answered by a new entry, or not a question at all). */
qaRoutes.delete('/unanswered', async (c) => {
  const parsed = z.object({ question: z.string().min(1).max(200) }).safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) return c.json(invalid(parsed.error), 400);
  const r = await c.env.DB.prepare('DELETE FROM qa_unanswered WHERE question = ?').bind(parsed.data.question).run();
  return r.meta.changes ? c.json({ ok: true }) : c.json({ error: 'not found', field: 'question', message: '没有记录这个问题' }, 404);
});

qaRoutes.get('/entries', async (c) => {
  const q = ListQuery.safeParse(c.req.query());
  if (!q.success) return c.json(invalid(q.error), 400);
  const spec = TABLES.qaEntries;
  const where = q.data.status ? 'WHERE status = ?' : '';
  const { results } = await c.env.DB.prepare(`SELECT ${selectColumns(spec)} FROM ${spec.name} ${where} ORDER BY updated_at IS NULL, updated_at DESC, id LIMIT ? OFFSET ?`)
    .bind(...(q.data.status ? [q.data.status] : []), q.data.limit, q.data.offset).all<Record<string, unknown>>();
  return c.json({ entries: results.map((r) => fromRow(spec, r)) });
});

qaRoutes.get('/entries/:id', async (c) => {
  const entry = await entryOf(c.env.DB, c.req.param('id'));
  return entry ? c.json({ entry }) : c.json(notFound, 404);
});

/** A new entry, as a draft. */
qaRoutes.post('/entries', async (c) => {
  const input = await validInput(c.env.DB, await c.req.json().catch(() => null));
  if ('error' in input) return c.json(input, 400);
  const entry: QaEntry = { id: `qa-${crypto.randomUUID()}`, ...input, status: 'draft', updatedAt: new Date().toISOString() };
  await c.env.DB.prepare('INSERT INTO qa_entries (id, site_id, question, answer, source_document_id, status, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .bind(entry.id, entry.siteId, entry.question, entry.answer, entry.sourceDocumentId, entry.status, entry.updatedAt).run();
  return c.json({ entry }, 201);
});

/** A changed entry: a draft again until re-approved, and out of the answer index meanwhile. */
qaRoutes.put('/entries/:id', async (c) => {
  const id = c.req.param('id');
  if (!(await entryOf(c.env.DB, id))) return c.json(notFound, 404);
  const input = await validInput(c.env.DB, await c.req.json().catch(() => null));
  if ('error' in input) return c.json(input, 400);
  const entry: QaEntry = { id, ...input, status: 'draft', updatedAt: new Date().toISOString() };
  await c.env.DB.batch([
    ...qaUnindexStatements(c.env.DB, id),
    c.env.DB.prepare("UPDATE qa_entries SET site_id = ?, question = ?, answer = ?, source_document_id = ?, status = 'draft', updated_at = ? WHERE id = ?")
      .bind(entry.siteId, entry.question, entry.answer, entry.sourceDocumentId, entry.updatedAt, id),
  ]);
  return c.json({ entry });
});

/** Review passed: the entry answers questions from now on. */
qaRoutes.post('/entries/:id/approve', async (c) => {
  const found = await entryOf(c.env.DB, c.req.param('id'));
  if (!found) return c.json(notFound, 404);
  const entry: QaEntry = { ...found, status: 'approved', updatedAt: new Date().toISOString() };
  await c.env.DB.batch([
    c.env.DB.prepare("UPDATE qa_entries SET status = 'approved', updated_at = ? WHERE id = ?").bind(entry.updatedAt, entry.id),
    ...qaIndexStatements(c.env.DB, entry.id, entry.question),
  ]);
  return c.json({ entry });
});

qaRoutes.delete('/entries/:id', async (c) => {
  const id = c.req.param('id');
  if (!(await entryOf(c.env.DB, id))) return c.json(notFound, 404);
  await c.env.DB.batch([...qaUnindexStatements(c.env.DB, id), c.env.DB.prepare('DELETE FROM qa_entries WHERE id = ?').bind(id)]);
  return c.json({ ok: true });
});

async function entryOf(db: D1Database, id: string): Promise<QaEntry | null> {
  if (!EntryId.safeParse(id).success) return null;
  const row = await db.prepare(`SELECT ${selectColumns(TABLES.qaEntries)} FROM qa_entries WHERE id = ?`).bind(id).first<Record<string, unknown>>();
  return row ? fromRow(TABLES.qaEntries, row) : null;
}

/** The editor's input, checked by the schema and against the store: the site and the cited document must exist. */
async function validInput(db: D1Database, body: unknown) {
  const parsed = QaEntryInputSchema.safeParse(body);
  if (!parsed.success) return invalid(parsed.error);
  const [site, doc] = await db.batch([
    db.prepare('SELECT 1 AS ok FROM sites WHERE id = ?').bind(parsed.data.siteId),
    db.prepare('SELECT 1 AS ok FROM documents WHERE id = ?').bind(parsed.data.sourceDocumentId),
  ]);
  if (site!.results.length === 0) return badRequest('siteId', '网站不存在');
  if (doc!.results.length === 0) return badRequest('sourceDocumentId', '来源文档不存在');
  return parsed.data;
}

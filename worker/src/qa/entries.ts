/**
 * The policy Q&A knowledge base as CMS work (先审后发, by role, audited): an editor of a site writes an entry
 * as a draft, a first-level reviewer of the site or above (or a site admin) approves it, and only then does it
 * answer questions. Editing an approved entry makes it a draft again and takes it out of the answer index in
 * the same batch; every write carries its audit entry in that batch too. The questions nobody's entry
 * answered are the editors' to-do list (qa_unanswered).
 */
import { QaEntryInputSchema, TABLES, can, canAnywhere, fromRow, selectColumns, type Grant, type QaEntry, type QaEntryInput } from '@ywtc/cms-schema';
import { qaIndexStatements, qaUnindexStatements } from '@ywtc/search/qa-d1';
import type { ZodError } from 'zod';
import { auditStatement } from '../cms/audit.ts';
import { parentMap, type Actor } from '../cms/documents.ts';
import { fail, ok, type Result } from '../platform/result.ts';

const ENTRY_ID = /^[a-z0-9-]{4,80}$/;

export async function entryOf(db: D1Database, id: string): Promise<QaEntry | null> {
  if (!ENTRY_ID.test(id)) return null;
  const row = await db
    .prepare(`SELECT ${selectColumns(TABLES.qaEntries)} FROM qa_entries WHERE id = ?`)
    .bind(id)
    .first<Record<string, unknown>>();
  return row ? fromRow(TABLES.qaEntries, row) : null;
}

/** The input as the schema and the store accept it: the site and the cited document must exist. */
export async function checkedInput(db: D1Database, body: unknown): Promise<Result<QaEntryInput> | { ok: false; zod: ZodError }> {
  const parsed = QaEntryInputSchema.safeParse(body);
  if (!parsed.success) return { ok: false, zod: parsed.error };
  const [site, doc] = await db.batch([
    db.prepare('SELECT 1 AS ok FROM sites WHERE id = ?').bind(parsed.data.siteId),
    db.prepare('SELECT 1 AS ok FROM documents WHERE id = ?').bind(parsed.data.sourceDocumentId),
  ]);
  if (site!.results.length === 0) return fail(400, 'siteId', '网站不存在');
  if (doc!.results.length === 0) return fail(400, 'sourceDocumentId', '来源文档不存在');
  return ok(parsed.data);
}

const mayWrite = async (db: D1Database, grants: readonly Grant[], siteId: string) => can(grants, 'qa.write', { siteId }, await parentMap(db));
const NO_RIGHT = '无权编写该网站的政策问答';

export async function createEntry(
  db: D1Database,
  actor: Actor,
  grants: readonly Grant[],
  input: QaEntryInput,
  now = new Date(),
  /** Writes that belong with the new entry, in its transaction (the 留言 it was made from records it). */
  also: (entry: QaEntry) => D1PreparedStatement[] = () => [],
): Promise<Result<QaEntry>> {
  if (!(await mayWrite(db, grants, input.siteId))) return fail(403, 'siteId', NO_RIGHT);
  const entry: QaEntry = { id: `qa-${crypto.randomUUID()}`, ...input, status: 'draft', updatedAt: now.toISOString() };
  await db.batch([
    db
      .prepare('INSERT INTO qa_entries (id, site_id, question, answer, source_document_id, status, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .bind(entry.id, entry.siteId, entry.question, entry.answer, entry.sourceDocumentId, entry.status, entry.updatedAt),
    await auditStatement(
      db,
      { accountId: actor.id, action: 'qa.create', target: entry.id, siteId: entry.siteId, after: entry, detail: entry.question.slice(0, 200) },
      now,
    ),
    ...also(entry),
  ]);
  return ok(entry);
}

/** A changed entry: a draft again until re-approved, and out of the answer index meanwhile. */
export async function updateEntry(
  db: D1Database,
  actor: Actor,
  grants: readonly Grant[],
  id: string,
  input: QaEntryInput,
  now = new Date(),
): Promise<Result<QaEntry>> {
  const before = await entryOf(db, id);
  if (!before) return fail(404, 'id', '问答条目不存在');
  if (!(await mayWrite(db, grants, before.siteId)) || !(await mayWrite(db, grants, input.siteId))) return fail(403, 'siteId', NO_RIGHT);
  const entry: QaEntry = { id, ...input, status: 'draft', updatedAt: now.toISOString() };
  await db.batch([
    ...qaUnindexStatements(db, id),
    db
      .prepare("UPDATE qa_entries SET site_id = ?, question = ?, answer = ?, source_document_id = ?, status = 'draft', updated_at = ? WHERE id = ?")
      .bind(entry.siteId, entry.question, entry.answer, entry.sourceDocumentId, entry.updatedAt, id),
    await auditStatement(
      db,
      { accountId: actor.id, action: 'qa.update', target: id, siteId: entry.siteId, before, after: entry, detail: entry.question.slice(0, 200) },
      now,
    ),
  ]);
  return ok(entry);
}

/** Review passed: the entry answers questions from now on. */
export async function approveEntry(db: D1Database, actor: Actor, grants: readonly Grant[], id: string, now = new Date()): Promise<Result<QaEntry>> {
  const found = await entryOf(db, id);
  if (!found) return fail(404, 'id', '问答条目不存在');
  if (!can(grants, 'qa.review', { siteId: found.siteId }, await parentMap(db))) return fail(403, 'id', '无权审核该网站的政策问答');
  if (found.status === 'approved') return fail(409, 'status', '该条目已审核通过');
  const entry: QaEntry = { ...found, status: 'approved', updatedAt: now.toISOString() };
  await db.batch([
    db.prepare("UPDATE qa_entries SET status = 'approved', updated_at = ? WHERE id = ?").bind(entry.updatedAt, entry.id),
    ...qaIndexStatements(db, entry.id, entry.question),
    await auditStatement(db, { accountId: actor.id, action: 'qa.approve', target: id, siteId: entry.siteId, before: found, after: entry }, now),
  ]);
  return ok(entry);
}

export async function deleteEntry(db: D1Database, actor: Actor, grants: readonly Grant[], id: string, now = new Date()): Promise<Result<{ id: string }>> {
  const found = await entryOf(db, id);
  if (!found) return fail(404, 'id', '问答条目不存在');
  if (!(await mayWrite(db, grants, found.siteId))) return fail(403, 'id', NO_RIGHT);
  await db.batch([
    ...qaUnindexStatements(db, id),
    db.prepare('DELETE FROM qa_entries WHERE id = ?').bind(id),
    await auditStatement(
      db,
      { accountId: actor.id, action: 'qa.delete', target: id, siteId: found.siteId, before: found, detail: found.question.slice(0, 200) },
      now,
    ),
  ]);
  return ok({ id });
}

export interface EntryListing {
  entries: QaEntry[];
  total: number;
}

/** Entries of the sites the account may write or review for, newest edits first. */
export async function listEntries(
  db: D1Database,
  grants: readonly Grant[],
  q: { status?: 'draft' | 'approved' | undefined; site?: string | undefined; offset: number; limit: number },
): Promise<EntryListing> {
  const parentOf = await parentMap(db);
  const conds = ['1'];
  const args: string[] = [];
  if (q.status) {
    conds.push('status = ?');
    args.push(q.status);
  }
  if (q.site) {
    conds.push('site_id = ?');
    args.push(q.site);
  }
  const { results } = await db
    .prepare(
      `SELECT ${selectColumns(TABLES.qaEntries)} FROM qa_entries WHERE ${conds.join(' AND ')} ORDER BY updated_at IS NULL, updated_at DESC, id LIMIT 20000`,
    )
    .bind(...args)
    .all<Record<string, unknown>>();
  const visible = results
    .map((r) => fromRow(TABLES.qaEntries, r))
    .filter((e) => can(grants, 'qa.write', { siteId: e.siteId }, parentOf) || can(grants, 'qa.review', { siteId: e.siteId }, parentOf));
  return { entries: visible.slice(q.offset, q.offset + q.limit), total: visible.length };
}

export interface Unanswered {
  question: string;
  count: number;
  firstDay: string;
  lastDay: string;
}

/** Questions nobody's entry answered, most asked first. */
export async function unansweredQuestions(db: D1Database, offset: number, limit: number): Promise<Unanswered[]> {
  const { results } = await db
    .prepare(
      'SELECT question, count, first_day AS firstDay, last_day AS lastDay FROM qa_unanswered ORDER BY count DESC, last_day DESC, question LIMIT ? OFFSET ?',
    )
    .bind(limit, offset)
    .all<Unanswered>();
  return results;
}

/** Drops a logged question (answered by a new entry, or not a question at all). */
export async function dismissUnanswered(
  db: D1Database,
  actor: Actor,
  grants: readonly Grant[],
  question: string,
  now = new Date(),
): Promise<Result<{ question: string }>> {
  if (!canAnywhere(grants, 'qa.write')) return fail(403, 'question', NO_RIGHT);
  const exists = await db.prepare('SELECT 1 FROM qa_unanswered WHERE question = ?').bind(question).first();
  if (!exists) return fail(404, 'question', '没有记录这个问题');
  await db.batch([
    db.prepare('DELETE FROM qa_unanswered WHERE question = ?').bind(question),
    await auditStatement(db, { accountId: actor.id, action: 'qa.dismiss', target: question.slice(0, 200), siteId: null }, now),
  ]);
  return ok({ question });
}

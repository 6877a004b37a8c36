/**
 * 留言咨询 in D1: receiving a question (question and contact details in separate rows, audited, one batch), looking
 * it up by its query code, the editors' list, answering (the answer becomes a 留言选登 draft in the site's 互动交流
 * column, linked in the same transaction, and then goes through 分级审核 as a document) and turning a published
 * answer into a policy Q&A entry. Where a question stands is the answer document's state, so nothing here can
 * disagree with the CMS. Nothing personal is logged or audited: audit rows name the question's id only.
 */
import {
  CONSULT_LIMITS,
  CODE_ALPHABET,
  QaEntryInputSchema,
  plainText,
  publishedAnswerHtml,
  TABLES,
  can,
  consultDraft,
  consultStatus,
  cstDate,
  fromRow,
  insertSql,
  selectColumns,
  toRow,
  withoutPersonalData,
  type ConsultContact,
  type ConsultForm,
  type ConsultMessage,
  type ConsultStatus,
  type Grant,
} from '@ywtc/cms-schema';
import { auditStatement } from '../cms/audit.ts';
import { createDocument, parentMap, type Actor } from '../cms/documents.ts';
import { sha256Hex } from '../cms/password.ts';
import { createEntry } from '../qa/entries.ts';
import { fail, ok, type Result } from '../platform/result.ts';

const DAY_MS = 86_400_000;

/** A new query code: 12 characters of CODE_ALPHABET, uniformly drawn (rejection sampling), about 59 bits. */
export function newCode(): string {
  const n = CODE_ALPHABET.length;
  const limit = 256 - (256 % n);
  let out = '';
  while (out.length < 12) for (const b of crypto.getRandomValues(new Uint8Array(16))) if (b < limit && out.length < 12) out += CODE_ALPHABET[b % n];
  return out;
}
export const codeHash = (code: string) => sha256Hex(`consult:${code}`);

/** The site's 互动交流 column, where answers are published (null: the site takes no questions). */
export async function interactionColumn(db: D1Database, siteId: string): Promise<{ id: string; slug: string } | null> {
  return db
    .prepare("SELECT id, slug FROM columns WHERE site_id = ? AND kind = 'interaction' AND parent_id IS NULL ORDER BY sort_order LIMIT 1")
    .bind(siteId)
    .first<{ id: string; slug: string }>();
}

export async function receive(db: D1Database, siteId: string, form: ConsultForm, now = new Date()): Promise<{ id: string; code: string }> {
  const code = newCode();
  const at = now.toISOString();
  const message: ConsultMessage = {
    id: `ly-${siteId.slice(0, 30)}-${cstDate(now).replace(/-/g, '')}-${crypto.randomUUID().slice(0, 8)}`,
    siteId,
    codeHash: await codeHash(code),
    title: form.title,
    question: form.question,
    receivedAt: at,
    documentId: null,
    answer: null,
    answerUnit: null,
    answeredAt: null,
    qaEntryId: null,
  };
  const contact: ConsultContact = {
    messageId: message.id,
    name: form.name || null,
    phone: form.phone || null,
    email: form.email || null,
    purgeAfter: new Date(now.getTime() + CONSULT_LIMITS.contactRetentionDays * DAY_MS).toISOString(),
  };
  await db.batch([
    db.prepare(insertSql(TABLES.consultMessages)).bind(...toRow(TABLES.consultMessages, message)),
    db.prepare(insertSql(TABLES.consultContacts)).bind(...toRow(TABLES.consultContacts, contact)),
    await auditStatement(db, { accountId: null, action: 'consult.receive', target: message.id, siteId }, now),
  ]);
  return { id: message.id, code };
}

/** A question with where it stands (from its answer document) and, once published, the answer's page. */
export interface ConsultItem extends ConsultMessage {
  status: ConsultStatus;
  publishedAt: string | null;
  columnSlug: string | null;
}

const ITEM_SELECT = `SELECT ${selectColumns(TABLES.consultMessages, 'm')}, d.state AS doc_state, d.published_at AS doc_published_at,
  (SELECT slug FROM columns WHERE id = d.column_id) AS doc_column_slug
  FROM consult_messages m LEFT JOIN cms_documents d ON d.id = m.document_id`;

function itemOf(row: Record<string, unknown>): ConsultItem {
  const m = fromRow(TABLES.consultMessages, row);
  const status = consultStatus((row.doc_state as string | null) ?? null);
  return {
    ...m,
    status,
    publishedAt: status === 'answered' ? (row.doc_published_at as string) : null,
    columnSlug: (row.doc_column_slug as string | null) ?? null,
  };
}

export async function byCode(db: D1Database, siteId: string, code: string): Promise<ConsultItem | null> {
  const row = await db
    .prepare(`${ITEM_SELECT} WHERE m.code_hash = ? AND m.site_id = ?`)
    .bind(await codeHash(code), siteId)
    .first<Record<string, unknown>>();
  return row ? itemOf(row) : null;
}

export async function byId(db: D1Database, id: string): Promise<ConsultItem | null> {
  const row = await db.prepare(`${ITEM_SELECT} WHERE m.id = ?`).bind(id).first<Record<string, unknown>>();
  return row ? itemOf(row) : null;
}

/** The published 留言选登 body (as reviewed), while the answer is live. */
export async function publishedBodyOf(db: D1Database, item: ConsultItem): Promise<string | null> {
  if (item.status !== 'answered' || !item.documentId) return null;
  const row = await db.prepare('SELECT body_html FROM documents WHERE id = ?').bind(item.documentId).first<{ body_html: string }>();
  return row?.body_html ?? null;
}

export async function contactOf(db: D1Database, id: string): Promise<ConsultContact | null> {
  const row = await db
    .prepare(`SELECT ${selectColumns(TABLES.consultContacts)} FROM consult_contacts WHERE message_id = ?`)
    .bind(id)
    .first<Record<string, unknown>>();
  return row ? fromRow(TABLES.consultContacts, row) : null;
}

/** The questions of some sites, oldest waiting first, then the newest answered. */
export async function listFor(db: D1Database, siteIds: string[]): Promise<ConsultItem[]> {
  if (siteIds.length === 0) return [];
  const { results } = await db
    .prepare(`${ITEM_SELECT} WHERE m.site_id IN (SELECT value FROM json_each(?)) ORDER BY (d.state = 'published'), unixepoch(m.received_at) LIMIT 1000`)
    .bind(JSON.stringify(siteIds))
    .all<Record<string, unknown>>();
  return results.map(itemOf);
}

/** Counts for the inspection and dashboards: received, answered, waiting, waiting over 3 months, mean days to a published answer. */
export interface ConsultStats {
  total: number;
  answered: number;
  waiting: number;
  overdue: number;
  meanDays: number | null;
}

/**
 * The counts per site, and over all of them, in one query over every question (not the listed page of them): a
 * question is answered when its 留言选登 document is published, and overdue when it is not and came in over 90 days ago.
 */
export async function statsFor(db: D1Database, siteIds: string[], now = new Date()): Promise<{ all: ConsultStats; sites: Map<string, ConsultStats> }> {
  const { results } = siteIds.length
    ? await db
        .prepare(
          `SELECT m.site_id AS siteId, COUNT(*) AS total,
             COALESCE(SUM(d.state = 'published'), 0) AS answered,
             COALESCE(SUM(d.state IS NOT 'published' AND unixepoch(m.received_at) < ?2), 0) AS overdue,
             SUM(CASE WHEN d.state = 'published' THEN unixepoch(d.published_at) - unixepoch(m.received_at) END) AS seconds
           FROM consult_messages m LEFT JOIN cms_documents d ON d.id = m.document_id
           WHERE m.site_id IN (SELECT value FROM json_each(?1)) GROUP BY m.site_id`,
        )
        .bind(JSON.stringify(siteIds), Math.floor(now.getTime() / 1000) - CONSULT_LIMITS.overdueDays * 86_400)
        .all<{ siteId: string; total: number; answered: number; overdue: number; seconds: number | null }>()
    : { results: [] };
  const of = (rows: typeof results): ConsultStats => {
    const total = rows.reduce((a, r) => a + r.total, 0);
    const answered = rows.reduce((a, r) => a + r.answered, 0);
    const seconds = rows.reduce((a, r) => a + (r.seconds ?? 0), 0);
    return {
      total,
      answered,
      waiting: total - answered,
      overdue: rows.reduce((a, r) => a + r.overdue, 0),
      meanDays: answered ? Math.round((seconds / answered / 86_400) * 10) / 10 : null,
    };
  };
  return { all: of(results), sites: new Map(siteIds.map((id) => [id, of(results.filter((r) => r.siteId === id))])) };
}

/**
 * The editor's answer: a 留言选登 draft in the site's 互动交流 column and the question's link to it, in one
 * transaction (the question can be answered once: a second answer finds the link made and is refused).
 */
export async function answer(
  db: D1Database,
  actor: Actor,
  grants: Grant[],
  id: string,
  text: string,
  now = new Date(),
): Promise<Result<{ documentId: string }>> {
  const item = await byId(db, id);
  if (!item) return fail(404, 'id', '留言不存在');
  if (!can(grants, 'consult.answer', { siteId: item.siteId }, await parentMap(db))) return fail(403, 'id', '无权办理该网站的留言');
  if (item.documentId) return fail(409, 'answer', '该留言已有答复稿，请在内容编辑页修改或提交审核');
  const column = await interactionColumn(db, item.siteId);
  if (!column) return fail(409, 'siteId', '该网站没有互动交流栏目，无法发布答复');
  const unit = await db.prepare('SELECT sponsor FROM sites WHERE id = ?').bind(item.siteId).first<{ sponsor: string }>();
  const at = now.toISOString();
  const draft = consultDraft(item, text, unit!.sponsor, at);
  const audit = await auditStatement(db, { accountId: actor.id, action: 'consult.answer', target: id, siteId: item.siteId, detail: '写入答复稿' }, now);
  try {
    const created = await createDocument(db, actor, grants, { siteId: item.siteId, columnId: column.id, draft }, now, (doc) => [
      db
        .prepare('UPDATE consult_messages SET document_id = ?, answer = ?, answer_unit = ?, answered_at = ? WHERE id = ? AND document_id IS NULL')
        .bind(doc.id, text, unit!.sponsor, at, id),
      db.prepare('INSERT INTO cms_guard (ok) VALUES (changes())'),
      db.prepare('DELETE FROM cms_guard'),
      audit,
    ]);
    return created.ok ? ok({ documentId: created.value.id }) : created;
  } catch (e) {
    if (/CHECK constraint failed|UNIQUE constraint failed/i.test(String(e))) return fail(409, 'answer', '该留言已有答复稿，请刷新后查看');
    throw e;
  }
}

/** 加入政策问答库: a draft Q&A entry from a published answer, citing the 留言选登 item, recorded on the question — one batch. */
export async function addToQa(db: D1Database, actor: Actor, grants: readonly Grant[], id: string, now = new Date()): Promise<Result<{ entryId: string }>> {
  const item = await byId(db, id);
  if (!item) return fail(404, 'id', '留言不存在');
  if (!can(grants, 'consult.answer', { siteId: item.siteId }, await parentMap(db))) return fail(403, 'id', '无权办理该网站的留言');
  const body = await publishedBodyOf(db, item);
  if (!body || !item.documentId) return fail(409, 'id', '答复发布后才能加入政策问答库');
  if (item.qaEntryId) return fail(409, 'id', '该留言已加入政策问答库');
  const question = withoutPersonalData(item.question.length <= 200 ? item.question : item.title);
  // The answer as reviewed and published, not the first draft.
  const published = plainText(publishedAnswerHtml(body));
  const answerText = published.length <= 2000 ? published : `${published.slice(0, 1999)}…`;
  const input = QaEntryInputSchema.safeParse({ siteId: item.siteId, question, answer: answerText, sourceDocumentId: item.documentId });
  if (!input.success) return fail(409, 'id', `无法生成问答条目：${input.error.issues[0]!.message}`);
  try {
    const created = await createEntry(db, actor, grants, input.data, now, (entry) => [
      db.prepare('UPDATE consult_messages SET qa_entry_id = ? WHERE id = ? AND qa_entry_id IS NULL').bind(entry.id, id),
      db.prepare('INSERT INTO cms_guard (ok) VALUES (changes())'),
      db.prepare('DELETE FROM cms_guard'),
    ]);
    return created.ok ? ok({ entryId: created.value.id }) : created;
  } catch (e) {
    if (/CHECK constraint failed/i.test(String(e))) return fail(409, 'id', '该留言已加入政策问答库');
    throw e;
  }
}

/** Contact details past their time are deleted (the Cron Trigger). */
export const purgeContacts = (db: D1Database, now = new Date()) => db.prepare('DELETE FROM consult_contacts WHERE purge_after < ?').bind(now.toISOString());

/** Rate-limit windows that ended a day ago or more (no window is longer than 2 hours): the table stays small. */
export const pruneRates = (db: D1Database, now = new Date()) => db.prepare('DELETE FROM consult_rate WHERE window_start < ?').bind(now.getTime() - 86_400_000);

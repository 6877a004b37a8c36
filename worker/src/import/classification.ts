/**
 * 标记分类 of imported documents (issue 15): the 主题分类 each imported document gets (cms-schema
 * topic-classify.ts: the record's own, else the topic model's guess with its confidence), stored in
 * document_topics in the document's own import batch; the editors' queue of imported documents whose topic or
 * interest tags (document_tags, cms-schema auto-tags.ts) the classifiers were unsure of; and an editor's
 * confirmation or correction, written in one batch with its search-queue row and audit entry.
 */
import { z } from 'zod';
import { INTEREST_LABELS, InterestCodeSchema, type InterestCode } from '@ywtc/cms-schema';
import { POLICY_TOPICS } from '@ywtc/cms-schema/topics';
import { classifyTopic, policyTopicOf, type TopicGuess } from '@ywtc/cms-schema/topic-classify';
import { enqueueDocument } from '@ywtc/search';
import { auditStatement } from '../cms/audit.ts';
import { sha256Hex } from '../cms/password.ts';

export interface ClassifiableDocument {
  id: string;
  title: string;
  bodyHtml: string;
  topic: string | null;
}

/**
 * Statements for the import batch, after the document's own row: its document_topics row, and documents.topic
 * filled from it when the topic is settled (an editor's, or a guess sure enough to need no review). A guess
 * waiting for review stays out of the document's metadata — the public page and the 政策文件库 filter show only
 * a topic someone stands behind. An editor's decision survives the record being sent again.
 */
export function classificationWrites(db: D1Database, doc: ClassifiableDocument, guess: TopicGuess = classifyTopic(doc)): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO document_topics (document_id, topic, confidence, source, needs_review, reviewed_by, reviewed_at) VALUES (?, ?, ?, ?, ?, NULL, NULL)
         ON CONFLICT (document_id) DO UPDATE SET topic = excluded.topic, confidence = excluded.confidence, source = excluded.source,
           needs_review = excluded.needs_review, reviewed_by = NULL, reviewed_at = NULL
         WHERE document_topics.source <> 'editor'`,
      )
      .bind(doc.id, guess.topic, guess.confidence, guess.source, guess.needsReview ? 1 : 0),
    db
      .prepare(
        // Written with one key at the end, so the import store can merge a batch's updates into one `IN (…)`.
        `UPDATE documents SET topic = coalesce((SELECT t.topic FROM document_topics t WHERE t.document_id = documents.id AND (t.source = 'editor' OR t.needs_review = 0)), topic) WHERE id = ?`,
      )
      .bind(doc.id),
  ];
}

export const QUEUE_PAGE_SIZE = 20;
export const QUEUE_KINDS = { all: '全部', topic: '主题分类待确认', interest: '兴趣领域待确认' } as const;

const blank = (v: unknown) => (v === '' ? undefined : v);
export const QueueQuerySchema = z.object({
  site: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[a-z0-9-]+$/, '网站标识格式不正确')
      .max(80)
      .optional(),
  ),
  kind: z.preprocess(blank, z.enum(['all', 'topic', 'interest'], { error: '类型只能是全部、主题分类或兴趣领域' }).default('all')),
  page: z.preprocess(blank, z.coerce.number({ error: '页码须为数字' }).int('页码须为整数').min(1, '页码至少为 1').max(10_000).default(1)),
});
export type QueueQuery = z.infer<typeof QueueQuerySchema>;

export interface QueueItem {
  id: string;
  title: string;
  siteId: string;
  siteName: string;
  topic: { topic: string; confidence: number; needsReview: boolean } | null;
  interests: { interest: InterestCode; confidence: number; needsReview: boolean }[];
}

interface QueueRow {
  id: string;
  title: string;
  site_id: string;
  site_name: string;
  topic: string | null;
  topic_confidence: number | null;
  topic_review: number | null;
  tags: string | null;
}

/**
 * The imported documents of `siteIds` (the sites the reader may write to) whose topic or interest tags need an
 * editor, newest first, QUEUE_PAGE_SIZE a page.
 */
export async function listQueue(db: D1Database, siteIds: readonly string[], q: QueueQuery): Promise<{ items: QueueItem[]; total: number }> {
  const sites = q.site ? siteIds.filter((s) => s === q.site) : siteIds;
  if (sites.length === 0) return { items: [], total: 0 };
  const topicWaits = 'EXISTS (SELECT 1 FROM document_topics t WHERE t.document_id = d.id AND t.needs_review = 1)';
  const tagsWait = 'EXISTS (SELECT 1 FROM document_tags g WHERE g.document_id = d.id AND g.needs_review = 1)';
  const waiting = q.kind === 'topic' ? topicWaits : q.kind === 'interest' ? tagsWait : `(${topicWaits} OR ${tagsWait})`;
  const where = `d.owner_site_id IN (SELECT value FROM json_each(?1)) AND EXISTS (SELECT 1 FROM import_records r WHERE r.document_id = d.id) AND ${waiting}`;
  const [count, rows] = await db.batch([
    db.prepare(`SELECT count(*) AS n FROM documents d WHERE ${where}`).bind(JSON.stringify(sites)),
    db
      .prepare(
        `SELECT d.id, d.title, d.owner_site_id AS site_id, s.name AS site_name, t.topic, t.confidence AS topic_confidence, t.needs_review AS topic_review,
                (SELECT json_group_array(json_object('interest', g.interest, 'confidence', g.confidence, 'needsReview', g.needs_review))
                   FROM (SELECT * FROM document_tags WHERE document_id = d.id ORDER BY confidence DESC, interest) g) AS tags
           FROM documents d JOIN sites s ON s.id = d.owner_site_id LEFT JOIN document_topics t ON t.document_id = d.id
          WHERE ${where} ORDER BY unixepoch(d.published_at) DESC, d.id LIMIT ?2 OFFSET ?3`,
      )
      .bind(JSON.stringify(sites), QUEUE_PAGE_SIZE, (q.page - 1) * QUEUE_PAGE_SIZE),
  ]);
  const items = (rows!.results as unknown as QueueRow[]).map((r) => ({
    id: r.id,
    title: r.title,
    siteId: r.site_id,
    siteName: r.site_name,
    topic: r.topic === null ? null : { topic: r.topic, confidence: r.topic_confidence ?? 0, needsReview: r.topic_review === 1 },
    interests: (JSON.parse(r.tags ?? '[]') as { interest: InterestCode; confidence: number; needsReview: number }[]).map((t) => ({
      ...t,
      needsReview: t.needsReview === 1,
    })),
  }));
  return { items, total: (count!.results[0] as { n: number }).n };
}

/** An editor's decision on one document, as the queue's form sends it (field names are the form's). */
export const ClassifyInputSchema = z.object({
  topic: z.enum(POLICY_TOPICS, { error: '请从列表中选择一个主题分类' }),
  interests: z.preprocess(
    (v): unknown[] => (v === undefined || v === '' ? [] : Array.isArray(v) ? (v as unknown[]) : [v]),
    z.array(InterestCodeSchema).max(5, '兴趣领域最多选 5 个'),
  ),
});
export type ClassifyInput = z.infer<typeof ClassifyInputSchema>;
export const CLASSIFY_FIELDS: Record<string, string> = { topic: '主题分类', interests: '兴趣领域' };

export interface QueuedDocument {
  id: string;
  siteId: string;
  /** The column it is placed in on its own site (editors may be limited to some columns). */
  columnId: string | null;
  topic: string | null;
  interests: InterestCode[];
}

/** An imported document, for the confirm route's checks; null when there is no such imported document. */
export async function queuedDocument(db: D1Database, id: string): Promise<QueuedDocument | null> {
  const row = await db
    .prepare(
      `SELECT d.id, d.owner_site_id AS site_id, d.topic, d.interests,
              (SELECT column_id FROM placements p WHERE p.document_id = d.id AND p.site_id = d.owner_site_id) AS column_id
         FROM documents d WHERE d.id = ? AND EXISTS (SELECT 1 FROM import_records r WHERE r.document_id = d.id)`,
    )
    .bind(id)
    .first<{ id: string; site_id: string; topic: string | null; interests: string; column_id: string | null }>();
  return row ? { id: row.id, siteId: row.site_id, columnId: row.column_id, topic: row.topic, interests: JSON.parse(row.interests) as InterestCode[] } : null;
}

/**
 * The batch that settles a document's classification: document_topics (the editor's, reviewed), documents.topic
 * and documents.interests (so any later re-tagging keeps the editor's choice), document_tags replaced by the
 * editor's 兴趣领域, the CMS's own copy as a new revision (an edit in the CMS then starts from the corrected
 * metadata), a search-queue row (facets follow) and the audit entry. Choosing the first level the document
 * already has keeps its second level (城乡建设、环境保护/城市规划). The batch fails on cms_guard when the CMS revision
 * changed between reading it here and writing (isGuardFailure).
 */
export async function classifyStatements(
  db: D1Database,
  doc: QueuedDocument,
  input: ClassifyInput,
  accountId: string,
  now: Date,
): Promise<D1PreparedStatement[]> {
  const at = now.toISOString();
  const before = await db
    .prepare('SELECT topic, confidence, source FROM document_topics WHERE document_id = ?')
    .bind(doc.id)
    .first<{ topic: string; confidence: number; source: string }>();
  const current = before?.topic ?? doc.topic;
  const topic = current && policyTopicOf(current) === input.topic ? current : input.topic;
  const interests = [...new Set(input.interests)];
  const cms = await db
    .prepare('SELECT c.revision, r.data FROM cms_documents c JOIN cms_revisions r ON r.document_id = c.id AND r.revision = c.revision WHERE c.id = ?')
    .bind(doc.id)
    .first<{ revision: number; data: string }>();
  const revision: D1PreparedStatement[] = [];
  if (cms) {
    const data = JSON.stringify({ ...(JSON.parse(cms.data) as Record<string, unknown>), topic, interests });
    revision.push(
      db.prepare('UPDATE cms_documents SET revision = ?, updated_at = ? WHERE id = ? AND revision = ?').bind(cms.revision + 1, at, doc.id, cms.revision),
      // The batch fails unless that UPDATE changed exactly one row (someone saved meanwhile).
      db.prepare('INSERT INTO cms_guard (ok) VALUES (changes())'),
      db.prepare('DELETE FROM cms_guard'),
      db
        .prepare('INSERT INTO cms_revisions (document_id, revision, data, hash, author_id, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .bind(doc.id, cms.revision + 1, data, await sha256Hex(data), accountId, at),
    );
  }
  return [
    db
      .prepare(
        `INSERT OR REPLACE INTO document_topics (document_id, topic, confidence, source, needs_review, reviewed_by, reviewed_at) VALUES (?, ?, 1, 'editor', 0, ?, ?)`,
      )
      .bind(doc.id, topic, accountId, at),
    db.prepare('UPDATE documents SET topic = ?, interests = ? WHERE id = ?').bind(topic, JSON.stringify(interests), doc.id),
    db.prepare('DELETE FROM document_tags WHERE document_id = ?').bind(doc.id),
    ...interests.map((interest) =>
      db.prepare("INSERT INTO document_tags (document_id, interest, confidence, source, needs_review) VALUES (?, ?, 1, 'editor', 0)").bind(doc.id, interest),
    ),
    ...revision,
    enqueueDocument(db, doc.id, at),
    await auditStatement(
      db,
      {
        accountId,
        action: 'document.classify',
        target: doc.id,
        siteId: doc.siteId,
        before: { topic: before ?? doc.topic, interests: doc.interests },
        after: { topic, interests },
        detail: `主题分类：${topic}；兴趣领域：${interests.map((i) => INTEREST_LABELS[i]).join('、') || '无'}${before && before.topic !== topic ? `（原为 ${before.topic}）` : ''}`,
      },
      now,
    ),
  ];
}

/** The batch failed on the CMS revision's guard: the document was saved in the CMS meanwhile. */
export const isGuardFailure = (e: unknown) => /CHECK constraint failed/i.test(String(e));

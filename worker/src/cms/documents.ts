/**
 * Documents in the CMS, in D1: create, save (a new revision, only from the revision the editor started from),
 * and move through 先审后发 (cms-schema workflow.ts). Every write is one batch with its audit entry; a check
 * that must hold when the write happens (the revision, the state) is a condition in the SQL itself, so two
 * people acting at once cannot both succeed. Publishing copies the document into the content store for its
 * site; withdrawing takes it off. Either leaves, in the same transaction, the page updates and the search-index
 * update it owes (render_queue, search_queue), which the request works off right after (cms/after-change.ts)
 * and the Cron Trigger finishes if the request could not.
 */
import {
  ACTION_RIGHT,
  DocumentSchema,
  TABLES,
  can,
  cstDate,
  tagDocument,
  type DocumentTag,
  fromRow,
  insertSql,
  reviewDepth,
  selectColumns,
  toRow,
  transition,
  editable,
  type Account,
  type CmsDocument,
  type StaffPrincipal,
  type ColumnKind,
  type Draft,
  type Grant,
  type WorkflowAction,
} from '@ywtc/cms-schema';
import { enqueueDocument } from '@ywtc/search';
import { auditStatement } from './audit.ts';
import { fail, type Failure, type Result } from '../platform/result.ts';
import { sha256Hex } from './password.ts';
import { enqueueRenders } from '../render/render-queue.ts';
import { NUMBERED_KINDS, assignIndexNumber, fillIndexNumber } from './index-numbers.ts';

/** Who acts: an account, or the scheduler (`system`) releasing what reviewers approved for a time. */
export type Actor = Pick<Account, 'id'>;
export const actorOf = (p: StaffPrincipal): Actor => ({ id: p.accountId });

/** Placed right after a conditional UPDATE: the batch fails unless that UPDATE changed exactly one row. */
const guard = (db: D1Database) => [db.prepare('INSERT INTO cms_guard (ok) VALUES (changes())'), db.prepare('DELETE FROM cms_guard')];
const isGuardFailure = (e: unknown) => /CHECK constraint failed/i.test(String(e));
/** Runs a guarded batch: true when it was written, false when the guard found the row changed meanwhile. */
async function guarded(db: D1Database, statements: D1PreparedStatement[]): Promise<boolean> {
  try {
    await db.batch(statements);
    return true;
  } catch (e) {
    if (isGuardFailure(e)) return false;
    throw e;
  }
}

/**
 * The site hierarchy, read once a minute per isolate: every access check needs it, the registry changes
 * rarely, and reading 200+ rows per CMS action (twice for a submission) was the most repeated work here.
 */
const HIERARCHY_TTL_MS = 60_000;
let hierarchy: { parents: Map<string, string | null>; until: number } | null = null;
export async function parentMap(db: D1Database, now = Date.now()): Promise<(id: string) => string | null> {
  if (!hierarchy || hierarchy.until <= now) {
    const { results } = await db.prepare('SELECT id, parent_id FROM sites').all<{ id: string; parent_id: string | null }>();
    hierarchy = { parents: new Map(results.map((r) => [r.id, r.parent_id])), until: now + HIERARCHY_TTL_MS };
  }
  const parents = hierarchy.parents;
  return (id) => parents.get(id) ?? null;
}

export async function loadItem(db: D1Database, id: string): Promise<CmsDocument | null> {
  const row = await db
    .prepare(`SELECT ${selectColumns(TABLES.cmsDocuments)} FROM cms_documents WHERE id = ?`)
    .bind(id)
    .first();
  return row ? fromRow(TABLES.cmsDocuments, row) : null;
}

export async function loadDraft(db: D1Database, id: string, revision: number): Promise<Draft | null> {
  const row = await db.prepare('SELECT data FROM cms_revisions WHERE document_id = ? AND revision = ?').bind(id, revision).first<{ data: string }>();
  return row ? (JSON.parse(row.data) as Draft) : null;
}

const newId = (siteId: string, now: Date) => `${siteId.slice(0, 40)}-${cstDate(now).replace(/-/g, '')}-${crypto.randomUUID().slice(0, 8)}`;

export async function createDocument(
  db: D1Database,
  account: Actor,
  grants: Grant[],
  input: { siteId: string; columnId: string; draft: Draft },
  now = new Date(),
  /** Writes that belong with the new document, in its transaction (a 留言's answer links itself to it). */
  also: (item: CmsDocument) => D1PreparedStatement[] = () => [],
): Promise<Result<CmsDocument>> {
  const column = await db.prepare('SELECT kind FROM columns WHERE id = ? AND site_id = ?').bind(input.columnId, input.siteId).first<{ kind: ColumnKind }>();
  if (!column) return fail(400, 'columnId', `网站 ${input.siteId} 没有栏目 ${input.columnId}`);
  if (!can(grants, 'document.write', { siteId: input.siteId, columnId: input.columnId }, await parentMap(db)))
    return fail(403, 'siteId', '无权在该网站栏目下创建文档');
  const at = now.toISOString();
  const item: CmsDocument = {
    id: newId(input.siteId, now),
    siteId: input.siteId,
    columnId: input.columnId,
    state: 'draft',
    level: null,
    depth: reviewDepth(column.kind),
    revision: 1,
    publishedAt: null,
    scheduledAt: null,
    createdBy: account.id,
    createdAt: at,
    updatedAt: at,
  };
  const data = JSON.stringify(input.draft);
  await db.batch([
    db.prepare(insertSql(TABLES.cmsDocuments)).bind(...toRow(TABLES.cmsDocuments, item)),
    db
      .prepare('INSERT INTO cms_revisions (document_id, revision, data, hash, author_id, created_at) VALUES (?, 1, ?, ?, ?, ?)')
      .bind(item.id, data, await sha256Hex(data), account.id, at),
    await auditStatement(db, { accountId: account.id, action: 'document.create', target: item.id, siteId: item.siteId, after: input.draft }, now),
    ...also(item),
  ]);
  return { ok: true, value: item };
}

/** A new revision, only from the current one and only while a draft: a stale revision number is a 409, nothing lost. */
export async function saveDocument(
  db: D1Database,
  account: Actor,
  grants: Grant[],
  id: string,
  input: { revision: number; draft: Draft },
  now = new Date(),
): Promise<Result<CmsDocument>> {
  const item = await loadItem(db, id);
  if (!item) return fail(404, 'id', '文档不存在');
  if (!can(grants, 'document.write', { siteId: item.siteId, columnId: item.columnId }, await parentMap(db))) return fail(403, 'id', '无权修改该文档');
  if (!editable(item)) return fail(409, 'state', '只有草稿可以修改；已提交的文档须退回后再改');
  const before = await loadDraft(db, id, item.revision);
  const data = JSON.stringify(input.draft);
  const at = now.toISOString();
  const written = await guarded(db, [
    db
      .prepare("UPDATE cms_documents SET revision = revision + 1, updated_at = ? WHERE id = ? AND revision = ? AND state = 'draft'")
      .bind(at, id, input.revision),
    ...guard(db),
    db
      .prepare('INSERT INTO cms_revisions (document_id, revision, data, hash, author_id, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .bind(id, input.revision + 1, data, await sha256Hex(data), account.id, at),
    await auditStatement(
      db,
      { accountId: account.id, action: 'document.save', target: id, siteId: item.siteId, before, after: input.draft, detail: `修订 ${input.revision + 1}` },
      now,
    ),
  ]);
  if (!written) return fail(409, 'revision', `文档已被他人修改（当前修订 ${item.revision}），请刷新后在最新版本上修改`);
  return { ok: true, value: { ...item, revision: input.revision + 1, updatedAt: at } };
}

const commentOf = (a: WorkflowAction) => ('comment' in a && a.comment ? a.comment : 'reason' in a ? a.reason : 'at' in a ? a.at : '');

export async function moveDocument(
  db: D1Database,
  account: Actor,
  grants: Grant[],
  id: string,
  action: WorkflowAction,
  now = new Date(),
): Promise<Result<CmsDocument>> {
  const item = await loadItem(db, id);
  if (!item) return fail(404, 'id', '文档不存在');
  const right = ACTION_RIGHT[action.type];
  const target = { siteId: item.siteId, columnId: item.columnId, ...(right === 'document.review' && item.level !== null ? { level: item.level } : {}) };
  if (!can(grants, right, target, await parentMap(db)))
    return fail(403, 'action', right === 'document.review' ? `无权进行第 ${item.level ?? '?'} 级审核` : '无权进行此操作');
  const draft = await loadDraft(db, id, item.revision);
  if (!draft) return fail(409, 'revision', '找不到当前修订');
  const policyLive = draft.interprets
    ? (await db
        .prepare("SELECT 1 AS live FROM cms_documents WHERE id = ? AND state = 'published' UNION SELECT 1 FROM placements WHERE document_id = ?")
        .bind(draft.interprets, draft.interprets)
        .first()) !== null
    : null;
  const out = transition(item, action, { now, policyLive });
  if (!out.ok) return fail(out.field === 'state' ? 409 : 400, out.field, out.message);
  const next: CmsDocument = { ...item, ...out.item, updatedAt: now.toISOString() };
  const live = next.state === 'published' && item.state !== 'published';
  const gone = item.state === 'published' && next.state !== 'published';
  // A 示例 item (seeded demo content) stays marked 示例 when it is published again.
  const demo = live && (await db.prepare('SELECT is_demo FROM documents WHERE id = ?').bind(id).first<{ is_demo: number }>())?.is_demo === 1;
  // 索引号: typed by the editor, or assigned in this batch (cms/index-numbers.ts) from the owning unit's code.
  const unitCode =
    live && NUMBERED_KINDS.has(draft.kind) && !draft.indexNumber
      ? ((await db.prepare('SELECT id_code FROM sites WHERE id = ?').bind(item.siteId).first<{ id_code: string }>())?.id_code ?? null)
      : null;
  const stored = live ? contentStoreWrites(db, next, draft, demo, unitCode) : [];
  if (!Array.isArray(stored)) return fail(stored.status, stored.field, stored.message);
  const statements = [
    db
      .prepare(
        'UPDATE cms_documents SET state = ?, level = ?, published_at = ?, scheduled_at = ?, updated_at = ? WHERE id = ? AND state = ? AND coalesce(level, 0) = ? AND revision = ?',
      )
      .bind(next.state, next.level, next.publishedAt, next.scheduledAt, next.updatedAt, id, item.state, item.level ?? 0, item.revision),
    ...guard(db),
    db
      .prepare('INSERT INTO cms_transitions (document_id, from_state, to_state, level, account_id, at, comment) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .bind(id, item.state, next.state, right === 'document.review' ? item.level : null, account.id, next.updatedAt, commentOf(action).slice(0, 1000)),
    // The page updates each site owes go in the same transaction (worker/src/render/render-queue.ts): after
    // the placements are written, before they are deleted.
    ...(live ? [...stored, enqueueRenders(db, id, next.updatedAt)] : []),
    ...(gone ? [enqueueRenders(db, id, next.updatedAt), ...contentStoreRemovals(db, id)] : []),
    // And the search-index update (search/src/queue.ts), drained after the commit through the configured backend.
    ...(live || gone ? [enqueueDocument(db, id, next.updatedAt)] : []),
    await auditStatement(
      db,
      { accountId: account.id, action: `document.${action.type}`, target: id, siteId: item.siteId, before: item, after: next, detail: commentOf(action) },
      now,
    ),
  ];
  if (!(await guarded(db, statements))) return fail(409, 'state', '文档状态已被他人改变，请刷新后重试');
  return { ok: true, value: next };
}

/** The published document in the content store, shown on its site in its column (and linked to its policy). */
function contentStoreWrites(db: D1Database, item: CmsDocument, draft: Draft, isDemo: boolean, unitCode: string | null): D1PreparedStatement[] | Failure {
  const { interprets, ...fields } = draft;
  // The draft was valid as a draft; as a published document it must also hold with the server's 发布日期
  // (成文日期 not after it). A failure here is the editor's to fix, not a crash.
  const parsed = DocumentSchema.safeParse({
    ...fields,
    id: item.id,
    publishedAt: item.publishedAt,
    ownerSiteId: item.siteId,
    isDemo,
    issuedOn: cstDate(item.publishedAt!),
  });
  if (!parsed.success) return { status: 409, field: parsed.error.issues[0]!.path.join('.') || 'draft', message: parsed.error.issues[0]!.message };
  const doc = parsed.data;
  const numbered = unitCode !== null && doc.indexNumber === null;
  return [
    ...(numbered ? assignIndexNumber(db, { documentId: doc.id, unitCode, publishedAt: doc.publishedAt }) : []),
    db.prepare(insertSql(TABLES.documents, 'INSERT OR REPLACE')).bind(...toRow(TABLES.documents, doc)),
    ...(numbered ? [fillIndexNumber(db, doc.id)] : []),
    // 千人千网's interest tags, in the same transaction: the editor's 兴趣领域, or the classifier's (auto-tags.ts).
    db.prepare('DELETE FROM document_tags WHERE document_id = ?').bind(doc.id),
    ...tagDocument(doc).map((tag) => db.prepare(insertSql(TABLES.documentTags)).bind(...toRow(TABLES.documentTags, tag))),
    db.prepare('INSERT OR REPLACE INTO placements (document_id, site_id, column_id, pinned) VALUES (?, ?, ?, 0)').bind(item.id, item.siteId, item.columnId),
    // Sites that share it show it again (a re-publish after a withdrawal brings them back).
    db
      .prepare(
        'INSERT OR REPLACE INTO placements (document_id, site_id, column_id, pinned) SELECT document_id, site_id, column_id, 0 FROM cms_shares WHERE document_id = ?',
      )
      .bind(item.id),
    ...(interprets ? [db.prepare('INSERT OR IGNORE INTO interpretation_links (policy_id, interpretation_id) VALUES (?, ?)').bind(interprets, item.id)] : []),
  ];
}

/** Withdrawn: off every site (the document row stays, for the record and for a later re-publish). */
function contentStoreRemovals(db: D1Database, id: string): D1PreparedStatement[] {
  return [
    db.prepare('DELETE FROM placements WHERE document_id = ?').bind(id),
    db.prepare('DELETE FROM interpretation_links WHERE interpretation_id = ?').bind(id),
  ];
}

/** The interest tags a published document carries (千人千网): the editor's or the classifier's, surest first. */
export async function documentTags(db: D1Database, id: string): Promise<DocumentTag[]> {
  const { results } = await db
    .prepare(`SELECT ${selectColumns(TABLES.documentTags)} FROM document_tags WHERE document_id = ? ORDER BY confidence DESC, interest`)
    .bind(id)
    .all<Record<string, unknown>>();
  return results.map((r) => fromRow(TABLES.documentTags, r));
}

export interface RevisionInfo {
  revision: number;
  authorId: string;
  createdAt: string;
  hash: string;
}
export async function listRevisions(db: D1Database, id: string): Promise<RevisionInfo[]> {
  const { results } = await db
    .prepare('SELECT revision, author_id AS authorId, created_at AS createdAt, hash FROM cms_revisions WHERE document_id = ? ORDER BY revision DESC')
    .bind(id)
    .all<RevisionInfo>();
  return results;
}

/** An earlier revision's content as a new revision (the history stays whole): drafts only, from the current revision. */
export async function restoreRevision(
  db: D1Database,
  account: Actor,
  grants: Grant[],
  id: string,
  input: { revision: number; from: number },
  now = new Date(),
): Promise<Result<CmsDocument>> {
  const old = await loadDraft(db, id, input.from);
  if (!old) return fail(404, 'from', `没有修订 ${input.from}`);
  const saved = await saveDocument(db, account, grants, id, { revision: input.revision, draft: old }, now);
  if (saved.ok)
    await (
      await auditStatement(
        db,
        {
          accountId: account.id,
          action: 'document.restore',
          target: id,
          siteId: saved.value.siteId,
          detail: `以修订 ${input.from} 的内容生成修订 ${saved.value.revision}`,
        },
        now,
      )
    ).run();
  return saved;
}

/**
 * 转载/共享: the receiving site shows a published document in one of its columns (its own template). The
 * receiving unit decides (内容自管): it needs the right to publish in that column; the owner's rights do not
 * reach other units' sites. Shown at once when the document is live, and with it afterwards.
 */
export async function shareDocument(
  db: D1Database,
  account: Actor,
  grants: Grant[],
  id: string,
  target: { siteId: string; columnId: string },
  now = new Date(),
): Promise<Result<{ siteId: string; columnId: string }>> {
  const item = await loadItem(db, id);
  if (!item) return fail(404, 'id', '文档不存在');
  if (target.siteId === item.siteId) return fail(400, 'siteId', '文档已在本网站发布，无需转载');
  const column = await db.prepare('SELECT 1 FROM columns WHERE id = ? AND site_id = ?').bind(target.columnId, target.siteId).first();
  if (!column) return fail(400, 'columnId', `网站 ${target.siteId} 没有栏目 ${target.columnId}`);
  if (!can(grants, 'document.publish', target, await parentMap(db))) return fail(403, 'siteId', '只有转载网站的编辑或管理员可以转载到该网站');
  if (item.state !== 'published') return fail(409, 'state', '只能转载已发布的文档');
  await db.batch([
    db
      .prepare('INSERT OR REPLACE INTO cms_shares (document_id, site_id, column_id, account_id, created_at) VALUES (?, ?, ?, ?, ?)')
      .bind(id, target.siteId, target.columnId, account.id, now.toISOString()),
    db.prepare('INSERT OR REPLACE INTO placements (document_id, site_id, column_id, pinned) VALUES (?, ?, ?, 0)').bind(id, target.siteId, target.columnId),
    enqueueRenders(db, id, now.toISOString(), target.siteId),
    enqueueDocument(db, id, now.toISOString()),
    await auditStatement(db, { accountId: account.id, action: 'document.share', target: id, siteId: target.siteId, detail: `转载到 ${target.columnId}` }, now),
  ]);
  return { ok: true, value: target };
}

export async function unshareDocument(
  db: D1Database,
  account: Actor,
  grants: Grant[],
  id: string,
  siteId: string,
  now = new Date(),
): Promise<Result<{ siteId: string }>> {
  const share = await db.prepare('SELECT column_id FROM cms_shares WHERE document_id = ? AND site_id = ?').bind(id, siteId).first<{ column_id: string }>();
  if (!share) return fail(404, 'siteId', '该网站没有转载此文档');
  if (!can(grants, 'document.publish', { siteId, columnId: share.column_id }, await parentMap(db))) return fail(403, 'siteId', '无权取消该网站的转载');
  await db.batch([
    db.prepare('DELETE FROM cms_shares WHERE document_id = ? AND site_id = ?').bind(id, siteId),
    enqueueRenders(db, id, now.toISOString(), siteId),
    db.prepare('DELETE FROM placements WHERE document_id = ? AND site_id = ?').bind(id, siteId),
    enqueueDocument(db, id, now.toISOString()),
    await auditStatement(db, { accountId: account.id, action: 'document.unshare', target: id, siteId }, now),
  ]);
  return { ok: true, value: { siteId } };
}

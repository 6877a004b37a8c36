/** /api/cms/documents: create, read, save revisions, list them, and move a document through 先审后发. */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import {
  CreateDocumentSchema,
  MAX_ATTACHMENT_BYTES,
  SaveDocumentSchema,
  ShareRequestSchema,
  attachmentType,
  diffDrafts,
  type WorkflowAction,
} from '@ywtc/cms-schema';
import { can, editable } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { runChecks } from './checks.ts';
import { mayRead } from './document-access.ts';
import {
  actorOf,
  createDocument,
  documentTags,
  listRevisions,
  loadDraft,
  loadItem,
  moveDocument,
  parentMap,
  restoreRevision,
  saveDocument,
  shareDocument,
  unshareDocument,
} from './documents.ts';
import type { Result } from '../platform/result.ts';
import { invalid, jsonBody, noStore, reply } from '../platform/http.ts';
import { settleChange } from './after-change.ts';

/** A committed change, followed at once by the page and index updates it owes (render/render-queue.ts). */
async function withPages<T>(c: Context<AppEnv>, id: string, r: Result<T>): Promise<Result<T>> {
  if (!r.ok) return r;
  const waitUntil = (p: Promise<unknown>) => c.executionCtx.waitUntil(p);
  return { ok: true, value: await settleChange(c.env, id, r.value, waitUntil) };
}

/** Each workflow step's body. */
const STEPS = {
  submit: z.object({}),
  approve: z.object({ comment: z.string().max(1000).optional() }),
  reject: z.object({ comment: z.string().trim().min(1, '退回须填写意见').max(1000) }),
  publish: z.object({}),
  schedule: z.object({ at: z.iso.datetime({ offset: true, message: '发布时间须为带时区的 ISO 8601 格式' }) }),
  withdraw: z.object({ reason: z.string().trim().min(1, '撤稿须填写原因').max(1000) }),
  reopen: z.object({}),
} as const;
type Step = keyof typeof STEPS;

export const documentRoutes = new Hono<AppEnv>();
const read = authorize('documents', 'read');
const write = authorize('documents', 'write');

documentRoutes.post('/documents', write, async (c) => {
  const parsed = CreateDocumentSchema.safeParse(await jsonBody(c));
  if (!parsed.success) return invalid(c, parsed.error);
  const p = staffOf(c);
  return reply(c, await createDocument(c.env.DB, actorOf(p), p.grants, parsed.data), 201);
});

/** The document if the signed-in account has any role on its site or above; null otherwise (a 404: not even that it exists). */
async function readable(c: Context<AppEnv>) {
  const item = await loadItem(c.env.DB, c.req.param('id')!);
  if (!item) return null;
  return mayRead(staffOf(c).grants, item, await parentMap(c.env.DB)) ? item : null;
}
const notFound = (c: Context) => c.json({ error: 'not-found', field: 'id', message: '文档不存在' }, 404, noStore);

documentRoutes.get('/documents/:id', read, async (c) => {
  const item = await readable(c);
  if (!item) return notFound(c);
  const [draft, tags] = await Promise.all([loadDraft(c.env.DB, item.id, item.revision), documentTags(c.env.DB, item.id)]);
  // The interest tags the published document carries (千人千网): the editor's or the classifier's, with confidence.
  return c.json({ item, draft, tags }, 200, noStore);
});

documentRoutes.get('/documents/:id/revisions', read, async (c) => {
  const item = await readable(c);
  if (!item) return notFound(c);
  return c.json({ revisions: await listRevisions(c.env.DB, item.id) }, 200, noStore);
});

const DiffQuery = z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) });
documentRoutes.get('/documents/:id/diff', read, async (c) => {
  const item = await readable(c);
  if (!item) return notFound(c);
  const q = DiffQuery.safeParse(c.req.query());
  if (!q.success) return invalid(c, q.error);
  const [a, b] = await Promise.all([loadDraft(c.env.DB, item.id, q.data.from), loadDraft(c.env.DB, item.id, q.data.to)]);
  if (!a || !b) return c.json({ error: 'not-found', field: a ? 'to' : 'from', message: '没有该修订' }, 404, noStore);
  return c.json({ from: q.data.from, to: q.data.to, changes: diffDrafts(a as Record<string, unknown>, b as Record<string, unknown>) }, 200, noStore);
});

/** The pre-publish checks of the current revision: errors (block submission) and warnings. */
documentRoutes.get('/documents/:id/checks', read, async (c) => {
  const item = await readable(c);
  if (!item) return notFound(c);
  const draft = await loadDraft(c.env.DB, item.id, item.revision);
  return c.json(await runChecks(c.env, draft!, item.siteId), 200, noStore);
});

const RestoreBody = z.object({ revision: z.number().int().min(1), from: z.number().int().min(1) });
documentRoutes.post('/documents/:id/restore', write, async (c) => {
  const parsed = RestoreBody.safeParse(await jsonBody(c));
  if (!parsed.success) return invalid(c, parsed.error);
  const p = staffOf(c);
  return reply(c, await restoreRevision(c.env.DB, actorOf(p), p.grants, c.req.param('id'), parsed.data));
});

documentRoutes.put('/documents/:id', write, async (c) => {
  const parsed = SaveDocumentSchema.safeParse(await jsonBody(c));
  if (!parsed.success) return invalid(c, parsed.error);
  const p = staffOf(c);
  return reply(c, await saveDocument(c.env.DB, actorOf(p), p.grants, c.req.param('id'), parsed.data));
});

/** Upload: multipart `file` and the `revision` it adds to; stored in R2 by content hash, listed in a new revision. */
documentRoutes.post('/documents/:id/attachments', write, async (c) => {
  const item = await readable(c);
  if (!item) return notFound(c);
  const p = staffOf(c);
  // Everything that can refuse the upload is checked before a byte goes to R2: a refused upload stores nothing.
  if (!can(p.grants, 'document.write', { siteId: item.siteId, columnId: item.columnId }, await parentMap(c.env.DB)))
    return c.json({ error: 'forbidden', field: 'id', message: '无权修改该文档' }, 403, noStore);
  if (!editable(item)) return c.json({ error: 'conflict', field: 'state', message: '只有草稿可以添加附件；已提交的文档须退回后再改' }, 409, noStore);
  const form = await c.req.parseBody().catch(() => null);
  const file = form?.file;
  const revision = Number(form?.revision);
  if (!(file instanceof File)) return c.json({ error: 'invalid', field: 'file', message: '请选择要上传的文件' }, 400, noStore);
  if (!Number.isInteger(revision) || revision < 1) return c.json({ error: 'invalid', field: 'revision', message: '缺少当前修订号' }, 400, noStore);
  if (revision !== item.revision)
    return c.json({ error: 'conflict', field: 'revision', message: `文档已被他人修改（当前修订 ${item.revision}），请刷新后在最新版本上修改` }, 409, noStore);
  if (file.size > MAX_ATTACHMENT_BYTES)
    return c.json({ error: 'invalid', field: 'file', message: `附件不能超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB` }, 413, noStore);
  const bytes = new Uint8Array(await file.arrayBuffer());
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  const name = file.name.replace(/[\\/\u0000-\u001f]/g, '_').slice(-200) || 'file';
  const type = attachmentType(name, bytes.subarray(0, 16));
  if (!type.ok) return c.json({ error: 'invalid', field: 'file', message: type.message }, 400, noStore);
  const sha256 = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const key = `attachments/${sha256}.${type.ext}`;
  // Content-addressed: the same file uploaded twice is one object, and an object no revision lists is inert.
  await c.env.PAGES.put(key, bytes, { httpMetadata: { contentType: type.contentType }, sha256 });
  const draft = await loadDraft(c.env.DB, item.id, item.revision);
  if (!draft) return c.json({ error: 'conflict', field: 'revision', message: '找不到当前修订' }, 409, noStore);
  const attachment = { name, key, contentType: type.contentType, size: bytes.byteLength, sha256 };
  const next = { ...draft, attachments: [...draft.attachments.filter((a) => a.key !== key), attachment] };
  const saved = await saveDocument(c.env.DB, actorOf(p), p.grants, item.id, { revision, draft: next });
  return saved.ok ? c.json({ attachment, document: saved.value }, 201, noStore) : reply(c, saved);
});

/** 转载: show a published document on another site, in one of its columns (that site's right to publish). */
const share = authorize('documents', 'share');
documentRoutes.post('/documents/:id/shares', share, async (c) => {
  const parsed = ShareRequestSchema.safeParse(await jsonBody(c));
  if (!parsed.success) return invalid(c, parsed.error);
  const p = staffOf(c);
  return reply(c, await withPages(c, c.req.param('id'), await shareDocument(c.env.DB, actorOf(p), p.grants, c.req.param('id'), parsed.data)), 201);
});

documentRoutes.delete('/documents/:id/shares/:siteId', share, async (c) => {
  const p = staffOf(c);
  return reply(c, await withPages(c, c.req.param('id'), await unshareDocument(c.env.DB, actorOf(p), p.grants, c.req.param('id'), c.req.param('siteId'))));
});

// Workflow steps last: more specific routes above (restore, attachments) must match first.
documentRoutes.post('/documents/:id/:step', authorize('documents', 'move'), async (c) => {
  const step = c.req.param('step') as Step;
  // Own keys only: `constructor` or `__proto__` are properties of every object, not steps.
  if (!Object.hasOwn(STEPS, step)) return c.json({ error: 'not-found', field: 'step', message: '没有这个操作' }, 404, noStore);
  const parsed = STEPS[step].safeParse((await c.req.json().catch(() => ({}))) ?? {});
  if (!parsed.success) return invalid(c, parsed.error);
  const action = { type: step, ...parsed.data } as WorkflowAction;
  if (step === 'submit') {
    // Blocking problems stop a submission here, with the list the editor saw before.
    const item = await readable(c);
    const draft = item ? await loadDraft(c.env.DB, item.id, item.revision) : null;
    const report = draft && item ? await runChecks(c.env, draft, item.siteId) : null;
    if (report && report.errors.length)
      return c.json({ error: 'invalid', field: 'checks', message: `有 ${report.errors.length} 个问题必须先修改`, ...report }, 400, noStore);
  }
  const p = staffOf(c);
  return reply(c, await withPages(c, c.req.param('id'), await moveDocument(c.env.DB, actorOf(p), p.grants, c.req.param('id'), action)));
});

/**
 * The editors' classification queue of imported documents (issue 15), mounted under /admin (admin/routes.ts):
 *   GET  /admin/import/queue               — `import.read`, then only the sites the account may write documents on;
 *   POST /admin/import/queue/:documentId   — `import.classify` (CSRF as every admin form), then `document.write` on
 *                                            the document's own site and column: confirm or correct it.
 */
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { can, type Grant } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { deniedPage } from '../access/denied-page.ts';
import { parentMap } from '../cms/documents.ts';
import { adminPage } from '../admin/admin-layout.ts';
import { viewerOf } from '../admin/viewer.ts';
import {
  CLASSIFY_FIELDS,
  ClassifyInputSchema,
  QueueQuerySchema,
  classifyStatements,
  isGuardFailure,
  listQueue,
  queuedDocument,
  type QueueQuery,
} from './classification.ts';
import { queueHref, queuePage, type QueueSite } from './queue-page.ts';

const noStore = { 'Cache-Control': 'no-store' } as const;

/**
 * The sites whose documents this account edits: where it may write anywhere on the site, or (an editor limited
 * to some columns) in some of its columns — the confirm route then checks the document's own column.
 */
async function writableSites(c: Context<AppEnv>): Promise<QueueSite[]> {
  const grants: readonly Grant[] = staffOf(c).grants;
  const parentOf = await parentMap(c.env.DB);
  const { results } = await c.env.DB.prepare('SELECT id, name FROM sites ORDER BY sort_order, id').all<QueueSite>();
  return results.filter(
    (s) => can(grants, 'document.write', { siteId: s.id }, parentOf) || grants.some((g) => g.role === 'editor' && g.siteId === s.id && g.columnIds.length > 0),
  );
}

const fieldError = (issue: { path: PropertyKey[]; message: string }, names: Record<string, string>) => {
  const key = String(issue.path[0] ?? '');
  return `${names[key] ?? key}：${issue.message}`;
};

async function renderQueue(c: Context<AppEnv>, query: QueueQuery, status: 200 | 400 | 409, error: string | null, notice: string | null = null) {
  const sites = await writableSites(c);
  const { items, total } = await listQueue(
    c.env.DB,
    sites.map((s) => s.id),
    query,
  );
  return c.html(queuePage({ viewer: viewerOf(c), sites, query, items, total, notice, error }), status, noStore);
}

export const importQueue = new Hono<AppEnv>();

importQueue.get('/import/queue', authorize('import', 'read', 'page'), async (c) => {
  const parsed = QueueQuerySchema.safeParse(c.req.query());
  if (!parsed.success)
    return renderQueue(c, QueueQuerySchema.parse({}), 400, fieldError(parsed.error.issues[0]!, { site: '网站', kind: '类型', page: '页码' }));
  return renderQueue(c, parsed.data, 200, null, c.req.query('done') === '1' ? '已保存分类。' : null);
});

importQueue.post('/import/queue/:documentId', authorize('import', 'classify', 'page'), async (c) => {
  const db = c.env.DB;
  const p = staffOf(c);
  const doc = await queuedDocument(db, c.req.param('documentId'));
  if (!doc)
    return c.html(
      adminPage({
        title: '文档不存在',
        viewer: viewerOf(c),
        body: html`<h1>文档不存在</h1><p>没有这篇导入的文档。</p><p><a href="/admin/import/queue">返回导入待分类</a></p>`,
      }),
      404,
      noStore,
    );
  const target = { siteId: doc.siteId, ...(doc.columnId ? { columnId: doc.columnId } : {}) };
  if (!can(p.grants, 'document.write', target, await parentMap(db))) return c.html(deniedPage('当前账号无权为这个网站的文档确认分类'), 403, noStore);
  const form: Record<string, unknown> = await c.req.parseBody({ all: true }).catch(() => ({}));
  const back = QueueQuerySchema.safeParse({ site: form.site, kind: form.kind, page: form.page });
  const query = back.success ? back.data : QueueQuerySchema.parse({});
  const parsed = ClassifyInputSchema.safeParse({ topic: form.topic, interests: form.interests });
  if (!parsed.success) return renderQueue(c, query, 400, fieldError(parsed.error.issues[0]!, CLASSIFY_FIELDS));
  try {
    await db.batch(await classifyStatements(db, doc, parsed.data, p.accountId, new Date()));
  } catch (e) {
    if (isGuardFailure(e)) return renderQueue(c, query, 409, '这篇文档刚在内容管理中被修改，请重新确认。');
    throw e;
  }
  return c.redirect(queueHref(query, { done: '1' }), 303);
});

/**
 * The CMS editor screens under /admin: 内容列表, 新建/编辑, 审核队列, 修订历史. Server-rendered from the same
 * functions the JSON API uses (loadItem, loadDraft, mayRead, can, runChecks, diffDrafts); every change goes
 * through /api/cms from the page script, with the session's CSRF token.
 */
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { DOCUMENT_KINDS, STATES, can, diffDrafts, type DocumentKind, type State } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { runChecks } from '../cms/checks.ts';
import { mayRead } from '../cms/document-access.ts';
import { documentTags, listRevisions, loadDraft, loadItem, parentMap } from '../cms/documents.ts';
import { assignedIndexNumber } from '../cms/index-numbers.ts';
import { adminPage } from './admin-layout.ts';
import { viewerOf } from './viewer.ts';
import { editDocumentPage, newDocumentPage, type ColumnOption } from './document-editor-page.ts';
import { documentListPage } from './document-list-page.ts';
import { listDocuments, reviewQueue, visibleSites, type ListFilter } from './document-queries.ts';
import { reviewPage } from './review-page.ts';
import { revisionsPage } from './revisions-page.ts';
import { permissionsFor } from './workflow-actions.ts';
import { defaultColumn } from './default-column.ts';
import { policyOption, searchPolicies } from '../cms/policy-search.ts';
import type { PolicyPicker } from './form-controls.ts';

/** The 解读 picker's state for a page: what `?policyQ=` found (server-side, so it works without the page script). */
async function policyPicker(db: D1Database, query: string | undefined, current: string | null | undefined): Promise<PolicyPicker> {
  const q = text(query, 100) ?? '';
  const [results, chosen] = await Promise.all([searchPolicies(db, q), policyOption(db, current)]);
  return { query: q, results, current: chosen };
}

export const documentPages = new Hono<AppEnv>();
const read = authorize('documents', 'read', 'page');

const pick = <T extends string>(v: string | undefined, allowed: Record<T, unknown>): T | null => (v && Object.hasOwn(allowed, v) ? (v as T) : null);
const text = (v: string | undefined, max: number) => (v && v.trim() ? v.trim().slice(0, max) : null);

async function columnsOf(db: D1Database, siteId: string): Promise<ColumnOption[]> {
  const { results } = await db.prepare('SELECT id, name, kind FROM columns WHERE site_id = ? ORDER BY sort_order, id').bind(siteId).all<ColumnOption>();
  return results;
}

const notFound = (c: Context<AppEnv>) =>
  c.html(
    adminPage({
      title: '文档不存在',
      viewer: viewerOf(c),
      body: html`<h1>文档不存在</h1><p>该文档不存在，或您无权查看。<a href="/admin/documents">返回内容列表</a></p>`,
    }),
    404,
  );

documentPages.get('/documents', read, async (c) => {
  const grants = staffOf(c).grants;
  const parentOf = await parentMap(c.env.DB);
  const sites = await visibleSites(c.env.DB, grants, parentOf);
  const q = c.req.query();
  const site = q.site && sites.some((s) => s.id === q.site) ? q.site : null;
  const columns = site ? await columnsOf(c.env.DB, site) : [];
  const filter: ListFilter = {
    site,
    column: site && q.column && columns.some((col) => col.id === q.column) ? q.column : null,
    state: pick<State>(q.state, STATES),
    kind: pick<DocumentKind>(q.kind, DOCUMENT_KINDS),
    q: text(q.q, 100),
    page: Math.max(1, Math.min(10_000, Number.parseInt(q.page ?? '1', 10) || 1)),
  };
  const list = await listDocuments(c.env.DB, grants, parentOf, sites, filter);
  return c.html(documentListPage({ viewer: viewerOf(c), filter: { ...filter, page: list.page }, sites, columns, ...list }));
});

documentPages.get('/documents/new', authorize('documents', 'write', 'page'), async (c) => {
  const grants = staffOf(c).grants;
  const parentOf = await parentMap(c.env.DB);
  // Sites where this account may write in some column; then that site's columns it may write in.
  const sites = (await visibleSites(c.env.DB, grants, parentOf)).filter((s) =>
    can(
      grants.map((g) => ({ ...g, columnIds: [] })),
      'document.write',
      { siteId: s.id },
      parentOf,
    ),
  );
  const wanted = c.req.query('site') ?? (sites.length === 1 ? sites[0]!.id : undefined);
  const site = wanted && sites.some((s) => s.id === wanted) ? wanted : null;
  const columns = site ? (await columnsOf(c.env.DB, site)).filter((col) => can(grants, 'document.write', { siteId: site, columnId: col.id }, parentOf)) : [];
  const column =
    c.req.query('column') ??
    (site
      ? await defaultColumn(
          c.env.DB,
          staffOf(c).accountId,
          site,
          columns.map((col) => col.id),
        )
      : null);
  return c.html(newDocumentPage({ viewer: viewerOf(c), sites, site, columns, column, policy: await policyPicker(c.env.DB, c.req.query('policyQ'), null) }));
});

documentPages.get('/documents/:id', read, async (c) => {
  const item = await loadItem(c.env.DB, c.req.param('id'));
  const parentOf = await parentMap(c.env.DB);
  if (!item || !mayRead(staffOf(c).grants, item, parentOf)) return notFound(c);
  const draft = await loadDraft(c.env.DB, item.id, item.revision);
  if (!draft) return notFound(c);
  const names = await c.env.DB.prepare('SELECT (SELECT name FROM sites WHERE id = ?1) AS site, (SELECT name FROM columns WHERE id = ?2) AS col')
    .bind(item.siteId, item.columnId)
    .first<{ site: string | null; col: string | null }>();
  const permissions = permissionsFor(item, staffOf(c).grants, parentOf);
  const checks = item.state === 'draft' ? await runChecks(c.env, draft, item.siteId) : null;
  const owed = await c.env.DB.prepare(
    'SELECT count(DISTINCT site_id) AS sites, max(attempts) AS attempts, max(last_error) AS last_error FROM render_queue WHERE document_id = ?',
  )
    .bind(item.id)
    .first<{ sites: number; attempts: number | null; last_error: string | null }>();
  const pending = owed && owed.sites > 0 ? { sites: owed.sites, attempts: owed.attempts ?? 0, lastError: owed.last_error } : null;
  return c.html(
    editDocumentPage({
      tags: await documentTags(c.env.DB, item.id),
      assignedIndexNumber: draft.indexNumber ? null : await assignedIndexNumber(c.env.DB, item.id),
      policy: await policyPicker(c.env.DB, c.req.query('policyQ'), draft.interprets),
      viewer: viewerOf(c),
      item,
      draft,
      siteName: names?.site ?? item.siteId,
      columnName: names?.col ?? item.columnId,
      permissions,
      checks,
      pending,
    }),
  );
});

documentPages.get('/documents/:id/revisions', read, async (c) => {
  const item = await loadItem(c.env.DB, c.req.param('id'));
  const parentOf = await parentMap(c.env.DB);
  if (!item || !mayRead(staffOf(c).grants, item, parentOf)) return notFound(c);
  const revisions = await listRevisions(c.env.DB, item.id);
  const exists = (n: number) => revisions.some((r) => r.revision === n);
  const asked = (k: string, fallback: number) => {
    const n = Number.parseInt(c.req.query(k) ?? '', 10);
    return exists(n) ? n : fallback;
  };
  const to = asked('to', item.revision);
  const from = asked('from', Math.max(1, to - 1));
  const [a, b] = await Promise.all([loadDraft(c.env.DB, item.id, from), loadDraft(c.env.DB, item.id, to)]);
  const current = from === to && revisions.length < 2 ? null : diffDrafts(a ?? {}, b ?? {});
  const ids = [...new Set(revisions.map((r) => r.authorId))];
  const { results } = await c.env.DB.prepare('SELECT id, display_name AS name FROM accounts WHERE id IN (SELECT value FROM json_each(?))')
    .bind(JSON.stringify(ids))
    .all<{ id: string; name: string }>();
  const draft = await loadDraft(c.env.DB, item.id, item.revision);
  return c.html(
    revisionsPage({
      viewer: viewerOf(c),
      item,
      title: draft?.title ?? item.id,
      revisions,
      authors: new Map(results.map((r) => [r.id, r.name])),
      from,
      to,
      changes: current,
      canRestore: permissionsFor(item, staffOf(c).grants, parentOf).write,
    }),
  );
});

documentPages.get('/review', authorize('documents', 'move', 'page'), async (c) => {
  const grants = staffOf(c).grants;
  const parentOf = await parentMap(c.env.DB);
  const rows = await reviewQueue(c.env.DB, grants, parentOf, await visibleSites(c.env.DB, grants, parentOf));
  return c.html(reviewPage({ viewer: viewerOf(c), rows }));
});

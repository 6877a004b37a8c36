/**
 * 预览 (/admin/documents/:id/preview): the document's current revision — the one a reviewer is asked to
 * approve — rendered as its page will look on its site, in the site's own template, by the Worker's bundled
 * renderer (as 模板库 previews are, templates/gallery.ts), without writing anything: the draft is laid over the
 * site's slice of the content store in memory only. Whoever may read the document may preview it (the same
 * `mayRead` as the editor page); nobody else learns it exists.
 *
 * Served on the admin host with a Content-Security-Policy of its own: the site's page carries its palette in a
 * style attribute and no script is needed, so styles may be inline and scripts are refused outright. The
 * stylesheet is this renderer build's (/admin/assets/site/_astro/…); links go to the live site under the
 * preview prefix (/_site/<domain>/), where the reviewer sees the rest of the site as it is.
 */
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { DocumentSchema, cstDate, type Draft } from '@ywtc/cms-schema';
import { chromeCache, indexStore, sitePages } from '@ywtc/sites/edge';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { mayRead } from '../cms/document-access.ts';
import { loadDraft, loadItem, parentMap } from '../cms/documents.ts';
import { assignedIndexNumber } from '../cms/index-numbers.ts';
import { loadSiteSlice } from '../render/site-slice.ts';
import { renderer, rendererAssetBytes } from '../render/renderer.ts';
import { contentTypeFor, type CmsDocument } from '@ywtc/cms-schema';
import { adminPage } from './admin-layout.ts';
import { viewerOf } from './viewer.ts';

export const PREVIEW_CSP = [
  "default-src 'none'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: https: http:",
  "font-src 'self'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const documentPreview = new Hono<AppEnv>();

/** The stylesheet (and any other asset) of the bundled renderer build, for previews. */
documentPreview.get('/assets/site/_astro/:file', (c) => {
  const bytes = rendererAssetBytes().get(`/_astro/${c.req.param('file')}`);
  if (!bytes) return c.text('Not Found', 404);
  return c.body(new Uint8Array(bytes), 200, { 'Content-Type': contentTypeFor(c.req.param('file')), 'Cache-Control': 'public, max-age=31536000, immutable' });
});

const problem = (c: Context<AppEnv>, status: 404 | 409, title: string, text: unknown) =>
  c.html(adminPage({ title, viewer: viewerOf(c), current: 'documents', body: html`<h1>${title}</h1><p>${text}</p>` }), status);

/** The page of `item` with `draft` as its content, on its own site in the site's template; a string says why not. */
export async function renderPreview(
  db: D1Database,
  item: CmsDocument,
  draft: Draft,
  now = new Date(),
): Promise<{ html: string; domain: string; path: string } | string> {
  const { interprets, ...fields } = draft;
  const indexNumber = fields.indexNumber ?? (await assignedIndexNumber(db, item.id));
  const at = item.publishedAt ?? now.toISOString();
  const parsed = DocumentSchema.safeParse({
    ...fields,
    indexNumber,
    id: item.id,
    publishedAt: at,
    ownerSiteId: item.siteId,
    isDemo: false,
    issuedOn: cstDate(at),
  });
  if (!parsed.success) return `${parsed.error.issues[0]!.path.join('.') || 'draft'}：${parsed.error.issues[0]!.message}`;
  const store = await loadSiteSlice(db, item.siteId, interprets ? [item.id, interprets] : [item.id]);
  const site = store.sites.find((s) => s.id === item.siteId);
  if (!site) return '文档所属网站不存在';
  // A seeded 示例 item is previewed as it is shown: still marked 示例.
  store.documents.set(item.id, { ...parsed.data, isDemo: store.documents.get(item.id)?.isDemo ?? false });
  store.placements = [
    ...store.placements.filter((p) => !(p.documentId === item.id && p.siteId === item.siteId)),
    { documentId: item.id, siteId: item.siteId, columnId: item.columnId, pinned: 0 },
  ];
  if (interprets && store.documents.has(interprets) && !store.links.some((l) => l.interpretationId === item.id))
    store.links.push({ policyId: interprets, interpretationId: item.id });
  const model = sitePages(indexStore(store), item.siteId, { originFor: (d) => `https://${d}` }).html.find((p) => p.path.endsWith(`/${item.id}.html`));
  if (!model) return '该文档所在栏目不在网站上显示';
  const bytes = await renderer.page({ ...model, chrome: await chromeCache(renderer)(model) });
  const domain = site.domains[0]!;
  const dir = model.path.slice(0, model.path.lastIndexOf('/') + 1);
  const page = new TextDecoder()
    .decode(bytes)
    .replace(/(href|src)="(?:\.\.?\/)*_astro\//g, '$1="/admin/assets/site/_astro/')
    .replace('<head>', `<head><base href="/_site/${domain}${dir}"><meta name="robots" content="noindex">`)
    // In-page links (跳到主要内容) stay on this page, not the base's.
    .replace(/href="#/g, `href="/admin/documents/${encodeURIComponent(item.id)}/preview#`);
  return { html: page, domain, path: model.path };
}

documentPreview.get('/documents/:id/preview', authorize('documents', 'read', 'page'), async (c) => {
  const item = await loadItem(c.env.DB, c.req.param('id'));
  if (!item || !mayRead(staffOf(c).grants, item, await parentMap(c.env.DB)))
    return problem(c, 404, '文档不存在', html`该文档不存在，或您无权查看。<a href="/admin/documents">返回内容列表</a>`);
  const draft = await loadDraft(c.env.DB, item.id, item.revision);
  if (!draft) return problem(c, 404, '文档不存在', '找不到当前修订。');
  const out = await renderPreview(c.env.DB, item, draft);
  if (typeof out === 'string') return problem(c, 409, '暂时无法预览', html`${out}。<a href="/admin/documents/${item.id}">返回文档</a>`);
  // Said on the page itself, above the site's header: nothing here is published yet.
  const notice = `<div role="note" id="preview-notice" style="background:#fff3cd;color:#1f1f1f;border-bottom:3px solid #8a6d00;padding:12px 16px;font-size:18px;line-height:1.6">预览：修订 ${item.revision}（${
    item.state === 'published' ? '已发布的内容' : '尚未发布'
  }），按本网站模板显示。<a style="color:#0b4f9c;text-decoration:underline" href="/admin/documents/${encodeURIComponent(item.id)}">返回文档</a></div>`;
  // After the skip link, which stays the first thing a keyboard reaches.
  const page = out.html.replace(/(<body[^>]*>\s*(?:<a class="skip-link"[^>]*>[^<]*<\/a>)?)/, `$1${notice}`);
  return c.body(page, 200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': PREVIEW_CSP, 'X-Preview-Revision': String(item.revision) });
});

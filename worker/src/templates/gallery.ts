/**
 * 模板库 on the platform hosts: `/_templates` shows every template (name, family, header, home arrangement,
 * palette swatches, a Chromium screenshot thumbnail, a live preview link); `/_templates/<id>/` renders a site's
 * home page with that template on the fly with the Worker's bundled renderer (a sample site of the family's
 * kind, or `?site=<id>`) and any other page of it under `/_templates/<id>/~<site>/`; `/_templates/<id>.png` serves the thumbnail `npm run templates:shots` (and
 * `npm start`, in the background) took of that preview. Thumbnails are kept per renderer build.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import { FAMILIES, HEADERS, HOMES, TEMPLATES, templateById, type Template } from '@ywtc/themes';
import type { AppEnv } from '../env.ts';
import { loadSiteSlice } from '../render/site-slice.ts';
import { renderer, rendererAssetBytes, rendererHash } from '../render/renderer.ts';
import { contentTypeFor } from '@ywtc/cms-schema';
import { swatches } from './swatches.ts';
import { displayPrefs, modeSwitch, rewriteForDisplay } from '../site/display-mode.ts';
import { chromeCache, indexStore, sitePages } from '@ywtc/sites/edge';

export const thumbnailKey = (id: string) => `gallery/${rendererHash}/${id}.png`;

export const gallery = new Hono<AppEnv>();

const STYLE = `body{font-family:system-ui,"Noto Sans CJK SC","Source Han Sans SC",sans-serif;margin:0;color:#1f1f1f;line-height:1.6}
header,main{max-width:1240px;margin:0 auto;padding:0 16px}h1{font-size:1.8rem}h2{margin-top:2rem;border-bottom:2px solid #ccc}
ul.grid{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:16px}
li.card{border:1px solid #ccc;border-radius:6px;padding:8px}li.card img,li.card .noimg{width:100%;aspect-ratio:16/10;display:block;background:#f2f2f2;object-fit:cover;object-position:top}
.noimg{display:flex!important;align-items:center;justify-content:center;color:#595959;font-size:.9rem}.meta{color:#595959;font-size:.9rem}.swatches svg{vertical-align:middle;margin-right:2px}
a{color:#0b4f9c}a:focus-visible{outline:3px solid #0b4f9c;outline-offset:2px}`;

gallery.get('/_templates', async (c) => {
  const listed = await c.env.PAGES.list({ prefix: `gallery/${rendererHash}/`, limit: 1000 });
  const have = new Set(listed.objects.map((o) => o.key));
  const shots = TEMPLATES.filter((t) => have.has(thumbnailKey(t.id))).length;
  const families = Object.keys(FAMILIES) as (keyof typeof FAMILIES)[];
  const page = html`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>模板库 - 一网通查</title><style>${STYLE}</style></head>
<body><header><h1>模板库：${TEMPLATES.length} 个网站模板</h1><p>每个模板是一个版式族（${families.length} 种）、页头样式（${Object.keys(HEADERS).length} 种）、首页布局（${Object.keys(HOMES).length} 种）和配色的组合，由数据声明并经 zod 校验。缩略图 ${shots}/${TEMPLATES.length} 个${shots < TEMPLATES.length ? '（其余运行 npm run templates:shots 生成）' : ''}。网站管理员在 <a href="/admin/sites">内容管理 › 网站模板</a> 中更换模板。</p>
<nav aria-label="版式族"><ul>${families.map((f) => html`<li><a href="#${f}">${FAMILIES[f].name}</a>（${TEMPLATES.filter((t) => t.family === f).length} 个）</li>`)}</ul></nav></header>
<main>${families.map(
    (f) => html`<section aria-labelledby="${f}"><h2 id="${f}">${FAMILIES[f].name}</h2><ul class="grid">
${TEMPLATES.filter((t) => t.family === f).map(
  (
    t,
  ) => html`<li class="card" data-template="${t.id}">${have.has(thumbnailKey(t.id)) ? html`<img src="/_templates/${t.id}.png" alt="${t.name} 首页缩略图" loading="lazy" width="320" height="200">` : html`<span class="noimg">缩略图尚未生成</span>`}
<strong>${t.name}</strong><br><span class="meta">${t.id}</span><br>${swatches(t, 18)} <span class="meta">配色：${t.paletteName}</span><br><a href="/_templates/${t.id}/">实时预览</a></li>`,
)}
</ul></section>`,
  )}</main></body></html>`;
  return c.html(page, 200, { 'Cache-Control': 'no-cache' });
});

gallery.get('/_templates/_astro/:file', (c) => {
  const bytes = rendererAssetBytes().get(`/_astro/${c.req.param('file')}`);
  if (!bytes) return c.text('Not Found', 404);
  return c.body(new Uint8Array(bytes), 200, { 'Content-Type': contentTypeFor(c.req.param('file')), 'Cache-Control': 'public, max-age=31536000, immutable' });
});

gallery.get('/_templates/:file{[a-z0-9-]+\\.png}', async (c) => {
  const id = c.req.param('file').replace(/\.png$/, '');
  const obj = templateById.has(id) ? await c.env.PAGES.get(thumbnailKey(id)) : null;
  if (!obj) return c.text('缩略图尚未生成', 404);
  return c.body(obj.body, 200, { 'Content-Type': 'image/png', ETag: obj.httpEtag, 'Cache-Control': 'public, no-cache' });
});

/** A site to show a template with: the one asked for when it may use it, else the first of the family's kind, else the first. */
async function sampleSite(db: D1Database, t: Template, wanted: string | undefined): Promise<{ id: string; domain: string } | null> {
  const kinds = FAMILIES[t.family].kinds as readonly string[];
  const { results } = await db
    .prepare("SELECT id, kind, json_extract(domains, '$[0]') AS domain FROM sites ORDER BY sort_order")
    .all<{ id: string; kind: string; domain: string }>();
  const fits = (s: { kind: string }) => kinds.length === 0 || kinds.includes(s.kind);
  return results.find((s) => s.id === wanted && fits(s)) ?? results.find((s) => kinds.includes(s.kind)) ?? results[0] ?? null;
}

// /_templates/<id>/ → the preview on a fitting site: /_templates/<id>/~<site>/ (a path, so links inside keep it).
gallery.get('/_templates/:id/', async (c) => {
  const t = templateById.get(c.req.param('id'));
  if (!t) return c.text('没有这个模板', 404);
  const site = await sampleSite(c.env.DB, t, c.req.query('site'));
  if (!site) return c.text('平台上还没有网站', 404);
  return c.redirect(`/_templates/${t.id}/~${site.id}/`, 302);
});

/**
 * Any page of a site rendered live in a template: every link inside stays in the preview (the pages' relative
 * links resolve under a <base> of the page's own directory in the preview), the stylesheet comes from this renderer build, and the reader's 适老化 / 大鼠标 display applies.
 */
gallery.get('/_templates/:id/:site{~[a-z0-9-]+}/*', async (c) => {
  const t = templateById.get(c.req.param('id'));
  const siteId = c.req.param('site').slice(1);
  if (!t) return c.text('没有这个模板', 404);
  const base = `/_templates/${t.id}/~${siteId}/`;
  const rest = decodeURIComponent(new URL(c.req.url).pathname.slice(base.length - 1));
  if (rest === '/_mode') return modeSwitch(c, base);
  const path = rest.endsWith('/') ? `${rest}index.html` : rest;
  const docId = /\/([^/]+)\.html$/.exec(path)?.[1];
  const store = await loadSiteSlice(c.env.DB, siteId, docId ? [docId] : []);
  const site = store.sites.find((s) => s.id === siteId);
  // A preview may show any site in any template (a cluster without a 人大 site still shows the 人大 family); which
  // templates a site may actually take is checked when it switches (cms/site-template.ts).
  if (!site) return c.text('该网站不存在', 404);
  store.sites = store.sites.map((s) => (s.id === siteId ? { ...s, themeId: t.id } : s));
  const model = sitePages(indexStore(store), siteId, { originFor: (d) => `https://${d}` }).html.find((p) => p.path === path);
  if (!model) return c.text('页面不存在', 404);
  const bytes = await renderer.page({ ...model, chrome: await chromeCache(renderer)(model) });
  const page = new TextDecoder()
    .decode(bytes)
    .replace('<head>', `<head><base href="${base}${path.slice(1, path.lastIndexOf('/') + 1)}"><meta name="robots" content="noindex">`)
    .replace(/href="(?:\.\.?\/)*_astro\//g, 'href="/_templates/_astro/')
    .replace(/src="(?:\.\.?\/)*_astro\//g, 'src="/_templates/_astro/');
  const res = new Response(page, { headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'X-Template': t.id } });
  const prefs = displayPrefs(c.req.header('cookie'));
  return prefs ? rewriteForDisplay(res, prefs) : res;
});

/** PUT /_ingest/gallery/<id>.png (behind the publishing API's token): a thumbnail taken by scripts/templates-shots.ts. */
export const galleryIngest = new Hono<AppEnv>();
const MAX_THUMBNAIL = 1024 * 1024;
galleryIngest.put('/gallery/:file{[a-z0-9-]+\\.png}', async (c) => {
  const id = c.req.param('file').replace(/\.png$/, '');
  if (!templateById.has(id)) return c.json({ error: 'invalid', field: 'id', message: `没有模板 ${id}` }, 400);
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength > MAX_THUMBNAIL) return c.json({ error: 'invalid', field: 'body', message: '缩略图不能超过 1 MB' }, 413);
  if (bytes.byteLength < 8 || bytes[0] !== 0x89 || bytes[1] !== 0x50 || bytes[2] !== 0x4e || bytes[3] !== 0x47)
    return c.json({ error: 'invalid', field: 'body', message: '缩略图须为 PNG' }, 400);
  await c.env.PAGES.put(thumbnailKey(id), bytes, { httpMetadata: { contentType: 'image/png' } });
  return c.json({ ok: true, key: thumbnailKey(id) }, 201);
});

/** Which templates still lack a thumbnail for this renderer build (the screenshot script asks first). */
galleryIngest.get('/gallery/missing', async (c) => {
  const listed = await c.env.PAGES.list({ prefix: `gallery/${rendererHash}/`, limit: 1000 });
  const have = new Set(listed.objects.map((o) => o.key));
  return c.json({ missing: TEMPLATES.filter((t) => !have.has(thumbnailKey(t.id))).map((t) => t.id) });
});

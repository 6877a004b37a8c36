/**
 * /admin/sites: the sites an account manages and their templates; /admin/sites/:id: pick another template
 * among those open to the site's kind — filtered by family, header and home arrangement (a GET form), 24 a
 * page, each with the 模板库's thumbnail, palette swatches and a live preview of this site in it — by a plain
 * form with the session's CSRF token, so it works without the page script. Switching re-renders the site.
 */
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { can } from '@ywtc/cms-schema';
import { FAMILIES, HEADERS, HOMES, templateFor, templatesForKind, type Family, type HeaderStyle, type HomeLayout, type Template } from '@ywtc/themes';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { actorOf, parentMap } from '../cms/documents.ts';
import { switchTemplate } from '../cms/site-template.ts';
import { adminPage } from './admin-layout.ts';
import { swatches } from '../templates/swatches.ts';
import { thumbnailKey } from '../templates/gallery.ts';
import { rendererHash } from '../render/renderer.ts';
import { viewerOf } from './viewer.ts';

export const sitePages = new Hono<AppEnv>();
const manage = authorize('sites', 'manage', 'page');

interface SiteRow {
  id: string;
  name: string;
  kind: string;
  theme_id: string;
  domain: string;
}
async function managedSites(c: Context<AppEnv>): Promise<SiteRow[]> {
  const parentOf = await parentMap(c.env.DB);
  const { results } = await c.env.DB.prepare(
    "SELECT id, name, kind, theme_id, json_extract(domains, '$[0]') AS domain FROM sites ORDER BY sort_order",
  ).all<SiteRow>();
  return results.filter((s) => can(staffOf(c).grants, 'site.manage', { siteId: s.id }, parentOf));
}

sitePages.get('/sites', manage, async (c) => {
  const sites = await managedSites(c);
  const body = html`<h1>网站模板</h1>
<p>您管理的网站（${sites.length} 个）。更换模板后，整个网站会立即按新模板重新生成。全部模板见 <a href="/_templates">模板库</a>。</p>
${
  sites.length === 0
    ? html`<p>您没有管理网站的权限（需要网站管理员或平台管理员）。</p>`
    : html`<table><thead><tr><th scope="col">网站</th><th scope="col">当前模板</th><th scope="col">操作</th></tr></thead><tbody>
${sites.map((s) => {
  const t = templateFor(s.theme_id);
  return html`<tr data-site-id="${s.id}"><td>${s.name}<br><span class="meta">${s.domain}</span></td><td>${swatches(t)} ${t.name}<br><span class="meta">${t.id} · ${t.paletteName}</span></td><td><a href="/admin/sites/${s.id}">更换模板</a></td></tr>`;
})}
</tbody></table>`
}`;
  return c.html(adminPage({ title: '网站模板', viewer: viewerOf(c), current: 'sites', body }));
});

const PAGE_SIZE = 24;
type Filter = { family: Family | 'all'; header: HeaderStyle | ''; home: HomeLayout | ''; page: number };
const oneOf = <T extends string>(v: string | undefined, allowed: Record<T, unknown>): T | null => (v && Object.hasOwn(allowed, v) ? (v as T) : null);

/** The filter a GET asked for; the site's current family when none was named (the family it most likely keeps). */
function filterOf(q: Record<string, string>, current: Template): Filter {
  return {
    family: q.family === 'all' ? 'all' : (oneOf<Family>(q.family, FAMILIES) ?? current.family),
    header: oneOf<HeaderStyle>(q.header, HEADERS) ?? '',
    home: oneOf<HomeLayout>(q.home, HOMES) ?? '',
    page: Math.max(1, Math.min(100, Number.parseInt(q.page ?? '1', 10) || 1)),
  };
}
const filterQuery = (f: Filter, page: number) =>
  new URLSearchParams({ family: f.family, ...(f.header ? { header: f.header } : {}), ...(f.home ? { home: f.home } : {}), page: String(page) }).toString();

/** Which thumbnails (模板库, taken per renderer build) exist: one R2 list call. */
async function thumbnails(bucket: R2Bucket): Promise<Set<string>> {
  const listed = await bucket.list({ prefix: `gallery/${rendererHash}/`, limit: 1000 });
  return new Set(listed.objects.map((o) => o.key));
}

const thumb = (t: Template, have: Set<string>) =>
  have.has(thumbnailKey(t.id))
    ? html`<img src="/_templates/${t.id}.png" alt="" width="320" height="200" loading="lazy">`
    : html`<span class="noimg">缩略图尚未生成</span>`;

async function pickerPage(c: Context<AppEnv>, site: SiteRow, message: { ok: boolean; text: string } | null, status: 200 | 400 | 403 = 200) {
  const current = templateFor(site.theme_id);
  const options = templatesForKind(site.kind);
  const families = [...new Set(options.map((t) => t.family))];
  const f = filterOf(c.req.query(), current);
  const matching = options.filter(
    (t) => (f.family === 'all' || t.family === f.family) && (!f.header || t.header === f.header) && (!f.home || t.home === f.home),
  );
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const page = Math.min(f.page, pages);
  const shown = matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const have = await thumbnails(c.env.PAGES);
  const select = <K extends string>(name: string, label: string, all: string, entries: [K, string][], value: string) =>
    html`<label for="filter-${name}">${label}<select id="filter-${name}" name="${name}"><option value="${name === 'family' ? 'all' : ''}">${all}</option>${entries.map(
      ([k, v]) => html`<option value="${k}"${k === value ? html` selected` : ''}>${v}</option>`,
    )}</select></label>`;
  const preview = (t: Template) =>
    html`<a href="/_templates/${t.id}/~${site.id}/" target="_blank" rel="noopener" data-testid="template-preview">预览<span class="visually-hidden">：${t.name}</span>（新页面）</a>`;
  const body = html`<h1>更换模板：${site.name}</h1>
${message ? html`<p class="${message.ok ? 'ok' : 'err'}" role="${message.ok ? 'status' : 'alert'}" id="template-status">${message.text}</p>` : ''}
<div class="template-current">${thumb(current, have)}<p>当前模板：${swatches(current)} <strong>${current.name}</strong>（${current.id}，${current.paletteName}）。${preview(current)}</p></div>
<p>本网站可选 ${options.length} 个模板。先按版式族、页头样式、首页布局筛选，“预览”在新页面中用本网站的内容显示该模板的首页，确认后再更换。全部模板见 <a href="/_templates">模板库</a>。</p>
<form method="get" action="/admin/sites/${site.id}" class="filters" id="template-filter" role="search" aria-label="筛选模板">
${select(
  'family',
  '版式族',
  '全部版式族',
  families.map((k) => [k, FAMILIES[k].name]),
  f.family,
)}
${select('header', '页头样式', '全部页头样式', Object.entries(HEADERS) as [HeaderStyle, string][], f.header)}
${select('home', '首页布局', '全部首页布局', Object.entries(HOMES) as [HomeLayout, string][], f.home)}
<button type="submit" class="secondary" id="template-filter-submit">筛选</button></form>
<p id="template-count" role="status">符合条件的模板 ${matching.length} 个${pages > 1 ? `，第 ${page}/${pages} 页` : ''}。</p>
<form method="post" action="/admin/sites/${site.id}" id="template-form">
<input type="hidden" name="csrf" value="${viewerOf(c).csrf}">
<fieldset><legend>选择模板</legend><ul class="template-grid">
${shown.map(
  (
    t,
  ) => html`<li class="template-card" data-template="${t.id}"><label class="template-choice">${thumb(t, have)}<span><input type="radio" name="templateId" value="${t.id}"${t.id === current.id ? html` checked` : ''}> <strong>${t.name}</strong></span>
<span class="meta">${FAMILIES[t.family].name} · ${HEADERS[t.header]} · ${HOMES[t.home]}</span><span class="meta">${swatches(t)} ${t.paletteName}</span></label>${preview(t)}</li>`,
)}
</ul></fieldset>
${
  pages > 1
    ? html`<nav class="pager" aria-label="模板分页">${page > 1 ? html`<a href="/admin/sites/${site.id}?${filterQuery(f, page - 1)}" rel="prev">上一页</a>` : ''}<span>第 ${page}/${pages} 页</span>${
        page < pages ? html`<a href="/admin/sites/${site.id}?${filterQuery(f, page + 1)}" rel="next">下一页</a>` : ''
      }</nav>`
    : ''
}
<div class="actions"><button type="submit" id="template-submit">使用所选模板并重新生成网站</button></div>
</form>`;
  return c.html(adminPage({ title: `更换模板：${site.name}`, viewer: viewerOf(c), current: 'sites', body }), status);
}

sitePages.get('/sites/:id', manage, async (c) => {
  const site = (await managedSites(c)).find((s) => s.id === c.req.param('id'));
  if (!site)
    return c.html(
      adminPage({
        title: '网站不存在',
        viewer: viewerOf(c),
        current: 'sites',
        body: html`<h1>网站不存在</h1><p>该网站不存在，或您无权管理。<a href="/admin/sites">返回</a></p>`,
      }),
      404,
    );
  const done = /^(pending|\d{1,6})$/.exec(c.req.query('done') ?? '')?.[0];
  return pickerPage(
    c,
    site,
    done
      ? { ok: true, text: done === 'pending' ? '模板已更换；网站页面将在稍后重新生成。' : `模板已更换，网站已按新模板重新生成（${done} 个页面文件有变化）。` }
      : null,
  );
});

sitePages.post('/sites/:id', manage, async (c) => {
  const form: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
  const site = (await managedSites(c)).find((s) => s.id === c.req.param('id'));
  if (!site) return c.text('网站不存在，或您无权管理', 404);
  if (typeof form.templateId !== 'string') return pickerPage(c, site, { ok: false, text: '请选择一个模板' }, 400);
  const p = staffOf(c);
  const r = await switchTemplate(c.env, actorOf(p), p.grants, site.id, form.templateId);
  if (!r.ok) return pickerPage(c, site, { ok: false, text: r.message }, r.status === 403 ? 403 : 400);
  return c.redirect(`/admin/sites/${site.id}?done=${r.value.pending ? 'pending' : (r.value.pages?.changed ?? 0)}`, 303);
});

/**
 * /admin/sites: the sites an account manages and their templates; /admin/sites/:id: pick another template
 * (those open to the site's kind, grouped by family, with palette swatches and a live preview link) — a plain
 * form with the session's CSRF token, so it works without the page script. Switching re-renders the site.
 */
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { can } from '@ywtc/cms-schema';
import { FAMILIES, HEADERS, HOMES, templateFor, templatesForKind } from '@ywtc/themes';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { actorOf, parentMap } from '../cms/documents.ts';
import { switchTemplate } from '../cms/site-template.ts';
import { adminPage } from './admin-layout.ts';
import { swatches } from '../templates/swatches.ts';
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

function pickerPage(c: Parameters<typeof viewerOf>[0], site: SiteRow, message: { ok: boolean; text: string } | null, status: 200 | 400 | 403 = 200) {
  const current = templateFor(site.theme_id);
  const options = templatesForKind(site.kind);
  const families = [...new Set(options.map((t) => t.family))];
  const body = html`<h1>更换模板：${site.name}</h1>
${message ? html`<p class="${message.ok ? 'ok' : 'err'}" role="${message.ok ? 'status' : 'alert'}" id="template-status">${message.text}</p>` : ''}
<p>当前模板：${swatches(current)} <strong>${current.name}</strong>（${current.id}，${current.paletteName}）。可选 ${options.length} 个模板，按版式族分组；“预览”在新页面中用本网站的内容显示该模板的首页。</p>
<form method="post" action="/admin/sites/${site.id}" id="template-form">
<input type="hidden" name="csrf" value="${viewerOf(c).csrf}">
${families.map(
  (f) => html`<fieldset><legend>${FAMILIES[f].name}</legend><ul class="template-options">
${options.filter((t) => t.family === f).map((t) => html`<li><label><input type="radio" name="templateId" value="${t.id}"${t.id === current.id ? html` checked` : ''}> ${swatches(t)} ${HEADERS[t.header]} · ${HOMES[t.home]} · ${t.paletteName}</label> <a href="/_templates/${t.id}/~${site.id}/" target="_blank" rel="noopener" aria-label="预览 ${t.name}">预览</a></li>`)}
</ul></fieldset>`,
)}
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

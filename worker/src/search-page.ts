/** The server-rendered 一网通查 results page: large type, labelled controls, works without JavaScript. */
import { html } from 'hono/html';
import { DOCUMENT_KINDS, VALIDITIES, formatPublishTime } from '@ywtc/cms-schema';
import type { SearchHit, SearchResult } from '@ywtc/search';
import type { SearchScope } from './search-routes.ts';

export interface SiteRef { id: string; name: string; domain: string }

interface PageInput {
  scope: SearchScope;
  /** The site whose host this request came to, if any (for the scope switch). */
  siteScope?: string | null;
  query: Record<string, string>;
  error: { field: string; message: string } | null;
  result: SearchResult | null;
  sites: Map<string, SiteRef>;
  requestUrl: string;
}

/** A link to a hit: relative when it is on this site, else to its own site in the style this request used. */
function hitLink(hit: SearchHit, input: PageInput): { href: string; site: SiteRef | undefined } {
  const here = input.siteScope ? hit.placements.find((p) => p.siteId === input.siteScope) : undefined;
  if (here) return { href: here.path.slice(1), site: input.sites.get(here.siteId) };
  const p = hit.placements[0]!;
  const site = input.sites.get(p.siteId);
  if (!site) return { href: '#', site };
  const url = new URL(input.requestUrl);
  if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return { href: `/_site/${site.domain}${p.path}`, site };
  if (url.hostname.endsWith('.localhost')) return { href: `${url.protocol}//${site.domain}.localhost${url.port ? ':' + url.port : ''}${p.path}`, site };
  return { href: `https://${site.domain}${p.path}`, site };
}

export function searchPage(input: PageInput) {
  const q = input.query.q ?? '';
  const r = input.result;
  const pages = r ? Math.max(1, Math.ceil(r.total / r.size)) : 1;
  const pageLink = (n: number) => '?' + new URLSearchParams({ ...input.query, page: String(n) }).toString();
  const selected = (name: string, value: string) => (input.query[name] === value ? 'selected' : '');
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${q ? `${q} - ` : ''}一网通查</title>
<meta name="robots" content="noindex">
<style>
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",system-ui,sans-serif;margin:0;color:#1a1a1a;line-height:1.7;font-size:18px}
header{background:#b3121b;color:#fff;padding:1rem}header a{color:#fff}main{max-width:60rem;margin:0 auto;padding:1rem}
form{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;margin-bottom:1rem}label{display:flex;flex-direction:column;font-size:.95rem}
input,select,button{font:inherit;padding:.5rem .6rem;border:2px solid #555;border-radius:4px;min-height:2.75rem}input[type=search]{min-width:18rem}
button{background:#b3121b;color:#fff;border-color:#8a0d14;cursor:pointer}:focus-visible{outline:3px solid #0b4f9c;outline-offset:2px}
ol{padding-left:0;list-style:none}li.hit{border-bottom:1px solid #ddd;padding:.8rem 0}li.hit h2{font-size:1.15rem;margin:0}a{color:#0b4f9c}
.meta{color:#444;font-size:.95rem}.badge{display:inline-block;border:1px solid #9a5b00;color:#7a4700;padding:0 .3rem;border-radius:3px;font-size:.85rem}
.err{background:#fdecea;border-left:4px solid #b3121b;padding:.6rem 1rem}nav.pages{display:flex;gap:.5rem;flex-wrap:wrap}nav.pages a,nav.pages span{padding:.3rem .7rem;border:1px solid #999}
</style></head><body>
<header><strong>一网通查</strong>　${input.scope.siteId ? '本站搜索' : '广西政府网站集群 · 全部网站'}</header>
<main>
<form method="get" action="" role="search">
<label>搜索词<input type="search" name="q" value="${q}" maxlength="100" required aria-describedby="q-hint"></label>
${input.siteScope ? html`<label>范围<select name="scope"><option value="site" ${input.query.scope === 'all' ? '' : 'selected'}>本站</option><option value="all" ${selected('scope', 'all')}>全部网站</option></select></label>` : ''}
<label>类别<select name="kind"><option value="">全部</option>${Object.entries(DOCUMENT_KINDS).map(([k, v]) => html`<option value="${k}" ${selected('kind', k)}>${v}</option>`)}</select></label>
<label>有效性<select name="validity"><option value="">全部</option>${VALIDITIES.map((v) => html`<option value="${v}" ${selected('validity', v)}>${v}</option>`)}</select></label>
<label>排序<select name="sort"><option value="relevance">相关度</option><option value="date" ${selected('sort', 'date')}>发布时间</option></select></label>
<button type="submit">搜索</button>
</form>
<p id="q-hint" class="meta">可输入关键词、简称或发文字号（如 桂政办发〔2021〕120号，括号写法不限）。</p>
${input.error ? html`<p class="err" role="alert">${input.error.field === 'q' ? '搜索词' : input.error.field}：${input.error.message}</p>` : ''}
${r && q ? html`<p>找到 <strong>${r.total}${r.totalIsLowerBound ? '+' : ''}</strong> 条结果${r.total ? `，第 ${r.page}/${pages} 页` : ''}。</p>` : ''}
${r && q && r.total === 0 ? html`<p>没有找到相关信息。请换个说法，或减少搜索词。</p>` : ''}
${r ? html`<ol start="${(r.page - 1) * r.size + 1}">${r.hits.map((h) => {
    const { href, site } = hitLink(h, input);
    return html`<li class="hit"><h2><a href="${href}">${h.title}</a></h2>
<p class="meta">${h.docNumber ? html`${h.docNumber}　` : ''}${h.issuer ? html`${h.issuer}　` : ''}${formatPublishTime(h.publishedAt)}${h.validity ? html`　<span class="badge">${h.validity}</span>` : ''}${site ? html`　${site.name}` : ''}</p>
<p>${h.summary}</p></li>`;
  })}</ol>` : ''}
${r && pages > 1 ? html`<nav class="pages" aria-label="分页">${r.page > 1 ? html`<a href="${pageLink(r.page - 1)}" rel="prev">上一页</a>` : ''}<span aria-current="page">${r.page}</span>${r.page < pages ? html`<a href="${pageLink(r.page + 1)}" rel="next">下一页</a>` : ''}</nav>` : ''}
</main></body></html>`;
}

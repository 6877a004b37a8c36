/**
 * The server-rendered 一网通查 results page: large type, labelled controls, works without JavaScript. Result
 * links go through /search/click (counted click-through, no script needed); one small script only fills the
 * search box's suggestion list when scripts run.
 */
import { html, raw } from 'hono/html';
import { COLUMN_KINDS, DOCUMENT_KINDS, VALIDITIES, formatPublishTime, lookup } from '@ywtc/cms-schema';
import { LEVELS, type RelatedHit, type SearchHit, type SearchResult } from '@ywtc/search';
import { linkTo, type SearchScope, type SiteRef } from './types.ts';
import type { RegionOption } from './regions.ts';
import type { PolicyAnswer } from '../qa/answer.ts';
import { qaCard } from '../qa/card.ts';
import { areaLabel } from './area-label.ts';
import { noResults, type NoResultHelp } from './no-results.ts';

interface PageInput {
  scope: SearchScope;
  /** The site whose host this request came to, if any (for the scope switch). */
  siteScope?: string | null;
  query: Record<string, string>;
  error: { field: string; message: string } | null;
  result: SearchResult | null;
  sites: Map<string, SiteRef>;
  requestUrl: string;
  /** Choices of the 地区 filter. */
  regions: RegionOption[];
  /** The 政策问答 card shown above the results (qa-card.ts), when an entry answers the query. */
  answer?: PolicyAnswer | null;
  /** When nothing was found: what else to try and whom to ask (no-results.ts). */
  nothing?: NoResultHelp | null;
}

/** Field names as the form labels them, for error messages. */
const FIELD_LABELS: Record<string, string> = {
  q: '搜索词',
  kind: '类别',
  validity: '有效性',
  year: '年份',
  issuer: '发文机关',
  column: '栏目类型',
  level: '层级',
  region: '地区',
  sort: '排序',
  page: '页码',
  size: '每页条数',
  site: '网站',
};

type Placed = Pick<SearchHit, 'placements'>;

/** Where a hit is read: on this site when it is shown here, else on its own site in the style this request used. */
function targetOf(hit: Placed, input: PageInput): { to: string; site: SiteRef | undefined } | null {
  const here = input.siteScope ? hit.placements.find((p) => p.siteId === input.siteScope) : undefined;
  if (here) return { to: input.scope.base + here.path.slice(1), site: input.sites.get(here.siteId) };
  const p = hit.placements[0];
  const site = p && input.sites.get(p.siteId);
  if (!p || !site) return null;
  return { to: linkTo(input.scope.links, input.requestUrl, site.domain, p.path), site };
}

/** The link a result uses: through /search/click, which counts the click and redirects to `to`. */
const clickHref = (input: PageInput, id: string, to: string) =>
  `${input.scope.base}search/click?${new URLSearchParams({ q: input.query.q ?? '', d: id, to }).toString()}`;

/**
 * Related documents of one title are copies (each county's own 解读 of the same national policy): shown once, the
 * copy on the site being searched first, with how many sites carry one.
 */
function sameTitleOnce(items: RelatedHit[], input: PageInput): { item: RelatedHit; copies: number }[] {
  const here = (x: RelatedHit) => !!input.siteScope && x.placements.some((p) => p.siteId === input.siteScope);
  const byTitle = new Map<string, { item: RelatedHit; copies: number }>();
  for (const r of items) {
    const seen = byTitle.get(r.title);
    if (!seen) byTitle.set(r.title, { item: r, copies: 1 });
    else {
      seen.copies++;
      if (here(r) && !here(seen.item)) seen.item = r;
    }
  }
  return [...byTitle.values()];
}

function relatedList(hit: SearchHit, input: PageInput) {
  const groups: [RelatedHit['relation'], string][] = [
    ['interpretation', '相关解读'],
    ['policy', '对应政策'],
  ];
  return groups.map(([relation, label]) => {
    const items = sameTitleOnce(
      hit.related.filter((r) => r.relation === relation),
      input,
    );
    if (items.length === 0) return '';
    return html`<p class="related">${label}：${items.map(({ item: r, copies }, i) => {
      const t = targetOf(r, input);
      return html`${i ? '；' : ''}${t ? html`<a href="${clickHref(input, r.id, t.to)}">${r.title}</a>` : r.title}${copies > 1 ? html`<span class="meta">（${copies} 个网站各有一份）</span>` : ''}`;
    })}</p>`;
  });
}

function hitItem(h: SearchHit, input: PageInput) {
  const t = targetOf(h, input);
  const title = t ? html`<a href="${clickHref(input, h.id, t.to)}">${h.title}</a>` : h.title;
  return html`<li class="hit"><h2>${h.match === 'pinned' ? html`<span class="badge pin">推荐</span> ` : ''}${title}</h2>
<p class="meta">${areaLabel(h.area ?? null)}　${h.docNumber ? html`${h.docNumber}　` : ''}${h.issuer ? html`${h.issuer}　` : ''}${formatPublishTime(h.publishedAt)}${h.validity ? html`　<span class="badge">${h.validity}</span>` : ''}${t?.site ? html`　${t.site.name}` : ''}</p>
<p class="snippet">${raw(h.snippet)}</p>${relatedList(h, input)}</li>`;
}

// Fills the <datalist> from /search/suggest.json as the user types (debounced). ES5 on purpose: older phones
// and browsers common among older users run it too; where it does not run, the form works the same.
const SUGGEST_SCRIPT = `(function(){var i=document.getElementById('q'),l=document.getElementById('q-suggest');if(!i||!l||!window.fetch)return;var t,last='';
i.addEventListener('input',function(){clearTimeout(t);t=setTimeout(function(){var v=i.value.trim();if(!v||v===last||v.length>100)return;last=v;
fetch(l.getAttribute('data-src')+'?q='+encodeURIComponent(v)).then(function(r){return r.ok?r.json():null}).then(function(d){if(!d||i.value.trim()!==v)return;
while(l.firstChild)l.removeChild(l.firstChild);d.suggestions.forEach(function(s){var o=document.createElement('option');o.value=s;l.appendChild(o)})})['catch'](function(){})},250)})})();`;

/**
 * This page's own path and query, relative to the site's root, for the 适老化 / 大鼠标 switches (display-mode.ts):
 * the switch sets the cookie and sends the reader back here, and the Worker then rewrites the page for that display.
 */
function backOf(input: PageInput): string {
  const url = new URL(input.requestUrl);
  const path = url.pathname.startsWith(input.scope.base) ? '/' + url.pathname.slice(input.scope.base.length) : url.pathname;
  return encodeURIComponent(path + url.search);
}

/**
 * The page's own styles, every rule under `.ys` so they hold the same on the platform's page and inside a
 * site's template (whose stylesheet styles everything else). Phones: the search box and results first; the
 * seven filters fold into a <details> (no script), and nothing is wider than the screen.
 */
export const SEARCH_CSS = `
.ys{font-size:18px;line-height:1.7;color:#1a1a1a;max-width:60rem;margin:0 auto;padding:1rem 0}
.ys form{margin-bottom:1rem}.ys .row,.ys fieldset{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end}.ys fieldset{border:0;margin:.4rem 0 0;padding:0}
.ys label{display:flex;flex-direction:column;font-size:1rem;max-width:100%}
.ys input,.ys select,.ys button{font:inherit;padding:.5rem .6rem;border:2px solid #555;border-radius:4px;min-height:2.75rem;box-sizing:border-box;background:#fff;color:#1a1a1a;max-width:100%}
.ys input[type=search]{width:20rem}.ys input[type=number]{width:7rem}
.ys button{background:#b3121b;color:#fff;border-color:#8a0d14;cursor:pointer}.ys :focus-visible{outline:3px solid #0b4f9c;outline-offset:2px}
.ys details.filters{border:1px solid #999;border-radius:4px;margin:.6rem 0 0;padding:.2rem .8rem}.ys details.filters[open]{padding-bottom:.8rem}
.ys details.filters summary{cursor:pointer;min-height:2.75rem;display:flex;align-items:center;font-weight:600;color:#0b4f9c}
.ys ol.hits{padding-left:0;list-style:none}.ys li.hit{border-bottom:1px solid #ddd;padding:.8rem 0}.ys li.hit h2{font-size:1.15rem;margin:0}.ys a{color:#0b4f9c;text-decoration:underline;text-underline-offset:.15em}
.ys .meta{color:#444;font-size:1rem}.ys .badge{display:inline-block;border:1px solid #9a5b00;color:#7a4700;padding:0 .3rem;border-radius:3px;font-size:.9rem}
.ys .badge.pin{background:#b3121b;border-color:#8a0d14;color:#fff;vertical-align:.1em}.ys .badge.far{border-color:#555;color:#333;background:#f1f1f1}
.ys mark{background:#ffe97a;color:#1a1a1a;font-weight:600;padding:0 .1em}.ys .snippet{margin:.3rem 0;overflow-wrap:anywhere}.ys .related{margin:.2rem 0;padding-left:.8rem;border-left:3px solid #c8d6e8}
.ys .vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}.ys h1.title{font-size:1.5rem;margin:0 0 .6rem}
.ys .err{background:#fdecea;border-left:4px solid #b3121b;padding:.6rem 1rem}.ys .suggest{font-size:1.1rem}
.ys .nothing{border:2px solid #0b4f9c;border-radius:6px;padding:.6rem 1rem;margin:1rem 0;background:#f7fafd}.ys .nothing h2{font-size:1.2rem;margin:.2rem 0}.ys .nothing ul{margin:.3rem 0;padding-left:1.2rem}.ys .nothing li{margin:.3rem 0}
.ys nav.pages{display:flex;gap:.5rem;flex-wrap:wrap}.ys nav.pages a,.ys nav.pages span{display:inline-flex;align-items:center;justify-content:center;min-height:44px;min-width:44px;padding:0 .8rem;border:1px solid #767676;box-sizing:border-box}
html[data-mode=elder] .ys{font-size:1rem;line-height:1.6}html[data-mode=elder] .ys .meta,html[data-mode=elder] .ys .badge,html[data-mode=elder] .ys label{font-size:1rem}
html[data-mode=elder] .ys li.hit h2{font-size:1.1rem}html[data-mode=elder] .ys :focus-visible{outline-width:4px;outline-offset:3px}
@media (max-width:40rem){.ys input[type=search]{width:100%}.ys .row>label:first-child{flex:1 1 100%}.ys .row{gap:.5rem}}
`;

/** The platform's own page (no site template): a plain header with the display switches that never overlaps. */
const PAGE_CSS = `
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",system-ui,sans-serif;margin:0;color:#1a1a1a;line-height:1.7;font-size:18px}
header.platform{background:#b3121b;color:#fff;padding:.6rem 1rem;display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.4rem 1rem}
header.platform a{color:#fff}header.platform .switches{display:flex;flex-wrap:wrap;gap:1rem}header.platform .switches a{font-weight:700;min-height:44px;display:inline-flex;align-items:center}
main{padding:0 1rem}html[data-mode=elder]{font-size:24px}html[data-mode=elder] body{font-size:1rem;line-height:1.6}
html[data-cursor=large],html[data-cursor=large] *{cursor:url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='48' height='48' viewBox='0 0 48 48'%3E%3Cpath d='M6 3v36l9-9 6.5 14 7-3.2L22 27h13z' fill='%23111' stroke='%23fff' stroke-width='3' stroke-linejoin='round'/%3E%3C/svg%3E") 6 3,auto}
`;

/** Filters a request has set, for the folded panel's summary. */
const FILTERS = ['kind', 'validity', 'column', 'level', 'region', 'issuer', 'year'] as const;

/** The search form, the answer card and the results: the page's content, in the platform's page or a site's template. */
export function searchBody(input: PageInput) {
  const q = input.query.q ?? '';
  const r = input.result;
  const pages = r ? Math.max(1, Math.ceil(r.total / r.size)) : 1;
  const pageLink = (n: number) => '?' + new URLSearchParams({ ...input.query, page: String(n) }).toString();
  const queryLink = (text: string) => {
    const next: Record<string, string> = { ...input.query, q: text };
    delete next.page;
    return '?' + new URLSearchParams(next).toString();
  };
  const selected = (name: string, value: string) => (input.query[name] === value ? 'selected' : '');
  const options = (name: string, entries: [string, string][]) =>
    html`<option value="">全部</option>${entries.map(([k, v]) => html`<option value="${k}" ${selected(name, k)}>${v}</option>`)}`;
  const active = FILTERS.filter((f) => input.query[f]).length;
  return html`<div class="ys">
${input.siteScope ? html`<h1 class="title">搜索</h1>` : html`<h1 class="vh">一网通查</h1>`}
<form method="get" action="" role="search">
<div class="row">
<label for="q">搜索词<input type="search" id="q" name="q" value="${q}" maxlength="100" required aria-describedby="q-hint" list="q-suggest"></label>
<datalist id="q-suggest" data-src="${input.scope.base}search/suggest.json"></datalist>
${input.siteScope ? html`<label>范围<select name="scope"><option value="site" ${input.query.scope === 'all' ? '' : 'selected'}>本站</option><option value="all" ${selected('scope', 'all')}>全部网站</option></select></label>` : ''}
<label>排序<select name="sort"><option value="relevance">相关度</option><option value="date" ${selected('sort', 'date')}>发布时间</option></select></label>
<button type="submit">搜索</button>
</div>
<details class="filters"${input.error && FILTERS.includes(input.error.field as (typeof FILTERS)[number]) ? ' open' : ''}><summary>筛选条件${active ? `（已选 ${active} 项）` : '（类别、有效性、年份等，可不选）'}</summary>
<fieldset><legend class="vh">筛选（可不选）</legend>
<label>类别<select name="kind">${options('kind', Object.entries(DOCUMENT_KINDS))}</select></label>
<label>有效性<select name="validity">${options(
    'validity',
    VALIDITIES.map((v) => [v, v]),
  )}</select></label>
<label>栏目类型<select name="column">${options(
    'column',
    Object.entries(COLUMN_KINDS).map(([k, v]) => [k, v.label]),
  )}</select></label>
<label>层级<select name="level">${options('level', Object.entries(LEVELS))}</select></label>
<label>地区<select name="region">${options(
    'region',
    input.regions.map((o) => [o.code, o.name]),
  )}</select></label>
<label>发文机关<input type="text" name="issuer" value="${input.query.issuer ?? ''}" maxlength="60" placeholder="如 国务院办公厅"></label>
<label>年份<input type="number" name="year" value="${input.query.year ?? ''}" min="1949" max="2100" inputmode="numeric"></label>
</fieldset>
</details>
</form>
<script>${raw(SUGGEST_SCRIPT)}</script>
<p id="q-hint" class="meta">可输入关键词、简称或发文字号（如 桂政办发〔2021〕120号，括号写法不限）。</p>
${input.error ? html`<p class="err" role="alert">${lookup(FIELD_LABELS, input.error.field) ?? input.error.field}：${input.error.message}</p>` : ''}
${r?.suggestion && r.total > 0 ? html`<p class="suggest">您是不是要找：<a href="${queryLink(r.suggestion)}">${r.suggestion}</a></p>` : ''}
${input.answer ? qaCard(input.answer, targetOf(input.answer.source, input)?.to ?? null) : ''}
${r && q && r.total > 0 ? html`<p>找到 <strong>${r.total}${r.totalIsLowerBound ? '+' : ''}</strong> 条结果，第 ${r.page}/${pages} 页。</p>` : ''}
${r && q && r.total === 0 ? noResults(q, input.nothing ?? null, r.suggestion ? queryLink(r.suggestion) : null, r.suggestion ?? null, queryLink, !!input.answer) : ''}
${r && r.hits.length ? html`<ol class="hits" start="${(r.page - 1) * r.size + 1}">${r.hits.map((h) => hitItem(h, input))}</ol>` : ''}
${r && pages > 1 ? html`<nav class="pages" aria-label="分页">${r.page > 1 ? html`<a href="${pageLink(r.page - 1)}" rel="prev">上一页</a>` : ''}<span aria-current="page">${r.page}</span>${r.page < pages ? html`<a href="${pageLink(r.page + 1)}" rel="next">下一页</a>` : ''}</nav>` : ''}
</div>`;
}

/** The whole page for the platform's 一网通查 (a site's search wears the site's template instead: routes.ts). */
export function searchPage(input: PageInput) {
  const q = input.query.q ?? '';
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${q ? `${q} - ` : ''}一网通查</title>
<meta name="robots" content="noindex">
<style>${raw(PAGE_CSS)}${raw(SEARCH_CSS)}</style></head><body>
<header class="platform"><span><strong>一网通查</strong>　广西政府网站集群 · 全部网站</span><span class="switches"><a data-switch="mode" href="${input.scope.base}_mode?set=elder&amp;back=${backOf(input)}">适老化模式</a><a data-switch="cursor" href="${input.scope.base}_mode?cursor=large&amp;back=${backOf(input)}">大鼠标</a></span></header>
<main>${searchBody(input)}</main></body></html>`;
}

/**
 * The server-rendered 一网通查 results page: large type, labelled controls, works without JavaScript. Result
 * links go through /search/click (counted click-through, no script needed); one small script only fills the
 * search box's suggestion list when scripts run.
 */
import { html, raw } from 'hono/html';
import { COLUMN_KINDS, DOCUMENT_KINDS, VALIDITIES, formatPublishTime, lookup } from '@ywtc/cms-schema';
import { LEVELS, type RelatedHit, type SearchHit, type SearchResult } from '@ywtc/search';
import type { SearchScope, SiteRef } from './types.ts';
import type { RegionOption } from './regions.ts';
import type { PolicyAnswer } from '../qa/answer.ts';
import { qaCard } from '../qa/card.ts';

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
  if (input.scope.links === 'preview') return { to: `/_site/${site.domain}${p.path}`, site };
  const url = new URL(input.requestUrl);
  if (input.scope.links === 'localhost') return { to: `${url.protocol}//${site.domain}.localhost${url.port ? ':' + url.port : ''}${p.path}`, site };
  return { to: `https://${site.domain}${p.path}`, site };
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
<p class="meta">${h.docNumber ? html`${h.docNumber}　` : ''}${h.issuer ? html`${h.issuer}　` : ''}${formatPublishTime(h.publishedAt)}${h.validity ? html`　<span class="badge">${h.validity}</span>` : ''}${t?.site ? html`　${t.site.name}` : ''}</p>
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

export function searchPage(input: PageInput) {
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
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${q ? `${q} - ` : ''}一网通查</title>
<meta name="robots" content="noindex">
<style>
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",system-ui,sans-serif;margin:0;color:#1a1a1a;line-height:1.7;font-size:18px}
header{background:#b3121b;color:#fff;padding:1rem}header a{color:#fff}main{max-width:60rem;margin:0 auto;padding:1rem}
form{margin-bottom:1rem}.row,fieldset{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end}fieldset{border:1px solid #999;border-radius:4px;margin:.8rem 0 0;padding:.4rem .8rem .8rem}
legend{padding:0 .3rem}label{display:flex;flex-direction:column;font-size:1rem}
input,select,button{font:inherit;padding:.5rem .6rem;border:2px solid #555;border-radius:4px;min-height:2.75rem;box-sizing:border-box;background:#fff;color:#1a1a1a}input[type=search]{min-width:18rem}input[type=number]{width:7rem}
button{background:#b3121b;color:#fff;border-color:#8a0d14;cursor:pointer}:focus-visible{outline:3px solid #0b4f9c;outline-offset:2px}
ol{padding-left:0;list-style:none}li.hit{border-bottom:1px solid #ddd;padding:.8rem 0}li.hit h2{font-size:1.15rem;margin:0}a{color:#0b4f9c}
.meta{color:#444;font-size:1rem}.badge{display:inline-block;border:1px solid #9a5b00;color:#7a4700;padding:0 .3rem;border-radius:3px;font-size:.9rem}
.badge.pin{background:#b3121b;border-color:#8a0d14;color:#fff;vertical-align:.1em}
mark{background:#ffe97a;color:#1a1a1a;font-weight:600;padding:0 .1em}.snippet{margin:.3rem 0}.related{margin:.2rem 0;padding-left:.8rem;border-left:3px solid #c8d6e8}
.err{background:#fdecea;border-left:4px solid #b3121b;padding:.6rem 1rem}.suggest{font-size:1.1rem}
header .switches{float:right;display:flex;gap:1rem}header .switches a{font-weight:700}
html[data-mode=elder]{font-size:24px}html[data-mode=elder] body{font-size:1rem;line-height:1.6}html[data-mode=elder] .meta,html[data-mode=elder] .badge,html[data-mode=elder] label{font-size:1rem}
html[data-mode=elder] li.hit h2{font-size:1.1rem}html[data-mode=elder] :focus-visible{outline-width:4px;outline-offset:3px}html[data-mode=elder] input[type=search]{min-width:min(18rem,100%)}
html[data-cursor=large],html[data-cursor=large] *{cursor:url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='48' height='48' viewBox='0 0 48 48'%3E%3Cpath d='M6 3v36l9-9 6.5 14 7-3.2L22 27h13z' fill='%23111' stroke='%23fff' stroke-width='3' stroke-linejoin='round'/%3E%3C/svg%3E") 6 3,auto}
nav.pages{display:flex;gap:.5rem;flex-wrap:wrap}nav.pages a,nav.pages span{display:inline-flex;align-items:center;justify-content:center;min-height:44px;min-width:44px;padding:0 .8rem;border:1px solid #767676;box-sizing:border-box}
</style></head><body>
<header><span class="switches"><a data-switch="mode" href="${input.scope.base}_mode?set=elder&amp;back=${backOf(input)}">适老化模式</a><a data-switch="cursor" href="${input.scope.base}_mode?cursor=large&amp;back=${backOf(input)}">大鼠标</a></span><strong>一网通查</strong>　${input.scope.siteId ? '本站搜索' : '广西政府网站集群 · 全部网站'}</header>
<main>
<form method="get" action="" role="search">
<div class="row">
<label for="q">搜索词<input type="search" id="q" name="q" value="${q}" maxlength="100" required aria-describedby="q-hint" list="q-suggest"></label>
<datalist id="q-suggest" data-src="${input.scope.base}search/suggest.json"></datalist>
${input.siteScope ? html`<label>范围<select name="scope"><option value="site" ${input.query.scope === 'all' ? '' : 'selected'}>本站</option><option value="all" ${selected('scope', 'all')}>全部网站</option></select></label>` : ''}
<label>排序<select name="sort"><option value="relevance">相关度</option><option value="date" ${selected('sort', 'date')}>发布时间</option></select></label>
<button type="submit">搜索</button>
</div>
<fieldset><legend>筛选（可不选）</legend>
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
</form>
<script>${raw(SUGGEST_SCRIPT)}</script>
<p id="q-hint" class="meta">可输入关键词、简称或发文字号（如 桂政办发〔2021〕120号，括号写法不限）。</p>
${input.error ? html`<p class="err" role="alert">${lookup(FIELD_LABELS, input.error.field) ?? input.error.field}：${input.error.message}</p>` : ''}
${r?.suggestion ? html`<p class="suggest">您是不是要找：<a href="${queryLink(r.suggestion)}">${r.suggestion}</a></p>` : ''}
${input.answer ? qaCard(input.answer, targetOf(input.answer.source, input)?.to ?? null) : ''}
${r && q ? html`<p>找到 <strong>${r.total}${r.totalIsLowerBound ? '+' : ''}</strong> 条结果${r.total ? `，第 ${r.page}/${pages} 页` : ''}。</p>` : ''}
${r && q && r.total === 0 ? html`<p>没有找到相关信息。请换个说法，或减少搜索词和筛选条件。</p>` : ''}
${r ? html`<ol start="${(r.page - 1) * r.size + 1}">${r.hits.map((h) => hitItem(h, input))}</ol>` : ''}
${r && pages > 1 ? html`<nav class="pages" aria-label="分页">${r.page > 1 ? html`<a href="${pageLink(r.page - 1)}" rel="prev">上一页</a>` : ''}<span aria-current="page">${r.page}</span>${r.page < pages ? html`<a href="${pageLink(r.page + 1)}" rel="next">下一页</a>` : ''}</nav>` : ''}
</main></body></html>`;
}

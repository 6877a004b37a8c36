/**
 * The 搜索管理 page: searches over the last 30 days (chart and table), hot and zero-result queries, best bets and
 * the synonym dictionary. Server-rendered with plain forms (no script), large type and labelled controls.
 */
import { html } from 'hono/html';
import type { Pin } from '../search/pins.ts';
import type { DayTotals, QueryTotals } from '../search/stats.ts';
import { dailyChart } from './chart.ts';
import { adminPage, type Viewer } from './admin-layout.ts';

export interface AdminPageInput {
  viewer: Viewer;
  /** Platform admins change best bets and synonyms; site admins read the log. */
  canManage: boolean;
  days: DayTotals[];
  hot: QueryTotals[];
  zero: QueryTotals[];
  pins: Pin[];
  /** Synonym groups as stored ("社保|社会保险"). */
  synonyms: string[];
  /** What the last change did (after its redirect). */
  notice: string | null;
  error: { field: string; label: string; message: string } | null;
  /** Values to show in the forms again (after an error, or from a “设为推荐” link). */
  form: { pinQuery: string; pinDocumentId: string; terms: string };
}

const percent = (clicks: number, searches: number) => (searches ? `${((clicks / searches) * 100).toFixed(1)}%` : '—');

function queryTable(id: string, caption: string, rows: QueryTotals[], zeroFirst: boolean) {
  if (rows.length === 0) return html`<p id="${id}">近 30 天没有记录。</p>`;
  return html`<table id="${id}"><caption>${caption}</caption>
<thead><tr><th scope="col">排名</th><th scope="col">搜索词</th>${zeroFirst ? html`<th scope="col">无结果次数</th><th scope="col">搜索次数</th>` : html`<th scope="col">搜索次数</th><th scope="col">点击次数</th><th scope="col">点击率</th><th scope="col">无结果次数</th>`}<th scope="col">操作</th></tr></thead>
<tbody>${rows.map(
    (r, i) => html`<tr><td>${i + 1}</td><th scope="row">${r.query}</th>${
      zeroFirst
        ? html`<td>${r.zeroResults}</td><td>${r.searches}</td>`
        : html`<td>${r.searches}</td><td>${r.clicks}</td><td>${percent(r.clicks, r.searches)}</td><td>${r.zeroResults}</td>`
    }
<td><a href="?${new URLSearchParams({ pin: r.query }).toString()}#pins">设置推荐</a>${zeroFirst ? html`　<a href="?${new URLSearchParams({ terms: r.query }).toString()}#synonyms">添加同义词</a>` : ''}</td></tr>`,
  )}</tbody></table>`;
}

function pinTable(pins: Pin[], csrf: string | null) {
  if (pins.length === 0) return html`<p>还没有推荐结果。</p>`;
  return html`<table><caption>已设置的推荐结果（按搜索词，同一搜索词内按显示顺序）</caption>
<thead><tr><th scope="col">搜索词</th><th scope="col">顺序</th><th scope="col">文档</th><th scope="col">操作</th></tr></thead>
<tbody>${pins.map(
    (
      p,
      i,
    ) => html`<tr><th scope="row">${p.query}</th><td>${pins.slice(0, i).filter((o) => o.query === p.query).length + 1}</td><td>${p.title}<br><span class="meta">${p.documentId}</span></td>
${csrf ? html`<td><form method="post" action="/admin/search/pins/delete"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="q" value="${p.query}"><input type="hidden" name="documentId" value="${p.documentId}"><button type="submit" class="secondary" aria-label="删除“${p.query}”的推荐：${p.title}">删除</button></form></td>` : html`<td></td>`}</tr>`,
  )}</tbody></table>`;
}

function synonymTable(groups: string[], csrf: string | null) {
  if (groups.length === 0) return html`<p>同义词词典为空。</p>`;
  return html`<table><caption>同义词组（共 ${groups.length} 组；搜索其中任一词也会查找其他词）</caption>
<thead><tr><th scope="col">同义词组</th><th scope="col">操作</th></tr></thead>
<tbody>${groups.map(
    (g) => html`<tr><th scope="row">${g.split('|').join('、')}</th>
<td>${csrf ? html`<form method="post" action="/admin/search/synonyms/delete"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="terms" value="${g}"><button type="submit" class="secondary" aria-label="删除同义词组：${g.split('|').join('、')}">删除</button></form>` : ''}</td></tr>`,
  )}</tbody></table>`;
}

export function searchAdminPage(input: AdminPageInput) {
  const err = (field: string) => (input.error?.field === field ? html`<span class="field-error" id="${field}-err">${input.error.message}</span>` : '');
  const invalid = (field: string) => (input.error?.field === field ? html` aria-invalid="true" aria-describedby="${field}-err"` : '');
  const csrf = input.canManage ? input.viewer.csrf : null;
  const body = html`<h1>搜索管理</h1>
<p class="meta">统计只按天汇总搜索词和次数，不记录 IP、Cookie、浏览器信息或具体时间；疑似身份证号、手机号、银行卡号或邮箱的搜索词不会记录。</p>
${input.notice ? html`<p class="ok" role="status">${input.notice}</p>` : ''}
${input.error ? html`<p class="err" role="alert">${input.error.label}（${input.error.field}）：${input.error.message}</p>` : ''}

<section aria-labelledby="h-trend"><h2 id="h-trend">近 30 天搜索量</h2>
<figure>${dailyChart(input.days)}
<figcaption class="legend"><span class="searches"></span>搜索次数（每日左侧柱）<span class="zero"></span>无结果次数（每日右侧斜纹柱）</figcaption></figure>
<details><summary>查看每日数据表</summary>
<table><caption>近 30 天每日搜索次数、无结果次数和点击次数</caption>
<thead><tr><th scope="col">日期</th><th scope="col">搜索次数</th><th scope="col">无结果次数</th><th scope="col">点击次数</th></tr></thead>
<tbody>${input.days.map((d) => html`<tr><th scope="row">${d.day}</th><td>${d.searches}</td><td>${d.zeroResults}</td><td>${d.clicks}</td></tr>`)}</tbody></table>
</details></section>

<section aria-labelledby="h-hot"><h2 id="h-hot">热门搜索词（前 20）</h2>
${queryTable('hot', '近 30 天搜索次数最多的词；点击率 = 从结果页打开结果的次数 ÷ 搜索次数', input.hot, false)}</section>

<section aria-labelledby="h-zero"><h2 id="h-zero">无结果搜索词（前 20）</h2>
<p>这些词没有找到任何信息，可为它们设置推荐结果，或添加同义词。</p>
${queryTable('zero', '近 30 天无结果次数最多的词', input.zero, true)}</section>

<section aria-labelledby="h-pins" id="pins"><h2 id="h-pins">推荐结果</h2>
<p>为某个搜索词指定文档，搜索该词时（第 1 页）排在最前并标“推荐”。每个词最多 5 条。${csrf ? '' : '（只有平台管理员可以修改。）'}</p>
${
  csrf
    ? html`<form class="add" method="post" action="/admin/search/pins"><input type="hidden" name="csrf" value="${csrf}">
<label>搜索词<input type="text" name="q" value="${input.form.pinQuery}" maxlength="100" required${invalid('q')}>${err('q')}</label>
<label>文档 ID<input type="text" name="documentId" value="${input.form.pinDocumentId}" maxlength="80" required${invalid('documentId')}>${err('documentId')}</label>
<button type="submit">添加推荐</button></form>`
    : ''
}
${pinTable(input.pins, csrf)}</section>

<section aria-labelledby="h-syn" id="synonyms"><h2 id="h-syn">同义词词典</h2>
<p>一组词互为同义或简称，如“社保|社会保险”。每个词 2–20 个字，用 | 或逗号分隔；修改后立即用于搜索。</p>
${
  csrf
    ? html`<form class="add" method="post" action="/admin/search/synonyms"><input type="hidden" name="csrf" value="${csrf}">
<label>同义词组<input type="text" name="terms" value="${input.form.terms}" maxlength="300" required placeholder="两险|失业保险"${invalid('terms')}>${err('terms')}</label>
<button type="submit">添加同义词组</button></form>`
    : ''
}
${synonymTable(input.synonyms, csrf)}</section>`;
  return adminPage({ title: `${input.error ? '输入有误 - ' : ''}搜索管理`, viewer: input.viewer, current: 'search', body });
}

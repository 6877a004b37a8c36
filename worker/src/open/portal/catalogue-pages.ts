/**
 * 开放目录 in the portal: browse and search every interface (by name, providing unit, topic and 开放类型), and
 * each entry's page — what it answers, its fields and filters (from the zod definitions), a real sample
 * answer, how much it was used, and the way to apply.
 */
import { html } from 'hono/html';
import { DATASETS, OPEN_TOPICS, OPEN_TYPES, type OpenInterface, type OpenTopic, type OpenType } from '@ywtc/cms-schema';
import { catalogueEntry, type FieldInfo } from '../describe.ts';
import { portalPage, type PortalViewer } from './layout.ts';

export interface CatalogueFilter {
  q: string;
  topic: OpenTopic | '';
  type: OpenType | '';
  owner: string;
  page: number;
}
export const PAGE_SIZE = 50;

const typeTag = (t: OpenType) => html`<span class="tag ${t}">${OPEN_TYPES[t]}</span>`;

export function cataloguePage(input: {
  viewer: PortalViewer | null;
  all: readonly OpenInterface[];
  filter: CatalogueFilter;
  owners: { id: string; name: string }[];
  calls: ReadonlyMap<string, number>;
}) {
  const f = input.filter;
  const matches = input.all.filter(
    (i) =>
      (!f.q || i.name.includes(f.q) || i.code.includes(f.q.toUpperCase()) || DATASETS[i.dataset].label.includes(f.q)) &&
      (!f.topic || DATASETS[i.dataset].topic === f.topic) &&
      (!f.type || i.openType === f.type) &&
      (!f.owner || i.ownerSiteId === f.owner),
  );
  const pages = Math.max(1, Math.ceil(matches.length / PAGE_SIZE));
  const page = Math.min(f.page, pages);
  const shown = matches.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const qs = (p: number) =>
    new URLSearchParams({
      ...(f.q ? { q: f.q } : {}),
      ...(f.topic ? { topic: f.topic } : {}),
      ...(f.type ? { type: f.type } : {}),
      ...(f.owner ? { owner: f.owner } : {}),
      page: String(p),
    }).toString();
  const conditional = input.all.filter((i) => i.openType === 'conditional').length;
  const body = html`<h1>开放目录</h1>
<p>平台共开放 <strong>${input.all.length}</strong> 个数据接口（无条件开放 ${input.all.length - conditional} 个，有条件开放 ${conditional} 个），数据来自全区政府网站的统一信息资源库。
无条件开放的接口，注册单位申请后即可使用；有条件开放的接口须经数据提供单位审批。调用方法见<a href="/open/docs">接口规范</a>，机器可读的目录见 <a href="/open/v1/interfaces">/open/v1/interfaces</a> 和 <a href="/open/openapi.json">OpenAPI 文档</a>。</p>
<form method="get" action="/open" class="filters" role="search" aria-label="筛选接口">
<label>名称或编码<input type="search" name="q" value="${f.q}" maxlength="30"></label>
<label>主题<select name="topic"><option value="">全部主题</option>${Object.entries(OPEN_TOPICS).map(([k, v]) => html`<option value="${k}"${k === f.topic ? html` selected` : ''}>${v}</option>`)}</select></label>
<label>开放类型<select name="type"><option value="">全部</option>${Object.entries(OPEN_TYPES).map(([k, v]) => html`<option value="${k}"${k === f.type ? html` selected` : ''}>${v}</option>`)}</select></label>
<label>数据提供单位<select name="owner"><option value="">全部单位</option>${input.owners.map((o) => html`<option value="${o.id}"${o.id === f.owner ? html` selected` : ''}>${o.name}</option>`)}</select></label>
<button type="submit">筛选</button></form>
<p role="status">找到 ${matches.length} 个接口${pages > 1 ? `，第 ${page} / ${pages} 页` : ''}。</p>
${
  shown.length
    ? html`<table><caption>接口列表（近 30 天调用次数为全部单位合计）</caption>
<thead><tr><th scope="col">编码</th><th scope="col">接口名称</th><th scope="col">数据提供单位</th><th scope="col">开放类型</th><th scope="col">更新频率</th><th scope="col">近 30 天调用</th></tr></thead>
<tbody>${shown.map(
        (i) =>
          html`<tr><td>${i.code}</td><th scope="row"><a href="/open/catalogue/${i.code}">${i.name}</a></th><td>${i.ownerName}</td><td>${typeTag(i.openType)}</td><td>${DATASETS[i.dataset].updateFrequency}</td><td>${input.calls.get(i.code) ?? 0}</td></tr>`,
      )}</tbody></table>`
    : html`<p>没有符合条件的接口，请放宽筛选条件。</p>`
}
${pages > 1 ? html`<nav class="pager" aria-label="翻页">${page > 1 ? html`<a href="/open?${qs(page - 1)}">上一页</a>` : ''}<span>第 ${page} / ${pages} 页</span>${page < pages ? html`<a href="/open?${qs(page + 1)}">下一页</a>` : ''}</nav>` : ''}`;
  return portalPage({ title: '开放目录', viewer: input.viewer, current: 'catalogue', body });
}

const fieldTable = (caption: string, fields: FieldInfo[]) =>
  fields.length
    ? html`<table><caption>${caption}</caption><thead><tr><th scope="col">名称</th><th scope="col">类型</th><th scope="col">说明</th></tr></thead>
<tbody>${fields.map((f) => html`<tr><th scope="row"><code>${f.name}</code></th><td>${f.type}${f.nullable ? '（可为空）' : ''}</td><td>${f.description}</td></tr>`)}</tbody></table>`
    : html`<p>${caption}：无。</p>`;

export function entryPage(input: { viewer: PortalViewer | null; iface: OpenInterface; sample: unknown; calls: number; applied: string | null }) {
  const i = input.iface;
  const e = catalogueEntry(i, true);
  const body = html`<p><a href="/open">← 返回开放目录</a></p>
<h1>${i.name}</h1>
<dl class="cards">
<div><dt>接口编码</dt><dd>${i.code}</dd></div>
<div><dt>数据提供单位</dt><dd>${i.ownerName}</dd></div>
<div><dt>开放类型</dt><dd>${typeTag(i.openType)}</dd></div>
<div><dt>主题</dt><dd>${e.topic}</dd></div>
<div><dt>更新频率</dt><dd>${e.update_frequency}</dd></div>
<div><dt>版本</dt><dd>${i.version}</dd></div>
<div><dt>格式</dt><dd>JSON、CSV、XML</dd></div>
<div><dt>近 30 天调用</dt><dd>${input.calls} 次</dd></div>
</dl>
<p>${i.description}</p>
${i.conditionReason ? html`<p class="warn"><strong>有条件开放：</strong>${i.conditionReason}</p>` : ''}
<h2>调用地址</h2>
<p><code>GET /open/v1/data/${i.code}</code>，请求头 <code>X-Api-Key</code> 携带密钥。${e.incremental_sync ? '支持 since 增量同步（含撤下、删除记录）。' : '统计类数据，每次全量获取，不支持增量同步。'}</p>
${
  input.applied
    ? html`<p class="ok">贵单位的申请状态：${input.applied}。<a href="/open/account">查看我的单位</a></p>`
    : html`<p><a href="/open/apply/${i.code}">申请使用此接口</a>${input.viewer ? '' : '（须先注册并登录）'}</p>`
}
<h2>返回字段</h2>
${fieldTable('每条记录的字段', e.fields ?? [])}
<h2>筛选参数</h2>
<p>每个接口都接受 <code>limit</code>、<code>cursor</code>${e.incremental_sync ? html`、<code>since</code>` : ''}、<code>format</code>（见接口规范）。此外：</p>
${fieldTable('本接口的筛选参数', e.filters ?? [])}
<h2>示例响应</h2>
${i.openType === 'conditional' ? html`<p>有条件开放接口的示例只展示结构，不含实际数据。</p>` : html`<p>以下为本接口当前的前两条数据。</p>`}
<pre>${JSON.stringify(input.sample, null, 2)}</pre>`;
  return portalPage({ title: i.name, viewer: input.viewer, current: 'catalogue', body });
}

export const noEntryPage = (viewer: PortalViewer | null, code: string) =>
  portalPage({
    title: '没有这个接口',
    viewer,
    current: 'catalogue',
    body: html`<h1>没有这个接口</h1><p>开放目录中没有编码为 ${code} 的接口。<a href="/open">返回开放目录</a></p>`,
  });

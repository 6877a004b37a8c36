/**
 * Pages of the platform itself, not of any site: the local preview index (every site with its links) and
 * the answer to a host that no site on the platform uses.
 */
import { html, raw } from 'hono/html';
import { SITE_KINDS, type SiteKind } from '@ywtc/cms-schema';

const shell = (title: string, body: ReturnType<typeof html>) => html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title>
<style>
body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",system-ui,sans-serif;margin:0;color:#1a1a1a;line-height:1.6;font-size:17px}
header{background:#b3121b;color:#fff;padding:1.2rem 1rem}header h1{margin:0;font-size:1.6rem}
main{max-width:75rem;margin:0 auto;padding:1rem}table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border-bottom:1px solid #ddd;padding:.4rem .5rem;text-align:left;vertical-align:top}th{background:#f6f1f0}
tr.group th{background:#fff;font-size:1.05rem;padding-top:1.2rem;color:#8a0d14}a{color:#0b4f9c}a:focus-visible{outline:3px solid #8a0d14}
.note{background:#fff8e6;border-left:4px solid #9a5b00;padding:.6rem 1rem}code{background:#f3f3f3;padding:0 .25rem}
</style></head><body>${body}</body></html>`;

export interface IndexSite {
  id: string;
  name: string;
  kind: SiteKind;
  parent_name: string | null;
  domain: string;
  division_code: string;
  parent_id: string | null;
}

export function platformIndex(sites: IndexSite[], port: string) {
  const url = (domain: string) => `http://${domain}.localhost${port ? ':' + port : ''}/`;
  // Group: the region (its portal, departments and peer units), then each city with its own units and counties.
  const groupOf = (s: IndexSite) => (s.division_code === '450000' ? '450000' : s.division_code.slice(0, 4) + '00');
  const groups = new Map<string, IndexSite[]>();
  for (const s of sites) {
    const g = groupOf(s);
    const list = groups.get(g) ?? [];
    list.push(s);
    groups.set(g, list);
  }
  const rows = [...groups.entries()].map(([, list]) => {
    const head = list.find((s) => s.kind === 'province-portal' || s.kind === 'city-portal') ?? list[0]!;
    return html`<tr class="group"><th colspan="5" scope="colgroup">${head.name.replace(/人民政府门户网站$/, '')}（${list.length} 个网站）</th></tr>
${list.map((s) => html`<tr><td><a href="${url(s.domain)}">${s.name}</a></td><td>${SITE_KINDS[s.kind]}</td><td>${s.parent_name ?? '—'}</td><td><code>${s.domain}</code></td><td><a href="/_site/${s.domain}/" aria-label="${s.name}（路径预览）">路径预览</a></td></tr>`)}`;
  });
  return shell(
    '一网通查 · 广西政府网站集群（本地预览）',
    html`<header><h1>一网通查 · 广西政府网站集群</h1><p style="margin:.3rem 0 0">本地预览：共 ${sites.length} 个网站，同一内容库、同一渲染器、同一边缘 Worker</p></header>
<main>
<p class="note">每个网站可用两种方式打开：<code>http://&lt;域名&gt;.localhost${port ? ':' + port : ''}/</code>（按 Host 路由，与正式域名一致），或本机的 <code>/_site/&lt;域名&gt;/</code> 路径前缀；两者返回的页面字节完全相同。网站标识码和备案号为演示编号；标注“示例”的信息为演示内容，其余文件均保留原发文机关、文号、日期和来源。</p>
<p><a href="/healthz">/healthz</a> 检查 Worker、D1 和 R2 是否可用。</p>
<table><thead><tr><th scope="col">网站名称</th><th scope="col">类型</th><th scope="col">上级网站</th><th scope="col">域名</th><th scope="col">预览</th></tr></thead>
<tbody>${rows}</tbody></table>
</main>`,
  );
}

export function unknownHost(host: string) {
  return shell(
    '网站不存在',
    html`<header><h1>一网通查 · 政府网站集约化平台</h1></header>
<main><h2>本平台上没有这个网站</h2><p>域名 <code>${host}</code> 没有登记在本平台的任何网站上。请检查地址是否输入正确。</p>
<p>${raw('如需访问平台上的网站，请使用其登记的域名。')}</p></main>`,
  );
}

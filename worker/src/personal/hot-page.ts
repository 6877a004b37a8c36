/**
 * /hot/ — 热点信息 of one site (in its own template) and, on the platform's search host, of the whole cluster:
 * the hot items with where they are shown, and the hot searches. Everyone sees the same list; it moves with
 * page views and searches (hot.ts), not with publishing.
 */
import type { Context } from 'hono';
import { escapeHtml } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { hotList, type HotList } from './hot.ts';
import { registry } from './registry.ts';
import { hrefOf, inSite, type LinkContext } from './blocks.ts';
import { inShell } from './shell.ts';

const e = escapeHtml;

function listHtml(ctx: LinkContext, list: HotList, showSite: boolean): string {
  const rows = list.items
    .map(
      (i) =>
        `<li><a href="${e(hrefOf(ctx, i.siteId, i.path))}">${e(i.title)}</a><span class="sub">${[
          showSite ? e(ctx.sites.get(i.siteId)?.name ?? '') : '',
          i.pinned ? '编辑置顶' : i.filler ? '最新发布' : `热度 ${i.heat.toFixed(1)}`,
        ]
          .filter(Boolean)
          .join(' · ')}</span></li>`,
    )
    .join('');
  const queries = list.queries.map((q) => `<li><a href="${e(inSite(ctx, `/search?q=${encodeURIComponent(q.query)}`))}">${e(q.query)}</a></li>`).join('');
  return `<section aria-labelledby="hot-items" class="mt-4"><h2 id="hot-items" class="text-xl font-bold text-primary-dark">热点信息</h2>${
    rows ? `<ol class="hot-list">${rows}</ol>` : '<p>近期暂无热点信息。</p>'
  }</section>
<section aria-labelledby="hot-queries" class="mt-6"><h2 id="hot-queries" class="text-xl font-bold text-primary-dark">热门搜索</h2>${
    queries ? `<ol class="hot-list">${queries}</ol>` : '<p>近期暂无热门搜索。</p>'
  }</section>
<p class="note mt-6">热度按近两周的页面浏览量计算，越近的浏览权重越高（每 3 天减半）；热门搜索按近一周的搜索次数计算。统计不含任何个人信息。${list.items.some((i) => i.filler) ? '访问数据不足时，以最新发布的信息补充。' : ''}</p>`;
}

export async function siteHotPage(c: Context<AppEnv>): Promise<Response> {
  const site = c.get('site');
  const sites = await registry(c.env.DB);
  const list = await hotList(c.env.DB, site.id);
  const ctx: LinkContext = { siteId: site.id, from: '/hot/', sites, originTemplate: c.env.SITE_ORIGIN_TEMPLATE };
  const main = `<h1 class="text-2xl font-bold text-primary-dark">热点信息</h1>${listHtml(ctx, list, false)}`;
  return inShell(c, site.id, { title: `热点信息_${sites.get(site.id)?.name ?? ''}`, path: '/hot/', main });
}

/** The cluster's list, on a platform host with the search capability (a page of its own, like /search there). */
export async function clusterHotPage(c: Context<AppEnv>): Promise<Response> {
  const sites = await registry(c.env.DB);
  const list = await hotList(c.env.DB, null);
  const ctx: LinkContext = { siteId: '', from: '/hot/', sites, originTemplate: c.env.SITE_ORIGIN_TEMPLATE };
  const body = `<h1>全区政府网站热点信息</h1>${listHtml(ctx, list, true)}`;
  return c.html(
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>热点信息_一网通查</title><style>${CLUSTER_STYLE}</style></head><body><main id="main">${body}</main></body></html>`,
    200,
    { 'Cache-Control': 'public, max-age=60' },
  );
}

const CLUSTER_STYLE =
  'body{font:18px/1.7 system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#1a1a1a}main{max-width:60rem;margin:0 auto;padding:1rem}h1{color:#8a1010;font-size:1.6rem}h2{color:#8a1010;font-size:1.25rem}ol{padding-left:2rem}li{margin:.4rem 0}.sub{color:#444;font-size:.9rem;margin-left:.5rem}a{color:#0b4f9c}a:focus{outline:3px solid #e8a200;outline-offset:2px}.note{color:#444;font-size:.95rem}';

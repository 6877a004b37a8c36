/**
 * The HTML the Worker puts into a page's slots (sites/src/views: `data-slot="personal"`, `data-slot="hot-list"`):
 * 为您推荐 (each item says why), 我的常用服务 (each leads to the nearest 办事指南), and the 热点 list. Every text is
 * escaped; links inside the site are relative to the page, like every link the renderer writes, so a page's
 * bytes are the same at the site's host and under the preview prefix; links to other sites use that site's
 * origin.
 */
import { INTEREST_LABELS, SCENE_LABELS, cstDate, escapeHtml, type Recommendation, type SceneCode } from '@ywtc/cms-schema';
import type { GuideRef, PoolItem } from './pool.ts';
import type { HotList } from './hot.ts';
import { originOf, type SiteEntry } from './registry.ts';

export interface LinkContext {
  /** The visited site, and the path inside it of the page the links are on ('/index.html', '/zcwj/x.html', '/hot/'). */
  siteId: string;
  from: string;
  sites: Map<string, SiteEntry>;
  originTemplate: string | undefined;
}

/** A path inside the visited site, relative to the page (`/yw/a.html` from `/zcwj/b.html` is `../yw/a.html`). */
export const inSite = (ctx: Pick<LinkContext, 'from'>, path: string) => '../'.repeat(Math.max(0, ctx.from.split('/').length - 2)) + path.slice(1);

export function hrefOf(ctx: LinkContext, siteId: string, path: string): string {
  const site = siteId === ctx.siteId ? undefined : ctx.sites.get(siteId);
  return site ? originOf(ctx.originTemplate, site.domain) + path : inSite(ctx, path);
}

const siteLabel = (ctx: LinkContext, siteId: string) =>
  siteId === ctx.siteId ? '本站' : (ctx.sites.get(siteId)?.name.replace(/(人民政府)?(门户)?网站$/, '') ?? '');

export function personalBlock(
  ctx: LinkContext,
  recs: Recommendation<PoolItem>[],
  services: { scene: SceneCode; guide: GuideRef | null }[],
  hasInterests: boolean,
): string {
  const e = escapeHtml;
  const forYou = recs.length
    ? `<ul>${recs
        .map(
          (r) =>
            `<li><a href="${e(hrefOf(ctx, r.item.siteId, r.item.path))}">${e(r.item.title)}</a><span class="why">${r.because.chosen ? '因为您关注' : '因为您最近阅读'}：${e(INTEREST_LABELS[r.because.interest])} · ${e(siteLabel(ctx, r.item.siteId))} · ${e(r.item.columnName)} · <time datetime="${e(r.item.publishedAt)}">${cstDate(r.item.publishedAt)}</time></span></li>`,
        )
        .join('')}</ul>`
    : `<p>${hasInterests ? '暂时没有与您关注领域相符的新信息。' : '您还没有选择关注的领域。'}</p>`;
  const myServices = services.length
    ? `<ul>${services
        .map(({ scene, guide }) =>
          guide
            ? `<li><a href="${e(hrefOf(ctx, guide.siteId, guide.path))}">${e(SCENE_LABELS[scene])}</a><span class="why">办事指南 · ${e(siteLabel(ctx, guide.siteId))}</span></li>`
            : `<li><a href="${e(inSite(ctx, `/search?q=${encodeURIComponent(SCENE_LABELS[scene])}`))}">${e(SCENE_LABELS[scene])}</a><span class="why">附近网站暂无该事项的办事指南，点击搜索</span></li>`,
        )
        .join('')}</ul>`
    : '<p>您还没有选择常用服务。</p>';
  const settings = e(inSite(ctx, '/_me/'));
  return `<div class="personal" data-personal><section class="for-you" aria-labelledby="p-for-you"><h2 id="p-for-you">为您推荐</h2>${forYou}<p class="note">依据您在“<a href="${settings}">定制我的网站</a>”中的选择。设置只保存在您的浏览器中，本站不记录您的个人信息。</p></section><section class="my-services" aria-labelledby="p-services"><h2 id="p-services">我的常用服务</h2>${myServices}<p class="note"><a href="${settings}">修改我的设置</a></p></section></div>`;
}

/** The items of the home page's 热点 list (inside its <ol>), and the hot searches after it. */
export function hotListItems(ctx: LinkContext, list: HotList): { items: string; after: string } {
  const e = escapeHtml;
  const items = list.items
    .slice(0, 8)
    .map(
      (i) =>
        `<li><a href="${e(hrefOf(ctx, i.siteId, i.path))}">${e(i.title)}</a>${i.pinned ? '<span class="sub">置顶</span>' : i.filler ? '<span class="sub">最新</span>' : ''}</li>`,
    )
    .join('');
  const queries = list.queries.slice(0, 6);
  const after = queries.length
    ? `<p class="hot-queries">热门搜索：${queries.map((q) => `<a href="${e(inSite(ctx, `/search?q=${encodeURIComponent(q.query)}`))}">${e(q.query)}</a>`).join('　')}</p>`
    : '';
  return { items: items || '<li>暂无热点信息</li>', after };
}

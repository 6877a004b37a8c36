/**
 * What a page gets at serve time besides its stored bytes: the 热点 list on a home page (everyone), and for a
 * citizen with settings (a valid signed cookie) 为您推荐 and 我的常用服务 on home and document pages — plus, when
 * they opted in, the document they are reading noted in their cookie. A request without the cookie never
 * reaches the recommendation code; one with a cookie that does not verify is treated the same way.
 */
import type { Context } from 'hono';
import { noteRead, recommend, shortHash, type InterestCode, type Nearness, type Profile } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { personalEnabled, profileCookieValue, profileSetCookie, readProfile, signProfile } from './profile-cookie.ts';
import { documentIdOfPath } from './hot-signals.ts';
import { hotList } from './hot.ts';
import { guidesFor, loadPool } from './pool.ts';
import { portalChain, portalOf, registry } from './registry.ts';
import { hotListItems, personalBlock, type LinkContext } from './blocks.ts';

export interface PageExtras {
  /** The home page's 热点 list: items for its <ol>, what follows it, and a signature for the ETag and the byte cache. */
  hot: { items: string; after: string; sig: string } | null;
  /** 为您推荐 and 我的常用服务 for this citizen: the page is private to them. */
  personal: string | null;
  setCookie: string | null;
}

const NEARNESS_OF_KIND: Record<string, Nearness> = { 'county-portal': 'county', 'city-portal': 'city', 'province-portal': 'region' };

export async function pageExtras(c: Context<AppEnv>, siteId: string, path: string, now = Date.now()): Promise<PageExtras | null> {
  const isHome = path === '/index.html';
  const documentId = isHome ? null : documentIdOfPath(path);
  if (!isHome && !documentId) return null;
  const secret = c.env.PERSONAL_SECRET;
  const cookie = personalEnabled(secret) ? profileCookieValue(c.req.header('Cookie')) : undefined;
  const profile = cookie ? await readProfile(secret!, cookie, Math.floor(now / 1000)) : null;
  if (!isHome && !profile) return null;
  const db = c.env.DB;
  const sites = await registry(db, now);
  const ctx: LinkContext = { siteId, from: path, sites, originTemplate: c.env.SITE_ORIGIN_TEMPLATE };
  let hot: PageExtras['hot'] = null;
  if (isHome) {
    const slot = hotListItems(ctx, await hotList(db, siteId, now));
    hot = { ...slot, sig: shortHash(slot.items + slot.after) };
  }
  if (!profile) return { hot, personal: null, setCookie: null };

  // Nearest first: the visited site, then the citizen's county, city and region (or the visited site's).
  const home = profile.r ?? portalOf(sites, siteId)?.id ?? siteId;
  const chain = portalChain(sites, home);
  const order: [string, Nearness][] = [[siteId, 'visited']];
  for (const s of chain) if (s.id !== siteId) order.push([s.id, NEARNESS_OF_KIND[s.kind] ?? 'other']);
  const pool = await loadPool(db, order, now);

  let current: Profile = profile;
  let setCookie: string | null = null;
  if (documentId && profile.h) {
    const topics = await topicsOf(db, documentId, pool.items);
    current = noteRead(profile, documentId, topics);
    if (current !== profile) setCookie = profileSetCookie(await signProfile(secret!, current), '/', new URL(c.req.url).protocol === 'https:');
  }
  const recs = recommend(pool.items, { interests: current.i, recentTopics: current.t, read: current.d }, new Date(now), 8).filter(
    (r) => r.item.id !== documentId,
  );
  const guides = guidesFor(pool, current.s, [...chain.map((s) => s.id), siteId]);
  const services = current.s.map((scene) => ({ scene, guide: guides.get(scene) ?? null }));
  return { hot, personal: personalBlock(ctx, recs, services, current.i.length > 0 || current.t.length > 0), setCookie };
}

/** The interest areas of the document being read: from the pool when it is there, else its tags in D1. */
async function topicsOf(db: D1Database, documentId: string, items: { id: string; tags: readonly { interest: InterestCode }[] }[]): Promise<InterestCode[]> {
  const known = items.find((i) => i.id === documentId);
  if (known) return known.tags.map((t) => t.interest);
  const { results } = await db
    .prepare('SELECT interest FROM document_tags WHERE document_id = ? ORDER BY confidence DESC')
    .bind(documentId)
    .all<{ interest: InterestCode }>();
  return results.map((r) => r.interest);
}

/**
 * The citizen's blocks in the page: the slot the renderer writes (sites/src/views) is found as text, which costs
 * a string search instead of an HTML parse of the whole page; a page without it (an older render) gets them
 * through HTMLRewriter's parse after all.
 */
export const PERSONAL_SLOT = '<div class="personal-slot" data-slot="personal"></div>';
export function withPersonal(html: string, personal: string): string | ReadableStream {
  const at = html.indexOf(PERSONAL_SLOT);
  if (at >= 0) return `${html.slice(0, at)}<div class="personal-slot" data-slot="personal">${personal}</div>${html.slice(at + PERSONAL_SLOT.length)}`;
  return fillSlots(new HTMLRewriter(), { hot: null, personal, setCookie: null }).transform(new Response(html, { headers: { 'Content-Type': 'text/html' } }))
    .body!;
}

/** HTMLRewriter handlers that fill the slots. */
export function fillSlots(rewriter: HTMLRewriter, extras: PageExtras): HTMLRewriter {
  const { hot, personal } = extras;
  if (hot)
    rewriter.on('ol[data-slot="hot-list"]', {
      element(el) {
        el.setInnerContent(hot.items, { html: true });
        if (hot.after) el.after(hot.after, { html: true });
      },
    });
  if (personal)
    rewriter.on('div[data-slot="personal"]', {
      element(el) {
        el.setInnerContent(personal, { html: true });
      },
    });
  return rewriter;
}

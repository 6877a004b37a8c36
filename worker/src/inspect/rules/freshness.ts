/**
 * 网站不更新 / 栏目不更新, counted the national way from what the site shows: a column's last update is the newest
 * date on its first list page (an item without a date counts as not updated), its limit the national cadence of
 * its kind (cms-schema COLUMN_KINDS: 动态要闻 14 days, 通知公告/政策文件 6 months, 人事/规划计划 1 year); a column
 * whose list shows no item at all is 空白栏目; a home page whose newest dated item is older than 2 weeks is 网站不更新.
 */
import { COLUMN_KINDS, cstDate } from '@ywtc/cms-schema';
import { columnListPath, type FindingDraft, type SiteInput } from '../types.ts';
import type { PageFacts } from '../page.ts';

const DAY = 86_400_000;
export const HOME_STALE_DAYS = 14;

/** The newest date a page shows in its main part, or null when it shows none. */
export function newestShown(page: PageFacts): Date | null {
  let newest: number | null = null;
  for (const t of page.times) {
    if (!t.inMain) continue;
    const ms = Date.parse(t.datetime || t.text);
    if (!Number.isNaN(ms) && (newest === null || ms > newest)) newest = ms;
  }
  return newest === null ? null : new Date(newest);
}

/** Items a list page shows: links in its main part to document pages of the site (a parent column lists its children's). */
export function listedItems(page: PageFacts, listPath: string, docPaths: ReadonlySet<string>): number {
  let n = 0;
  for (const l of page.links) {
    if (!l.inMain) continue;
    try {
      if (docPaths.has(new URL(l.href, `https://site${listPath}`).pathname)) n++;
    } catch {
      // an unparsable address is the link rule's finding
    }
  }
  return n;
}

export function freshness(input: SiteInput): FindingDraft[] {
  const out: FindingDraft[] = [];
  const home = input.pages.get('/index.html');
  if (home) {
    const newest = newestShown(home);
    if (!newest || input.now.getTime() - newest.getTime() > HOME_STALE_DAYS * DAY)
      out.push({
        kind: 'home-stale',
        url: '/',
        target: 'home',
        message: newest
          ? `首页最近一条信息发布于 ${cstDate(newest.toISOString())}，已超过 ${HOME_STALE_DAYS} 天未更新`
          : '首页没有注明发布时间的信息（视为不更新）',
        excerpt: '',
      });
  }
  if (input.schedule === 'weekly') return out; // columns are the monthly and quarterly runs' (SCHEDULES)
  const docPaths = new Set(input.docs.map((d) => d.path));
  for (const col of input.columns) {
    const page = input.pages.get(columnListPath(col.slug));
    if (!page) continue; // a column without a page is a broken navigation link, reported by the link rule
    const label = `「${col.name}」`;
    if (listedItems(page, columnListPath(col.slug), docPaths) === 0) {
      out.push({ kind: 'column-empty', url: `/${col.slug}/`, target: col.id, message: `栏目${label}没有任何信息（空白栏目）`, excerpt: '' });
      continue;
    }
    const limit = COLUMN_KINDS[col.kind].updateWithinDays;
    if (limit === null) continue;
    const newest = newestShown(page);
    if (!newest || input.now.getTime() - newest.getTime() > limit * DAY)
      out.push({
        kind: 'column-stale',
        url: `/${col.slug}/`,
        target: col.id,
        message: newest
          ? `栏目${label}（${COLUMN_KINDS[col.kind].label}类）最近更新于 ${cstDate(newest.toISOString())}，超过规定的 ${limit} 天`
          : `栏目${label}的信息均未注明发布时间（视为不更新）`,
        excerpt: '',
      });
  }
  return out;
}

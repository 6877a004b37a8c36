/**
 * Rules read from the content store rather than the pages: 政策文件 of the unit's own without their 解读, a portal
 * without 办事服务, 留言 unanswered for more than three months (互动回应差), and publish times moved backwards
 * after publication (a document the inspector saw at one time that now claims an earlier one).
 */
import { CONSULT_LIMITS, cstDate, isPortalKind } from '@ywtc/cms-schema';
import { columnListPath, type FindingDraft, type SiteInput } from '../types.ts';
import { listedItems } from './freshness.ts';

/** A publish time may be corrected by up to a day (a time zone slip) without counting as back-dated. */
const BACKDATE_TOLERANCE_MS = 86_400_000;

/** The unit a site speaks for: its name without 门户网站 / 网站 (兴宁区人民政府门户网站 → 兴宁区人民政府). */
export const unitOf = (siteName: string) => siteName.replace(/(门户)?网站$/, '');

/**
 * A 政策文件 the unit issued itself (its own or its office's): those need their 解读 (政策文件与解读同步). The
 * national and higher-level documents a site reposts are not the unit's to interpret.
 */
const ownPolicy = (d: SiteInput['docs'][number], input: SiteInput) =>
  d.kind === 'policy' && d.ownerSiteId === input.site.id && d.issuer !== null && d.issuer.startsWith(unitOf(input.site.name));

export function storeRules(input: SiteInput): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const d of input.docs) {
    if (ownPolicy(d, input) && !d.hasInterpretation)
      out.push({
        kind: 'policy-no-interpretation',
        url: d.path,
        target: d.id,
        message: `本单位政策文件《${d.title.slice(0, 60)}》未关联解读材料`,
        excerpt: '',
      });
    const first = input.seen.get(d.id);
    if (first && Date.parse(d.publishedAt) < Date.parse(first) - BACKDATE_TOLERANCE_MS)
      out.push({
        kind: 'backdated',
        url: d.path,
        target: d.id,
        message: `《${d.title.slice(0, 60)}》的发布时间由 ${cstDate(first)} 改为更早的 ${cstDate(d.publishedAt)}`,
        excerpt: '',
      });
  }
  if (isPortalKind(input.site.kind)) {
    const service = input.columns.filter((c) => c.kind === 'service');
    const docPaths = new Set(input.docs.map((d) => d.path));
    const shown = service.some((c) => {
      const page = input.pages.get(columnListPath(c.slug));
      return page !== undefined && listedItems(page, columnListPath(c.slug), docPaths) > 0;
    });
    if (!shown)
      out.push({
        kind: 'service-missing',
        url: '/',
        target: 'service',
        message: service.length ? '办事服务栏目没有任何办事指南' : '门户网站没有办事服务栏目',
        excerpt: '',
      });
  }
  for (const m of input.overdueConsults)
    out.push({
      kind: 'consult-overdue',
      url: '/hdjl/ly/',
      target: m.id,
      message: `网民留言“${m.title.slice(0, 40)}”${cstDate(m.receivedAt)} 收到，超过 ${CONSULT_LIMITS.overdueDays} 天未答复`,
      excerpt: '',
    });
  return out;
}

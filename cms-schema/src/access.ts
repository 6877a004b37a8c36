/**
 * Access rules as code (分级管理、内容自管、权责一致): which role may do what, on which site. One function
 * answers every check, so the API, the admin UI (which buttons to show) and the test matrix agree.
 *
 * - platform admin: everything, everywhere;
 * - site admin: manage and publish on their site and every site below it (a city admin over its counties);
 * - editor: write, submit, publish what was approved and withdraw, on their own site only, optionally only in
 *   some columns — a unit manages its own content;
 * - reviewer: sign off their review level for their site and the sites below it (a first-level reviewer also
 *   signs off policy Q&A entries, which have one level);
 * - auditor: read the audit log of their site and below (platform-wide when not bound to a site).
 *
 * Search administration (best bets, synonyms) and the pre-publish word lists change what every site shows, so
 * they are platform admins' work; the search log (no personal data) is read by site admins too. Policy Q&A
 * entries belong to a site like documents: its editors write them, reviewers sign them off. A 有条件开放
 * interface belongs to the unit that provides its data: that site's admins (and those above) approve
 * applications for it; suspending an external unit (数据使用单位) is a platform admin's decision. A site's 热点
 * list is its editors' to steer (pin, block): editors of the site, its admins and those above. Citizens' questions
 * (留言咨询) go to the unit's editors and admins (`consult.answer`); their answers are reviewed as documents.
 * A site's domains are its admins' (域名管理: `domain.request`, their site and below); changing the primary domain is
 * approved by the unit above (`domain.approve`: an admin of a site above, or a platform admin).
 */
import type { Grant } from './account.ts';
import type { Principal, PrincipalKind } from './principal.ts';

export const ACTIONS = {
  'document.write': '创建和修改文档',
  'document.submit': '提交审核',
  'document.review': '审核',
  'document.publish': '发布',
  'document.withdraw': '撤稿',
  'site.manage': '管理网站、栏目和账号',
  'audit.read': '查看审计日志',
  'qa.write': '编写政策问答',
  'qa.review': '审核政策问答',
  'search.read': '查看搜索统计',
  'search.manage': '管理推荐结果和同义词',
  'checks.manage': '维护发布前检查词表',
  'open.approve': '审批数据开放申请',
  'open.suspend': '暂停数据使用单位',
  'hot.manage': '置顶或屏蔽热点信息',
  'consult.answer': '办理网民留言',
  'inspect.read': '查看网站检查结果和整改',
  'inspect.rectify': '办理整改事项',
  'inspect.run': '发起网站检查',
  'domain.request': '域名清查、检查和申请变更网站域名',
  'domain.approve': '审批下级网站的域名变更申请',
} as const;
export type Action = keyof typeof ACTIONS;

export interface Target {
  siteId: string;
  /** The column a document is in (editors may be limited to some). */
  columnId?: string;
  /** For document.review: the level being signed off. */
  level?: number;
}

/** The site's parent, or null at the top; the caller supplies the hierarchy (registry rows). */
export type ParentOf = (siteId: string) => string | null | undefined;

/** Whether `siteId` is `ancestor` or below it. */
export function within(siteId: string, ancestor: string, parentOf: ParentOf): boolean {
  for (let s: string | null | undefined = siteId, hops = 0; s && hops < 16; s = parentOf(s), hops++) if (s === ancestor) return true;
  return false;
}

const EDITOR_ACTIONS: readonly Action[] = [
  'document.write',
  'document.submit',
  'document.publish',
  'document.withdraw',
  'qa.write',
  'hot.manage',
  'consult.answer',
];
const SITE_ADMIN_ACTIONS: readonly Action[] = [
  ...EDITOR_ACTIONS,
  'site.manage',
  'qa.review',
  'open.approve',
  'inspect.read',
  'inspect.rectify',
  'domain.request',
];
/** Actions on the platform as a whole: no site to be within. */
const PLATFORM_ACTIONS: readonly Action[] = ['search.read', 'search.manage', 'checks.manage', 'open.suspend', 'inspect.run'];

function allows(g: Grant, action: Action, t: Target, parentOf: ParentOf): boolean {
  switch (g.role) {
    case 'platform-admin':
      return true;
    case 'site-admin':
      if (action === 'search.read') return true;
      // A domain change is approved by the unit above: a site admin decides for the sites below their own, never for it.
      if (action === 'domain.approve') return t.siteId !== g.siteId && within(t.siteId, g.siteId!, parentOf);
      return SITE_ADMIN_ACTIONS.includes(action) && within(t.siteId, g.siteId!, parentOf);
    case 'editor':
      // Q&A, the hot list and citizens' questions belong to the site, not to a column: a column-limited editor has them on their site.
      if (action === 'qa.write' || action === 'hot.manage' || action === 'consult.answer') return t.siteId === g.siteId;
      return (
        EDITOR_ACTIONS.includes(action) && t.siteId === g.siteId && (g.columnIds.length === 0 || (t.columnId !== undefined && g.columnIds.includes(t.columnId)))
      );
    case 'reviewer':
      if (action === 'qa.review') return g.level === 1 && within(t.siteId, g.siteId!, parentOf);
      return action === 'document.review' && t.level === g.level && within(t.siteId, g.siteId!, parentOf);
    case 'auditor':
      return action === 'audit.read' && (g.siteId === null || within(t.siteId, g.siteId, parentOf));
  }
}

export function can(grants: readonly Grant[], action: Action, target: Target, parentOf: ParentOf): boolean {
  if (PLATFORM_ACTIONS.includes(action)) return grants.some((g) => allows(g, action, { siteId: '' }, () => null));
  return grants.some((g) => allows(g, action, target, parentOf));
}

/**
 * Whether the grants allow `action` anywhere at all — on the grant's own site, where every site-bound rule
 * reaches. The access middleware asks this before a route runs; the route then asks `can` for its target.
 */
export function canAnywhere(grants: readonly Grant[], action: Action): boolean {
  return grants.some((g) =>
    allows(g, action, { siteId: g.siteId ?? '', ...(g.level ? { level: g.level } : {}), ...(g.columnIds[0] ? { columnId: g.columnIds[0] } : {}) }, () => null),
  );
}

/**
 * Access rules declared per resource (Payload's model): each operation names the kinds of principal it serves
 * and, for staff, the action their grants must allow somewhere (`action`) or one of several (`anyOf`). The
 * Worker's one access middleware enforces these before a route runs; the route then checks its own target
 * with `can` (the document's site and column, the entry's site). Declared beside each resource's schema and
 * collected in resources.ts.
 */
export interface Rule {
  who: readonly PrincipalKind[];
  action?: Action;
  anyOf?: readonly Action[];
}
export type ResourceRules = Readonly<Record<string, Rule>>;
export const defineAccess = <const T extends ResourceRules>(rules: T): T => rules;

export type Verdict = 'allowed' | 'unauthenticated' | 'forbidden';

/** The rule applied to a principal, before any target is known. */
export function verdict(p: Principal, rule: Rule): Verdict {
  if (!rule.who.includes(p.kind)) return p.kind === 'anonymous' ? 'unauthenticated' : 'forbidden';
  if (p.kind !== 'staff') return 'allowed';
  const needed = rule.action ? [rule.action] : (rule.anyOf ?? []);
  return needed.length === 0 || needed.some((a) => canAnywhere(p.grants, a)) ? 'allowed' : 'forbidden';
}

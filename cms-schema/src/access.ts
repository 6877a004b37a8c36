/**
 * Access rules as code (分级管理、内容自管、权责一致): which role may do what, on which site. One function
 * answers every check, so the API, the admin UI (which buttons to show) and the test matrix agree.
 *
 * - platform admin: everything, everywhere;
 * - site admin: manage and publish on their site and every site below it (a city admin over its counties);
 * - editor: write, submit, publish what was approved and withdraw, on their own site only, optionally only in
 *   some columns — a unit manages its own content;
 * - reviewer: sign off their review level for their site and the sites below it;
 * - auditor: read the audit log of their site and below (platform-wide when not bound to a site).
 */
import type { Grant } from './account.ts';

export const ACTIONS = {
  'document.write': '创建和修改文档',
  'document.submit': '提交审核',
  'document.review': '审核',
  'document.publish': '发布',
  'document.withdraw': '撤稿',
  'site.manage': '管理网站、栏目和账号',
  'audit.read': '查看审计日志',
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

const EDITOR_ACTIONS: readonly Action[] = ['document.write', 'document.submit', 'document.publish', 'document.withdraw'];
const SITE_ADMIN_ACTIONS: readonly Action[] = [...EDITOR_ACTIONS, 'site.manage'];

function allows(g: Grant, action: Action, t: Target, parentOf: ParentOf): boolean {
  switch (g.role) {
    case 'platform-admin':
      return true;
    case 'site-admin':
      return SITE_ADMIN_ACTIONS.includes(action) && within(t.siteId, g.siteId!, parentOf);
    case 'editor':
      return EDITOR_ACTIONS.includes(action) && t.siteId === g.siteId
        && (g.columnIds.length === 0 || (t.columnId !== undefined && g.columnIds.includes(t.columnId)));
    case 'reviewer':
      return action === 'document.review' && t.level === g.level && within(t.siteId, g.siteId!, parentOf);
    case 'auditor':
      return action === 'audit.read' && (g.siteId === null || within(t.siteId, g.siteId, parentOf));
  }
}

export function can(grants: readonly Grant[], action: Action, target: Target, parentOf: ParentOf): boolean {
  return grants.some((g) => allows(g, action, target, parentOf));
}

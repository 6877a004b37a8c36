/**
 * 先审后发 as a state machine, pure so the API, the admin UI and the tests share it:
 * draft → (submit) → review level 1 → … → level N → approved → published now, or scheduled then published
 * → withdrawn (reason required). A rejection at any level returns the document to draft with a comment.
 * N is configured per column kind (政策文件 and 政策解读 two levels, 要闻 one …) and may be raised per column.
 * Publish times are the server's: a caller can only ask for "now" or a future time, never a past one.
 */
import type { ColumnKind } from './column.ts';
import { MAX_REVIEW_LEVEL } from './account.ts';
import type { Action } from './access.ts';

export const STATES = {
  draft: '草稿',
  review: '审核中',
  approved: '已审核',
  scheduled: '定时发布',
  published: '已发布',
  withdrawn: '已撤稿',
} as const;
export type State = keyof typeof STATES;

/** Review levels by column kind; kinds not listed need one. */
export const REVIEW_LEVELS: Partial<Record<ColumnKind, number>> = { policy: 2, interpretation: 2, disclosure: 2, 'disclosure-report': 2 };
export function reviewDepth(columnKind: ColumnKind, columnOverride?: number | null): number {
  const base = REVIEW_LEVELS[columnKind] ?? 1;
  return Math.min(MAX_REVIEW_LEVEL, Math.max(base, columnOverride ?? 0));
}

export interface WorkflowItem {
  state: State;
  /** While in review: the level waiting to be signed off (1-based). */
  level: number | null;
  /** How many levels this document needs. */
  depth: number;
  publishedAt: string | null;
  scheduledAt: string | null;
}

export type WorkflowAction =
  | { type: 'submit' }
  | { type: 'approve'; comment?: string }
  | { type: 'reject'; comment: string }
  | { type: 'publish' }
  | { type: 'schedule'; at: string }
  | { type: 'release' } // a scheduled document whose time has come
  | { type: 'withdraw'; reason: string }
  | { type: 'reopen' }; // a withdrawn document back to draft for rework

/** The right (access.ts) each workflow step needs: the API checks it, the admin pages show buttons by it. */
export const ACTION_RIGHT: Record<WorkflowAction['type'], Action> = {
  submit: 'document.submit',
  approve: 'document.review',
  reject: 'document.review',
  publish: 'document.publish',
  schedule: 'document.publish',
  release: 'document.publish',
  withdraw: 'document.withdraw',
  reopen: 'document.write',
};

export interface WorkflowContext {
  now: Date;
  /** For an interpretation (解读): whether its policy is live; it may not go live first. */
  policyLive?: boolean | null;
}

export type Outcome = { ok: true; item: WorkflowItem } | { ok: false; field: string; message: string };

const MIN_SCHEDULE_MS = 60_000;
const fail = (field: string, message: string): Outcome => ({ ok: false, field, message });
const wrongState = (item: WorkflowItem, what: string) => fail('state', `${STATES[item.state]}的文档不能${what}`);

export function transition(item: WorkflowItem, action: WorkflowAction, ctx: WorkflowContext): Outcome {
  const goLive = (): Outcome =>
    ctx.policyLive === false
      ? fail('policy', '对应的政策文件尚未发布，解读不能先于政策上线')
      : { ok: true, item: { ...item, state: 'published', level: null, scheduledAt: null, publishedAt: ctx.now.toISOString() } };
  switch (action.type) {
    case 'submit':
      return item.state === 'draft' ? { ok: true, item: { ...item, state: 'review', level: 1 } } : wrongState(item, '提交审核');
    case 'approve':
      if (item.state !== 'review' || item.level === null) return wrongState(item, '审核通过');
      return item.level < item.depth ? { ok: true, item: { ...item, level: item.level + 1 } } : { ok: true, item: { ...item, state: 'approved', level: null } };
    case 'reject':
      if (item.state !== 'review') return wrongState(item, '退回');
      if (!action.comment.trim()) return fail('comment', '退回须填写意见');
      return { ok: true, item: { ...item, state: 'draft', level: null } };
    case 'publish':
      return item.state === 'approved' ? goLive() : wrongState(item, '发布');
    case 'schedule': {
      if (item.state !== 'approved') return wrongState(item, '定时发布');
      const at = Date.parse(action.at);
      if (!/^\d{4}-\d{2}-\d{2}T/.test(action.at) || Number.isNaN(at)) return fail('at', '发布时间格式不正确');
      if (at < ctx.now.getTime() + MIN_SCHEDULE_MS) return fail('at', '定时发布时间须晚于当前时间至少 1 分钟，不能倒填');
      if (ctx.policyLive === false) return fail('policy', '对应的政策文件尚未发布，解读不能先于政策上线');
      return { ok: true, item: { ...item, state: 'scheduled', scheduledAt: new Date(at).toISOString() } };
    }
    case 'release':
      if (item.state !== 'scheduled' || item.scheduledAt === null) return wrongState(item, '按时发布');
      if (Date.parse(item.scheduledAt) > ctx.now.getTime()) return fail('at', '尚未到定时发布时间');
      return goLive();
    case 'withdraw':
      if (item.state !== 'published' && item.state !== 'scheduled') return wrongState(item, '撤稿');
      if (!action.reason.trim()) return fail('reason', '撤稿须填写原因');
      return { ok: true, item: { ...item, state: 'withdrawn', scheduledAt: null } };
    case 'reopen':
      return item.state === 'withdrawn' ? { ok: true, item: { ...item, state: 'draft', level: null } } : wrongState(item, '重新编辑');
  }
}

/** Documents may be edited only as drafts: what reviewers approved is what goes live. */
export const editable = (item: Pick<WorkflowItem, 'state'>) => item.state === 'draft';

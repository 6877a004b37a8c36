import { describe, expect, it } from 'vitest';
import { reviewDepth, transition, editable, type WorkflowAction, type WorkflowItem } from '../src/index.ts';

const now = new Date('2026-11-28T08:00:00Z');
const draft = (depth: number): WorkflowItem => ({ state: 'draft', level: null, depth, publishedAt: null, scheduledAt: null });
function run(item: WorkflowItem, ...actions: WorkflowAction[]): WorkflowItem {
  for (const a of actions) {
    const r = transition(item, a, { now });
    if (!r.ok) throw new Error(`${a.type}: ${r.message}`);
    item = r.item;
  }
  return item;
}
const refuse = (item: WorkflowItem, a: WorkflowAction, field: string, ctx = {}) => {
  const r = transition(item, a, { now, ...ctx });
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.field).toBe(field);
};

describe('先审后发 workflow', () => {
  it('needs every configured level before a document can go live, and the server sets the time', () => {
    const inReview = run(draft(2), { type: 'submit' });
    expect(inReview).toMatchObject({ state: 'review', level: 1 });
    refuse(inReview, { type: 'publish' }, 'state');
    const second = run(inReview, { type: 'approve' });
    expect(second).toMatchObject({ state: 'review', level: 2 });
    refuse(second, { type: 'publish' }, 'state');
    const approved = run(second, { type: 'approve' });
    expect(approved.state).toBe('approved');
    expect(run(approved, { type: 'publish' })).toMatchObject({ state: 'published', publishedAt: now.toISOString() });
  });

  it('returns a rejected document to draft only with a comment', () => {
    const r = run(draft(1), { type: 'submit' });
    refuse(r, { type: 'reject', comment: '  ' }, 'comment');
    expect(run(r, { type: 'reject', comment: '标题有误' })).toMatchObject({ state: 'draft', level: null });
  });

  it('schedules only into the future, and releases only when the time has come', () => {
    const approved = run(draft(1), { type: 'submit' }, { type: 'approve' });
    refuse(approved, { type: 'schedule', at: '2026-11-27T08:00:00Z' }, 'at'); // back-dated
    refuse(approved, { type: 'schedule', at: '2026-11-28T08:00:30Z' }, 'at'); // too soon
    refuse(approved, { type: 'schedule', at: 'tomorrow' }, 'at');
    const scheduled = run(approved, { type: 'schedule', at: '2026-11-29T01:00:00Z' });
    expect(scheduled).toMatchObject({ state: 'scheduled', scheduledAt: '2026-11-29T01:00:00.000Z' });
    refuse(scheduled, { type: 'release' }, 'at');
    const later = transition(scheduled, { type: 'release' }, { now: new Date('2026-11-29T01:00:05Z') });
    expect(later.ok && later.item).toMatchObject({ state: 'published', publishedAt: '2026-11-29T01:00:05.000Z' });
  });

  it('withdraws only with a reason, and a withdrawn document can be reworked as a draft', () => {
    const live = run(draft(1), { type: 'submit' }, { type: 'approve' }, { type: 'publish' });
    refuse(live, { type: 'withdraw', reason: '' }, 'reason');
    const gone = run(live, { type: 'withdraw', reason: '政策已废止' });
    expect(gone.state).toBe('withdrawn');
    expect(run(gone, { type: 'reopen' }).state).toBe('draft');
  });

  it('keeps an interpretation from going live before its policy', () => {
    const approved = run(draft(2), { type: 'submit' }, { type: 'approve' }, { type: 'approve' });
    refuse(approved, { type: 'publish' }, 'policy', { policyLive: false });
    refuse(approved, { type: 'schedule', at: '2026-12-01T00:00:00Z' }, 'policy', { policyLive: false });
    expect(transition(approved, { type: 'publish' }, { now, policyLive: true }).ok).toBe(true);
  });

  it('refuses steps out of order', () => {
    refuse(draft(1), { type: 'approve' }, 'state');
    refuse(draft(1), { type: 'withdraw', reason: 'x' }, 'state');
    refuse(run(draft(1), { type: 'submit' }), { type: 'submit' }, 'state');
    expect(editable(draft(1))).toBe(true);
    expect(editable(run(draft(1), { type: 'submit' }))).toBe(false);
  });

  it('takes its depth from the column kind, raised per column but never past the maximum', () => {
    expect(reviewDepth('policy')).toBe(2);
    expect(reviewDepth('news')).toBe(1);
    expect(reviewDepth('news', 3)).toBe(3);
    expect(reviewDepth('policy', 1)).toBe(2);
    expect(reviewDepth('news', 99)).toBe(5);
  });
});

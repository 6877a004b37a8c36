/**
 * Which buttons an editor page shows: a step appears when the state machine (cms-schema workflow.ts) allows
 * it from the document's state and the account's grants (access.ts) allow it on the document. The API checks
 * both again on every request; this only spares people buttons that would be refused.
 */
import { ACTION_RIGHT, can, editable, transition, type CmsDocument, type Grant, type ParentOf, type WorkflowAction } from '@ywtc/cms-schema';

export type Step = 'submit' | 'approve' | 'reject' | 'publish' | 'schedule' | 'withdraw' | 'reopen';

const PROBE: Record<Step, (now: Date) => WorkflowAction> = {
  submit: () => ({ type: 'submit' }),
  approve: () => ({ type: 'approve' }),
  reject: () => ({ type: 'reject', comment: '意见' }),
  publish: () => ({ type: 'publish' }),
  schedule: (now) => ({ type: 'schedule', at: new Date(now.getTime() + 3600_000).toISOString() }),
  withdraw: () => ({ type: 'withdraw', reason: '原因' }),
  reopen: () => ({ type: 'reopen' }),
};

export interface Permissions {
  write: boolean;
  steps: Set<Step>;
}

export function permissionsFor(item: CmsDocument, grants: readonly Grant[], parentOf: ParentOf, now = new Date()): Permissions {
  const target = { siteId: item.siteId, columnId: item.columnId };
  const steps = new Set<Step>();
  for (const step of Object.keys(PROBE) as Step[]) {
    const right = ACTION_RIGHT[step];
    const allowed = can(grants, right, right === 'document.review' && item.level !== null ? { ...target, level: item.level } : target, parentOf);
    if (allowed && transition(item, PROBE[step](now), { now }).ok) steps.add(step);
  }
  return { write: editable(item) && can(grants, 'document.write', target, parentOf), steps };
}

/**
 * The whole matrix: role × action × site (own / below / above / unrelated). Expected answers are written out,
 * not derived from the rules, so a wrong allow or a wrong deny fails.
 */
import { describe, expect, it } from 'vitest';
import { ACTIONS, GrantSchema, can, canAnywhere, type Action, type Grant } from '../src/index.ts';

// 广西 (gxzf) → 南宁市 (nanning) → 兴宁区 (nnxn); 桂林市 (guilin) beside Nanning.
const parents: Record<string, string | null> = { gxzf: null, nanning: 'gxzf', nnxn: 'nanning', guilin: 'gxzf' };
const parentOf = (s: string) => parents[s];
const grant = (g: Partial<Grant> & Pick<Grant, 'role'>) => GrantSchema.parse({ id: 'g', accountId: 'a', siteId: null, ...g });

const SITES = { own: 'nanning', below: 'nnxn', above: 'gxzf', unrelated: 'guilin' } as const;
type Where = keyof typeof SITES;
const ALL = Object.keys(ACTIONS) as Action[];
const W = ['document.write', 'document.submit', 'document.publish', 'document.withdraw'] as const;

/** For each role on Nanning: the actions allowed at each place. */
const expected: Record<string, { grant: Grant; allowed: Record<Where, readonly Action[]> }> = {
  'platform admin': { grant: grant({ role: 'platform-admin' }), allowed: { own: ALL, below: ALL, above: ALL, unrelated: ALL } },
  // The search log belongs to no site: a site admin reads it from anywhere.
  'site admin': {
    grant: grant({ role: 'site-admin', siteId: 'nanning' }),
    allowed: {
      // A domain change is approved by the unit above: below, never on one's own site.
      own: [
        ...W,
        'qa.write',
        'hot.manage',
        'consult.answer',
        'site.manage',
        'qa.review',
        'search.read',
        'open.approve',
        'domain.request',
        'inspect.read',
        'inspect.rectify',
      ],
      below: [
        ...W,
        'qa.write',
        'hot.manage',
        'consult.answer',
        'site.manage',
        'qa.review',
        'search.read',
        'open.approve',
        'domain.request',
        'domain.approve',
        'inspect.read',
        'inspect.rectify',
      ],
      above: ['search.read'],
      unrelated: ['search.read'],
    },
  },
  editor: {
    grant: grant({ role: 'editor', siteId: 'nanning' }),
    allowed: { own: [...W, 'qa.write', 'hot.manage', 'consult.answer'], below: [], above: [], unrelated: [] },
  },
  'reviewer L1': {
    grant: grant({ role: 'reviewer', siteId: 'nanning', level: 1 }),
    allowed: { own: ['document.review', 'qa.review'], below: ['document.review', 'qa.review'], above: [], unrelated: [] },
  },
  'reviewer L2': { grant: grant({ role: 'reviewer', siteId: 'nanning', level: 2 }), allowed: { own: [], below: [], above: [], unrelated: [] } },
  auditor: { grant: grant({ role: 'auditor', siteId: 'nanning' }), allowed: { own: ['audit.read'], below: ['audit.read'], above: [], unrelated: [] } },
  'platform auditor': {
    grant: grant({ role: 'auditor' }),
    allowed: { own: ['audit.read'], below: ['audit.read'], above: ['audit.read'], unrelated: ['audit.read'] },
  },
};

describe('access rules', () => {
  for (const [name, { grant: g, allowed }] of Object.entries(expected)) {
    for (const [where, siteId] of Object.entries(SITES) as [Where, string][]) {
      for (const action of ALL) {
        const want = allowed[where].includes(action);
        it(`${name} ${want ? 'may' : 'may not'} ${action} on the ${where} site`, () => {
          expect(can([g], action, { siteId, level: 1 }, parentOf)).toBe(want);
        });
      }
    }
  }

  it('asks whether an account may do something anywhere (the access middleware, before a route runs)', () => {
    const editor = grant({ role: 'editor', siteId: 'nnxn', columnIds: ['nnxn/tzgg'] });
    expect(canAnywhere([editor], 'document.write')).toBe(true);
    expect(canAnywhere([editor], 'qa.write')).toBe(true);
    expect(canAnywhere([editor], 'qa.review')).toBe(false);
    expect(canAnywhere([editor], 'search.manage')).toBe(false);
    expect(canAnywhere([grant({ role: 'reviewer', siteId: 'nanning', level: 2 })], 'document.review')).toBe(true);
    expect(canAnywhere([grant({ role: 'reviewer', siteId: 'nanning', level: 2 })], 'qa.review')).toBe(false);
    expect(canAnywhere([grant({ role: 'auditor' })], 'audit.read')).toBe(true);
    expect(canAnywhere([grant({ role: 'auditor' })], 'search.read')).toBe(false);
    expect(canAnywhere([grant({ role: 'platform-admin' })], 'search.manage')).toBe(true);
    expect(canAnywhere([], 'document.write')).toBe(false);
  });

  it('limits an editor to the columns of the grant', () => {
    const g = grant({ role: 'editor', siteId: 'nnxn', columnIds: ['nnxn/tzgg'] });
    expect(can([g], 'document.write', { siteId: 'nnxn', columnId: 'nnxn/tzgg' }, parentOf)).toBe(true);
    expect(can([g], 'document.write', { siteId: 'nnxn', columnId: 'nnxn/zcwj' }, parentOf)).toBe(false);
    expect(can([g], 'document.write', { siteId: 'nnxn' }, parentOf)).toBe(false);
  });

  it('lets a reviewer sign off only their own level', () => {
    const g = grant({ role: 'reviewer', siteId: 'nanning', level: 2 });
    expect(can([g], 'document.review', { siteId: 'nnxn', level: 2 }, parentOf)).toBe(true);
    expect(can([g], 'document.review', { siteId: 'nnxn', level: 1 }, parentOf)).toBe(false);
    expect(can([g], 'document.review', { siteId: 'nnxn' }, parentOf)).toBe(false);
  });

  it('combines grants, and stops at a cycle in a broken hierarchy', () => {
    const grants = [grant({ role: 'editor', siteId: 'nnxn' }), grant({ role: 'reviewer', siteId: 'gxzf', level: 1 })];
    expect(can(grants, 'document.write', { siteId: 'nnxn' }, parentOf)).toBe(true);
    expect(can(grants, 'document.review', { siteId: 'guilin', level: 1 }, parentOf)).toBe(true);
    const loop = (s: string) => (s === 'x' ? 'y' : 'x');
    expect(can([grant({ role: 'site-admin', siteId: 'z' })], 'site.manage', { siteId: 'x' }, loop)).toBe(false);
  });

  it('rejects grants that make no sense, naming the field', () => {
    expect(GrantSchema.safeParse({ id: 'g', accountId: 'a', role: 'editor', siteId: null }).error?.issues[0]?.path).toEqual(['siteId']);
    expect(GrantSchema.safeParse({ id: 'g', accountId: 'a', role: 'reviewer', siteId: 'nanning' }).error?.issues[0]?.path).toEqual(['level']);
    expect(GrantSchema.safeParse({ id: 'g', accountId: 'a', role: 'platform-admin', siteId: 'nanning' }).error?.issues[0]?.path).toEqual(['siteId']);
    expect(GrantSchema.safeParse({ id: 'g', accountId: 'a', role: 'auditor', siteId: 'nanning', columnIds: ['c'] }).error?.issues[0]?.path).toEqual([
      'columnIds',
    ]);
  });
});

/**
 * Every declared rule of RESOURCES against every kind of principal, before any target is known (what the
 * Worker's access middleware decides). The expected verdicts are written out by hand — A allowed,
 * U unauthenticated (sign in first), F forbidden — so a rule that lets too much or too little through fails,
 * and so does a rule added without saying who it serves.
 */
import { describe, expect, it } from 'vitest';
import { ANONYMOUS, GrantSchema, RESOURCES, verdict, type Grant, type Principal, type Rule } from '../src/index.ts';

const grant = (g: Partial<Grant> & Pick<Grant, 'role'>) => GrantSchema.parse({ id: 'g', accountId: 'a', siteId: null, ...g });
const staff = (g: Grant): Principal => ({ kind: 'staff', accountId: 'a', username: 'u', displayName: 'U', grants: [g], csrfToken: 'c', sessionHash: 'h' });

const PRINCIPALS: [string, Principal][] = [
  ['anonymous', ANONYMOUS],
  ['machine', { kind: 'machine', name: 'publisher' }],
  ['platform admin', staff(grant({ role: 'platform-admin' }))],
  ['site admin', staff(grant({ role: 'site-admin', siteId: 'nanning' }))],
  ['editor', staff(grant({ role: 'editor', siteId: 'nnxn' }))],
  ['reviewer L1', staff(grant({ role: 'reviewer', siteId: 'nnxn', level: 1 }))],
  ['reviewer L2', staff(grant({ role: 'reviewer', siteId: 'nanning', level: 2 }))],
  ['auditor', staff(grant({ role: 'auditor', siteId: 'nanning' }))],
  ['external unit', { kind: 'unit', accountId: 'o', unitId: 'u', unitName: '某研究院', username: 'lab', csrfToken: 'c', sessionHash: 'h' }],
  ['API key', { kind: 'apiKey', keyId: 'k', unitId: 'u', grants: [] }],
  ['import source', { kind: 'importSource', sourceId: 's', siteIds: ['nnxn'], hidden: false }],
];

//                        anon  mach  padm  sadm  edit  rev1  rev2  audit unit  key   source
const EXPECTED: Record<string, string> = {
  'account.login': '      A     F     A     A     A     A     A     A     F     F     F',
  'account.self': '       U     F     A     A     A     A     A     A     F     F     F',
  'documents.read': '     U     F     A     A     A     A     A     A     F     F     F',
  'documents.write': '    U     F     A     A     A     F     F     F     F     F     F',
  'documents.move': '     U     F     A     A     A     A     A     F     F     F     F',
  'documents.share': '    U     F     A     A     A     F     F     F     F     F     F',
  'checkTerms.read': '    U     F     A     A     A     A     A     A     F     F     F',
  'checkTerms.manage': '  U     F     A     F     F     F     F     F     F     F     F',
  'audit.read': '         U     F     A     F     F     F     F     A     F     F     F',
  'sites.view': '         A     A     A     A     A     A     A     A     A     A     F',
  'sites.manage': '       U     F     A     A     F     F     F     F     F     F     F',
  'qa.read': '            U     F     A     A     A     A     F     F     F     F     F',
  'qa.write': '           U     F     A     A     A     F     F     F     F     F     F',
  'qa.review': '          U     F     A     A     F     A     F     F     F     F     F',
  'search.query': '       A     A     A     A     A     A     A     A     A     A     F',
  'search.analytics': '   U     F     A     A     F     F     F     F     F     F     F',
  'search.manage': '      U     F     A     F     F     F     F     F     F     F     F',
  'publication.read': '   U     A     F     F     F     F     F     F     F     F     F',
  'publication.write': '  U     A     F     F     F     F     F     F     F     F     F',
  'openCatalogue.browse': '  A     A     A     A     A     A     A     A     A     A     F',
  'openData.call': '       U     F     F     F     F     F     F     F     F     A     F',
  'openUnit.register': '   A     F     A     A     A     A     A     A     A     F     F',
  'openUnit.login': '      A     F     A     A     A     A     A     A     A     F     F',
  'openUnit.self': '       U     F     F     F     F     F     F     F     A     F     F',
  'openReview.review': '   U     F     A     A     F     F     F     F     F     F     F',
  'openReview.suspend': '  U     F     A     F     F     F     F     F     F     F     F',
  'hot.read': '           U     F     A     A     A     F     F     F     F     F     F',
  'hot.manage': '         U     F     A     A     A     F     F     F     F     F     F',
  'consult.ask': '        A     A     A     A     A     A     A     A     A     A     F',
  'consult.read': '       U     F     A     A     A     F     F     F     F     F     F',
  'consult.answer': '     U     F     A     A     A     F     F     F     F     F     F',
  'domains.read': '       U     F     A     A     F     F     F     F     F     F     F',
  'domains.request': '    U     F     A     A     F     F     F     F     F     F     F',
  'domains.decide': '     U     F     A     A     F     F     F     F     F     F     F',
  'inspection.read': '    U     F     A     A     F     F     F     F     F     F     F',
  'inspection.rectify': ' U     F     A     A     F     F     F     F     F     F     F',
  'inspection.run': '     U     A     A     F     F     F     F     F     F     F     F',
  'import.push': '        U     F     F     F     F     F     F     F     F     F     A',
  'import.read': '        U     F     A     A     A     F     F     F     F     F     F',
  'import.classify': '    U     F     A     A     A     F     F     F     F     F     F',
  'import.manage': '      U     A     A     F     F     F     F     F     F     F     F',
};
const WORD = { A: 'allowed', U: 'unauthenticated', F: 'forbidden' } as const;

const declared = Object.entries(RESOURCES).flatMap(([resource, rules]) =>
  Object.entries(rules as Record<string, Rule>).map(([op, rule]) => [`${resource}.${op}`, rule] as const),
);

describe('access rules per resource × principal', () => {
  it('has an expectation for every declared rule, and a rule for every expectation', () => {
    expect(declared.map(([name]) => name).sort()).toEqual(Object.keys(EXPECTED).sort());
  });
  for (const [name, rule] of declared) {
    it(`${name}: ${EXPECTED[name]?.trim().replace(/\s+/g, ' ') ?? '(no expectation)'}`, () => {
      const letters = (EXPECTED[name] ?? '').trim().split(/\s+/) as (keyof typeof WORD)[];
      expect(PRINCIPALS.map(([who, p]) => `${who}: ${verdict(p, rule)}`)).toEqual(PRINCIPALS.map(([who], i) => `${who}: ${WORD[letters[i]!]}`));
    });
  }
});

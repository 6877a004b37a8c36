/**
 * 域名管理's rules, each broken once and kept once: names (.gov.cn, portals on www, departments and party sites under
 * their portal), one site per host (hosts left behind by a domain change included), 网站标识码 form, division and
 * uniqueness, ICP and 公安 numbers, DNS answers and certificate expiry with their 30 / 7 day alerts; the seeded
 * registry passes all of them.
 */
import { describe, expect, it } from 'vitest';
import {
  CERT_ALERT_DAYS,
  DomainDecisionSchema,
  DomainRequestInputSchema,
  domainProblems,
  proposedDomainProblems,
  type DomainStatus,
  type RegistrySite,
} from '../src/index.ts';
import { buildRegistry, loadRegistrySource } from '../../scripts/seed/registry.ts';

const gxzf: RegistrySite = {
  id: 'gxzf',
  kind: 'province-portal',
  parentId: null,
  divisionCode: '450000',
  domains: ['www.gxzf.gov.cn'],
  idCode: '4500000001',
  icp: '桂ICP备12000001号',
  psb: '桂公网安备 45000002000001号',
};
const nanning: RegistrySite = {
  ...gxzf,
  id: 'nanning',
  kind: 'city-portal',
  parentId: 'gxzf',
  divisionCode: '450100',
  domains: ['www.nanning.gov.cn', 'nanning.gov.cn'],
  idCode: '4501000001',
  icp: '桂ICP备12001001号-2',
  psb: '桂公网安备45010002000001号',
};
const fgw: RegistrySite = { ...nanning, id: 'nn-fgw', kind: 'department', parentId: 'nanning', domains: ['fgw.nanning.gov.cn'], idCode: '4501000002' };
const rd: RegistrySite = { ...nanning, id: 'nn-rd', kind: 'people-congress', parentId: 'nanning', domains: ['rd.nanning.gov.cn'], idCode: '4501000003' };
const CLEAN = [gxzf, nanning, fgw, rd];

const rulesOf = (sites: RegistrySite[], statuses: DomainStatus[] = [], now = new Date('2026-06-01T00:00:00Z')) =>
  domainProblems(sites, statuses, { now }).map((p) => `${p.siteId} ${p.host} ${p.rule} ${p.severity}`);
const replace = (s: RegistrySite, patch: Partial<RegistrySite>) => CLEAN.map((x) => (x.id === s.id ? { ...x, ...patch } : x));

describe('registry rules', () => {
  it('finds nothing wrong with a registry that keeps every rule, nor with the seeded registry of 210 sites', () => {
    expect(rulesOf(CLEAN)).toEqual([]);
    const seeded = buildRegistry(loadRegistrySource());
    expect(seeded.length).toBeGreaterThan(200);
    expect(domainProblems(seeded)).toEqual([]);
  });

  it('.gov.cn: every host, aliases included', () => {
    expect(rulesOf(replace(nanning, { domains: ['www.nanning.gov.cn', 'nanning.com.cn'] }))).toEqual(['nanning nanning.com.cn gov-cn error']);
    expect(rulesOf(replace(fgw, { domains: ['fgw_x.nanning.gov.cn'] }))).toEqual(['nn-fgw fgw_x.nanning.gov.cn gov-cn error']);
  });

  it('portals: www.<名称>.gov.cn', () => {
    expect(rulesOf(replace(nanning, { domains: ['nanning.gov.cn'] }))).toContain('nanning nanning.gov.cn portal-www error');
    expect(rulesOf(replace(nanning, { domains: ['www.nanning.gov.cn'] }))).toEqual([]);
  });

  it("departments: under their portal's domain", () => {
    expect(rulesOf(replace(fgw, { domains: ['fgw.gxzf.gov.cn'] }))).toEqual(['nn-fgw fgw.gxzf.gov.cn under-portal error']);
    expect(rulesOf(replace(fgw, { domains: ['www.nnfgw.gov.cn'] }))).toEqual(['nn-fgw www.nnfgw.gov.cn under-portal error']);
    // Under a department (its parent is not a portal), the nearest portal above still names the domain.
    const sub = { ...fgw, id: 'nn-fgw-x', parentId: 'nn-fgw', domains: ['x.nanning.gov.cn'], idCode: '4501000009' };
    expect(rulesOf([...CLEAN, sub])).toEqual([]);
  });

  it('party, 纪委, 人大 and 政协 sites: under their portal or on a www.<名称>.gov.cn name of their own', () => {
    expect(rulesOf(replace(rd, { domains: ['www.nnrd.gov.cn'] }))).toEqual([]);
    expect(rulesOf(replace(rd, { domains: ['rd.gxzf.gov.cn'] }))).toEqual(['nn-rd rd.gxzf.gov.cn party-domain error']);
    expect(rulesOf(replace(rd, { domains: ['nnrd.gov.cn'] }))).toEqual(['nn-rd nnrd.gov.cn party-domain error']);
  });

  it('one site per host, counting the hosts sites left behind', () => {
    expect(rulesOf(replace(fgw, { domains: ['fgw.nanning.gov.cn', 'nanning.gov.cn'] }))).toEqual(['nn-fgw nanning.gov.cn host-unique error']);
    const left = domainProblems(CLEAN, [], { redirects: [{ host: 'fgw.nanning.gov.cn', siteId: 'nn-rd' }] });
    expect(left.map((p) => p.rule)).toEqual(['host-unique']);
    expect(domainProblems(CLEAN, [], { redirects: [{ host: 'fgw.nanning.gov.cn', siteId: 'nn-fgw' }] })).toEqual([]);
  });

  it('网站标识码: 10 digits, the division first, never twice', () => {
    expect(rulesOf(replace(fgw, { idCode: '450100002' }))).toEqual(['nn-fgw fgw.nanning.gov.cn id-code-format error']);
    expect(rulesOf(replace(fgw, { idCode: '4502000002' }))).toEqual(['nn-fgw fgw.nanning.gov.cn id-code-division error']);
    expect(rulesOf(replace(fgw, { idCode: '4501000001' }))).toEqual(['nn-fgw fgw.nanning.gov.cn id-code-unique error']);
  });

  it("ICP and 公安 numbers: their form, the province's abbreviation and division", () => {
    expect(rulesOf(replace(fgw, { icp: '桂ICP备1200100号' }))).toEqual(['nn-fgw fgw.nanning.gov.cn icp-format error']);
    expect(rulesOf(replace(fgw, { icp: '粤ICP备12001001号' }))).toEqual(['nn-fgw fgw.nanning.gov.cn icp-format error']);
    expect(rulesOf(replace(fgw, { psb: '桂公网安备 4501000200001号' }))).toEqual(['nn-fgw fgw.nanning.gov.cn psb-format error']);
    expect(rulesOf(replace(fgw, { psb: '桂公网安备 44010002000001号' }))).toEqual(['nn-fgw fgw.nanning.gov.cn psb-format error']);
    expect(rulesOf(replace(fgw, { psb: '京公网安备 45010002000001号' }))).toEqual(['nn-fgw fgw.nanning.gov.cn psb-format error']);
  });
});

describe('DNS and certificate alerts', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const day = (n: number) => new Date(now.getTime() + n * 86_400_000).toISOString();
  const st = (patch: Partial<DomainStatus>): DomainStatus => ({
    host: 'fgw.nanning.gov.cn',
    checkedAt: now.toISOString(),
    dnsStatus: 'NOERROR',
    dnsAnswers: [{ type: 'A', data: '203.0.113.7', ttl: 300 }],
    dnsError: null,
    certNotAfter: day(200),
    certIssuer: 'CN=Test CA',
    certSource: 'ct',
    certError: null,
    ...patch,
  });
  const alerts = (patch: Partial<DomainStatus>) => rulesOf(CLEAN, [st(patch)], now);

  it('a host that resolves with a certificate months away raises nothing', () => expect(alerts({})).toEqual([]));

  it('DNS: NXDOMAIN and SERVFAIL are errors, no address is an error, a probe that failed is a warning', () => {
    expect(alerts({ dnsStatus: 'NXDOMAIN', dnsAnswers: [] })).toEqual(['nn-fgw fgw.nanning.gov.cn dns-failing error']);
    expect(alerts({ dnsStatus: 'SERVFAIL', dnsAnswers: [] })).toEqual(['nn-fgw fgw.nanning.gov.cn dns-failing error']);
    expect(alerts({ dnsAnswers: [{ type: 'CNAME', data: 'cdn.example.', ttl: 60 }] })).toEqual(['nn-fgw fgw.nanning.gov.cn dns-no-address error']);
    expect(alerts({ dnsStatus: 'ERROR', dnsAnswers: [], dnsError: '超时' })).toEqual(['nn-fgw fgw.nanning.gov.cn dns-unknown warning']);
  });

  it(`certificates: warned ${CERT_ALERT_DAYS.warning} days ahead, urgent ${CERT_ALERT_DAYS.urgent} days ahead, an error once expired`, () => {
    expect(alerts({ certNotAfter: day(31) })).toEqual([]);
    expect(alerts({ certNotAfter: day(29) })).toEqual(['nn-fgw fgw.nanning.gov.cn cert-expiring warning']);
    expect(alerts({ certNotAfter: day(6) })).toEqual(['nn-fgw fgw.nanning.gov.cn cert-expiring-urgent urgent']);
    expect(alerts({ certNotAfter: day(-1) })).toEqual(['nn-fgw fgw.nanning.gov.cn cert-expired error']);
    expect(domainProblems(CLEAN, [st({ certNotAfter: day(-1) })], { now })[0]!.message).toContain('已于 2026-05-31 过期');
    expect(alerts({ certNotAfter: null })).toEqual(['nn-fgw fgw.nanning.gov.cn cert-missing warning']);
    expect(alerts({ certNotAfter: null, certSource: null, certError: '证书透明度查询超时' })).toEqual(['nn-fgw fgw.nanning.gov.cn cert-unknown warning']);
  });

  it('a status of a host no site has raises nothing', () =>
    expect(rulesOf(CLEAN, [st({ host: 'old.nanning.gov.cn', dnsStatus: 'NXDOMAIN' })], now)).toEqual([]));
});

describe('a requested domain', () => {
  const taken = { redirects: [{ host: 'old.nanning.gov.cn', siteId: 'nn-rd' }], pending: [{ siteId: 'nn-rd', newDomain: 'www.nnrd.gov.cn' }] };
  it('must keep the naming rules for the site and be free', () => {
    expect(proposedDomainProblems(CLEAN, 'nn-fgw', 'fzgg.nanning.gov.cn', taken)).toEqual([]);
    expect(proposedDomainProblems(CLEAN, 'nn-fgw', 'www.nnfgw.gov.cn', taken)[0]).toContain('须为 <单位>.nanning.gov.cn');
    expect(proposedDomainProblems(CLEAN, 'nanning', 'nanning2.gov.cn', taken)[0]).toContain('www.<名称>.gov.cn');
    expect(proposedDomainProblems(CLEAN, 'nn-fgw', 'rd.nanning.gov.cn', taken)[0]).toContain('已属于网站 nn-rd');
    expect(proposedDomainProblems(CLEAN, 'nn-fgw', 'old.nanning.gov.cn', taken)[0]).toContain('已属于网站 nn-rd');
    expect(proposedDomainProblems(CLEAN, 'nanning', 'www.nnrd.gov.cn', taken).at(-1)).toContain('nn-rd');
    expect(proposedDomainProblems(CLEAN, 'nn-fgw', 'fgw.nanning.gov.cn', taken)).toEqual(['新域名与当前主域名相同']);
    // A site may take back a host it left.
    expect(proposedDomainProblems(CLEAN, 'nn-rd', 'old.nanning.gov.cn', taken)).toEqual([]);
  });

  it('is read from the form with each refusal naming its field', () => {
    expect(DomainRequestInputSchema.parse({ siteId: 'nn-fgw', newDomain: ' FZGG.Nanning.gov.cn ', reason: '机构改革更名' }).newDomain).toBe(
      'fzgg.nanning.gov.cn',
    );
    const bad = DomainRequestInputSchema.safeParse({ siteId: 'nn-fgw', newDomain: 'fzgg.nanning.com', reason: '短' });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.path.join('.')).sort()).toEqual(['newDomain', 'reason']);
    expect(DomainDecisionSchema.safeParse({ decision: 'reject', comment: '' }).success).toBe(false);
    expect(DomainDecisionSchema.safeParse({ decision: 'approve' }).success).toBe(true);
    expect(DomainDecisionSchema.safeParse({ decision: 'maybe' }).success).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { SiteSchema, childDomainRule, portalDomainRule, registryProblems, type Site } from '../src/index.ts';

const valid = {
  id: 'nanning',
  name: '南宁市人民政府门户网站',
  kind: 'city-portal',
  parentId: 'gxzf',
  divisionCode: '450100',
  domains: ['www.nanning.gov.cn'],
  domainListed: true,
  idCode: '4501000001',
  icp: '桂ICP备12001001号',
  psb: '桂公网安备 45010002000001号',
  sponsor: '南宁市人民政府办公室',
  contact: { phone: '0771-12345', address: '广西壮族自治区南宁市' },
  themeId: 'portal-red',
  sortOrder: 1,
};
const fields = (r: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => (r.error?.issues ?? []).map((i) => i.path.join('.'));

describe('SiteSchema', () => {
  it('accepts a well-formed city portal', () => {
    expect(SiteSchema.safeParse(valid).success).toBe(true);
  });

  it.each([
    ['idCode', { idCode: '450100001' }],
    ['idCode', { idCode: '4502000001' }], // another division's code
    ['icp', { icp: '桂ICP12001001号' }],
    ['psb', { psb: '桂公网安备 4501000200000号' }],
    ['domains.0', { domains: ['nanning.gov.cn'] }], // a portal must be www.<x>.gov.cn
    ['domains.0', { domains: ['www.nanning.com'] }],
    ['parentId', { parentId: null }], // only the province portal has no parent
    ['kind', { kind: 'blog' }],
    ['contact.phone', { contact: { phone: 'call us', address: '广西壮族自治区南宁市' } }],
  ])('rejects a bad %s and names the field', (field, patch) => {
    const r = SiteSchema.safeParse({ ...valid, ...patch });
    expect(r.success).toBe(false);
    expect(fields(r)).toContain(field);
  });

  it('lower-cases domains', () => {
    expect(SiteSchema.parse({ ...valid, domains: ['WWW.Nanning.GOV.cn'] }).domains).toEqual(['www.nanning.gov.cn']);
  });
});

describe('domain rules', () => {
  it('portals are www.<x>.gov.cn', () => {
    expect(portalDomainRule('www.gxzf.gov.cn')).toBe(true);
    expect(portalDomainRule('fgw.gxzf.gov.cn')).toBe(false);
    expect(portalDomainRule('www.a.b.gov.cn')).toBe(false);
  });
  it('units live under their portal: <dept>.<portal>.gov.cn', () => {
    expect(childDomainRule('fgw.gxzf.gov.cn', 'www.gxzf.gov.cn')).toBe(true);
    expect(childDomainRule('fgw.nanning.gov.cn', 'www.gxzf.gov.cn')).toBe(false);
    expect(childDomainRule('www.gxzf.gov.cn', 'www.gxzf.gov.cn')).toBe(false);
    expect(childDomainRule('gxzf.gov.cn', 'www.gxzf.gov.cn')).toBe(false);
    expect(childDomainRule('xgxzf.gov.cn', 'www.gxzf.gov.cn')).toBe(false);
  });
});

describe('registryProblems', () => {
  const region = SiteSchema.parse({
    ...valid,
    id: 'gxzf',
    kind: 'province-portal',
    parentId: null,
    divisionCode: '450000',
    domains: ['www.gxzf.gov.cn'],
    idCode: '4500000001',
    psb: '桂公网安备 45000002000001号',
  });
  const city = SiteSchema.parse(valid);
  const dept = SiteSchema.parse({
    ...valid,
    id: 'fgw-gxzf',
    kind: 'department',
    parentId: 'gxzf',
    divisionCode: '450000',
    domains: ['fgw.gxzf.gov.cn'],
    idCode: '4500000002',
    psb: '桂公网安备 45000002000002号',
  });

  it('accepts a consistent hierarchy', () => {
    expect(registryProblems([region, city, dept])).toEqual([]);
  });
  it('finds missing parents, duplicate domains and codes, and units outside their portal domain', () => {
    const orphan: Site = { ...city, id: 'orphan', parentId: 'nowhere', domains: ['www.orphan.gov.cn'], idCode: '4501000009' };
    const dupDomain: Site = { ...city, id: 'copy', idCode: '4501000002' };
    const dupCode: Site = { ...dept, id: 'jyt-gxzf', domains: ['jyt.gxzf.gov.cn'] };
    const stray: Site = { ...dept, id: 'stray', domains: ['stray.nanning.gov.cn'], idCode: '4500000003' };
    const problems = registryProblems([region, city, dept, orphan, dupDomain, dupCode, stray]).join('\n');
    expect(problems).toContain('站点 orphan: 字段 parentId');
    expect(problems).toContain('站点 copy: 字段 domains');
    expect(problems).toContain('站点 jyt-gxzf: 字段 idCode');
    expect(problems).toContain('站点 stray: 字段 domains.0');
  });
  it('finds a cycle', () => {
    const a: Site = { ...city, id: 'a', parentId: 'b', domains: ['www.a.gov.cn'], idCode: '4501000005' };
    const b: Site = { ...city, id: 'b', parentId: 'a', domains: ['www.b.gov.cn'], idCode: '4501000006' };
    expect(registryProblems([region, a, b]).join('\n')).toContain('循环');
  });
  it('requires a county portal to sit under a city portal', () => {
    const county: Site = { ...city, id: 'xn', kind: 'county-portal', parentId: 'gxzf', domains: ['www.nnxn.gov.cn'], idCode: '4501000007' };
    expect(registryProblems([region, county]).join('\n')).toContain('县级门户的上级须为市级门户');
  });
});

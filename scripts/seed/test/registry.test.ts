import { describe, expect, it } from 'vitest';
import { SITE_KINDS, childDomainRule, portalDomainRule } from '@ywtc/cms-schema';
import { FAMILIES, templateById } from '@ywtc/themes';
import { RegistryError, buildRegistry, loadRegistrySource } from '../registry.ts';

const sites = buildRegistry(loadRegistrySource());
const byId = new Map(sites.map((s) => [s.id, s]));
const count = (kind: string) => sites.filter((s) => s.kind === kind).length;

describe('the Guangxi site registry', () => {
  it('has 200+ sites: the regional portal, 14 cities, 111 counties, the departments and 20+ party/人大/政协 sites', () => {
    expect(sites.length).toBeGreaterThanOrEqual(200);
    expect(count('province-portal')).toBe(1);
    expect(count('city-portal')).toBe(14);
    expect(count('county-portal')).toBe(111);
    expect(count('department')).toBe(24);
    expect(count('party-committee') + count('discipline-commission') + count('people-congress') + count('cppcc')).toBeGreaterThanOrEqual(20);
    expect(byId.get('gxzf')!.domains[0]).toBe('www.gxzf.gov.cn');
  });

  it('puts every site under its parent: counties under their city, units under their portal', () => {
    for (const s of sites) {
      if (s.kind === 'province-portal') {
        expect(s.parentId).toBeNull();
        continue;
      }
      const parent = byId.get(s.parentId!);
      expect(parent, `${s.id} parent`).toBeDefined();
      if (s.kind === 'county-portal') {
        expect(parent!.kind).toBe('city-portal');
        expect(s.divisionCode.slice(0, 4)).toBe(parent!.divisionCode.slice(0, 4));
      }
    }
    expect(byId.get('nnxn')!.parentId).toBe('nanning');
    expect(byId.get('fgw-gxzf')!.parentId).toBe('gxzf');
  });

  it('gives each site a national-form 标识码, unique, starting with its division code', () => {
    const codes = new Set(sites.map((s) => s.idCode));
    expect(codes.size).toBe(sites.length);
    for (const s of sites) expect(s.idCode).toMatch(new RegExp(`^${s.divisionCode}\\d{4}$`));
  });

  it('follows the domain rules and keeps listed hosts apart from platform-assigned ones', () => {
    for (const s of sites) {
      const d = s.domains[0]!;
      if (SITE_KINDS[s.kind].includes('门户')) expect(portalDomainRule(d), d).toBe(true);
      else expect(childDomainRule(d, byId.get(s.parentId!)!.domains[0]!), d).toBe(true);
    }
    expect(sites.filter((s) => s.domainListed).length).toBe(150);
    expect(byId.get('rd-nanning')!.domainListed).toBe(false);
  });

  it('gives every site a template of its own family, and neighbours different ones', () => {
    for (const s of sites) {
      const t = templateById.get(s.themeId);
      expect(t, s.themeId).toBeDefined();
      expect(FAMILIES[t!.family].kinds as readonly string[], s.id).toContain(s.kind);
    }
    // 111 counties share the 30 county-portal templates, nearly all of them in use.
    expect(new Set(sites.filter((s) => s.kind === 'county-portal').map((s) => s.themeId)).size).toBeGreaterThanOrEqual(25);
    // Neighbours: siblings next to each other in the registry's order (a city's counties, the departments).
    const neighbours = sites
      .slice(1)
      .map((b, i) => [sites[i]!, b] as const)
      .filter(([a, b]) => a.parentId === b.parentId && a.kind === b.kind);
    expect(neighbours.length).toBeGreaterThan(100);
    for (const [a, b] of neighbours) expect(b.themeId, `${a.id} / ${b.id}`).not.toBe(a.themeId);
  });

  it('stops on a bad record, naming the record and the field', () => {
    const src = loadRegistrySource();
    const broken = { ...src, hosts: src.hosts.map((h) => (h.domain === 'www.nanning.gov.cn' ? { ...h, domain: 'nanning.gov.cn' } : h)) };
    expect(() => buildRegistry(broken)).toThrow(RegistryError);
    expect(() => buildRegistry(broken)).toThrow(/站点 nanning: 字段 domains\.0/);
    const unknownDivision = { ...src, hosts: [...src.hosts, { ...src.hosts[1]!, code: '459999', domain: 'www.nowhere.gov.cn' }] };
    expect(() => buildRegistry(unknownDivision)).toThrow(/www\.nowhere\.gov\.cn: 字段 code/);
  });
});

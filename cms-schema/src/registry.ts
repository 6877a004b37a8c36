import { childDomainRule, isPortalKind, type Site } from './site.ts';

/**
 * Rules that span records: every parent exists and the hierarchy has no cycles, ids / domains / 标识码 are
 * unique, and a unit below a portal lives under its portal's domain (<unit>.<portal>.gov.cn).
 * Returns one message per problem, naming the site and the field.
 */
export function registryProblems(sites: readonly Site[]): string[] {
  const problems: string[] = [];
  const byId = new Map<string, Site>();
  const seen = (what: string, map: Map<string, string>, key: string, id: string) => {
    const other = map.get(key);
    if (other) problems.push(`站点 ${id}: 字段 ${what}: “${key}” 已被站点 ${other} 使用`);
    else map.set(key, id);
  };
  const ids = new Map<string, string>();
  const hosts = new Map<string, string>();
  const codes = new Map<string, string>();
  for (const s of sites) {
    seen('id', ids, s.id, s.id);
    for (const d of s.domains) seen('domains', hosts, d, s.id);
    seen('idCode', codes, s.idCode, s.id);
    byId.set(s.id, s);
  }
  for (const s of sites) {
    if (s.parentId === null) continue;
    const parent = byId.get(s.parentId);
    if (!parent) {
      problems.push(`站点 ${s.id}: 字段 parentId: 上级网站 ${s.parentId} 不存在`);
      continue;
    }
    // Walk up: a cycle never reaches the root.
    const path = new Set([s.id]);
    for (let p: Site | undefined = parent; p; p = p.parentId ? byId.get(p.parentId) : undefined) {
      if (path.has(p.id)) {
        problems.push(`站点 ${s.id}: 字段 parentId: 上级关系形成循环`);
        break;
      }
      path.add(p.id);
    }
    if (!isPortalKind(s.kind)) {
      const portal = isPortalKind(parent.kind) ? parent : undefined;
      if (!portal) problems.push(`站点 ${s.id}: 字段 parentId: 部门及党委、人大、政协网站的上级须为门户网站`);
      else if (!childDomainRule(s.domains[0]!, portal.domains[0]!))
        problems.push(`站点 ${s.id}: 字段 domains.0: 须为 <单位>.${portal.domains[0]!.replace(/^www\./, '')}`);
    } else if (s.kind === 'city-portal' && parent.kind !== 'province-portal') {
      problems.push(`站点 ${s.id}: 字段 parentId: 市级门户的上级须为省级门户`);
    } else if (s.kind === 'county-portal' && parent.kind !== 'city-portal') {
      problems.push(`站点 ${s.id}: 字段 parentId: 县级门户的上级须为市级门户`);
    }
  }
  return problems;
}

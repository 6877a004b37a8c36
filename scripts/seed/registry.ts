/**
 * The site registry of the Guangxi cluster, generated from the public division list and the public list of
 * government hosts: the regional portal, 14 city portals, 111 county portals, the regional department hosts,
 * and the party committee / 纪委监委 / 人大 / 政协 sites of the region and of each city (60; their hosts are not
 * in the public list, so the platform assigns them under the portal, marked domainListed = false).
 *
 * 网站标识码, ICP备案号 and 公安机关备案号 are issued by national bodies and are not in the public data: they are
 * generated here in the national form (division code + serial) for the demo, and must be replaced by the real
 * numbers before a site goes live (docs/registry.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SiteSchema, formatIssues, registryProblems, type Site, type SiteKind } from '@ywtc/cms-schema';
import { defaultTemplateFor, templatesForKind } from '@ywtc/themes';

interface Division {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county';
  parent: string | null;
  type?: string;
}
interface HostEntry {
  code: string;
  name: string;
  level: string;
  domain: string;
  kind: string;
  area_code?: string;
}

export interface RegistrySource {
  divisions: Division[];
  hosts: HostEntry[];
}

export function loadRegistrySource(dir = join(import.meta.dirname, 'data')): RegistrySource {
  return {
    // Checked record by record when the registry is built (buildRegistry names the record and field at fault).
    divisions: JSON.parse(readFileSync(join(dir, 'guangxi-divisions.json'), 'utf8')) as RegistrySource['divisions'],
    hosts: JSON.parse(readFileSync(join(dir, 'guangxi-gov-domains.json'), 'utf8')) as RegistrySource['hosts'],
  };
}

/** Units of the party / 人大 / 政协 family that every region and city has, with the host label the platform assigns. */
const PEER_UNITS: { kind: SiteKind; label: string; site: (place: string) => string; sponsor: (place: string) => string }[] = [
  { kind: 'party-committee', label: 'dw', site: (p) => `中共${p}委员会网站`, sponsor: (p) => `中共${p}委员会办公${p.endsWith('区') ? '厅' : '室'}` },
  { kind: 'discipline-commission', label: 'jw', site: (p) => `${p}纪检监察网`, sponsor: (p) => `中共${p}纪律检查委员会、${p}监察委员会` },
  { kind: 'people-congress', label: 'rd', site: (p) => `${p}人大网站`, sponsor: (p) => `${p}人民代表大会常务委员会办公${p.endsWith('区') ? '厅' : '室'}` },
  { kind: 'cppcc', label: 'zx', site: (p) => `政协${p}委员会网站`, sponsor: (p) => `政协${p}委员会办公${p.endsWith('区') ? '厅' : '室'}` },
];

const PORTAL_KIND: Record<string, SiteKind> = { province: 'province-portal', city: 'city-portal', county: 'county-portal' };

export class RegistryError extends Error {}

export function buildRegistry(src: RegistrySource): Site[] {
  const divisions = new Map(src.divisions.map((d) => [d.code, d]));
  const serials = new Map<string, number>();
  const nextIdCode = (division: string) => {
    const n = (serials.get(division) ?? 0) + 1;
    serials.set(division, n);
    return division + String(n).padStart(4, '0');
  };
  const hostLabel = (domain: string) => (domain.startsWith('www.') ? domain.split('.')[1]! : domain.split('.')[0]!);
  const areaCodes = new Map(src.hosts.filter((h) => h.area_code).map((h) => [h.code, h.area_code!.slice(0, 4)]));
  const areaCode = (code: string): string => areaCodes.get(code) ?? areaCodes.get(code.slice(0, 4) + '00') ?? '0771';
  const placePath = (code: string): string => {
    const d = divisions.get(code);
    if (!d) throw new RegistryError(`行政区划 ${code} 不在区划表中`);
    return d.parent ? placePath(d.parent) + d.name : d.name;
  };

  const raw: unknown[] = [];
  const portalIds = new Map<string, string>(); // division code → portal site id
  let order = 0;
  const make = (fields: {
    id: string;
    name: string;
    kind: SiteKind;
    parentId: string | null;
    division: string;
    domain: string;
    listed: boolean;
    sponsor: string;
  }) => {
    const idCode = nextIdCode(fields.division);
    const serial = idCode.slice(6);
    raw.push({
      id: fields.id,
      name: fields.name,
      kind: fields.kind,
      parentId: fields.parentId,
      divisionCode: fields.division,
      domains: [fields.domain],
      domainListed: fields.listed,
      idCode,
      icp: `桂ICP备${String(12000000 + Number(fields.division.slice(2)) * 10 + Number(serial)).padStart(8, '0')}号`,
      psb: `桂公网安备 ${fields.division}02${serial.padStart(6, '0')}号`,
      sponsor: fields.sponsor,
      // 12345 is the national 政务服务便民热线, reachable in every city under its area code.
      contact: { phone: `${areaCode(fields.division)}-12345`, address: placePath(fields.division) },
      // Each site starts on one of its family's templates (themes/templates.ts); admins may switch it.
      themeId: defaultTemplateFor({ id: fields.id, kind: fields.kind }),
      sortOrder: order++,
    });
  };

  const portals = src.hosts.filter((h) => h.kind === 'portal').sort((a, b) => a.code.localeCompare(b.code));
  for (const h of portals) {
    const d = divisions.get(h.code);
    if (!d) throw new RegistryError(`主机 ${h.domain}: 字段 code: 行政区划 ${h.code} 不在区划表中`);
    const kind = PORTAL_KIND[d.level]!;
    const id = hostLabel(h.domain);
    portalIds.set(h.code, id);
    make({
      id,
      name: `${d.name}人民政府门户网站`,
      kind,
      parentId: d.parent ? (portalIds.get(d.parent) ?? null) : null,
      division: h.code,
      domain: h.domain,
      listed: true,
      sponsor: `${d.name}人民政府办公${d.level === 'province' ? '厅' : '室'}`,
    });
  }
  const region = portals.find((h) => divisions.get(h.code)?.level === 'province')!;
  const regionId = portalIds.get(region.code)!;
  // Department and zone sites (*.gxzf.gov.cn). Service-hall hosts (政务服务网) are application front ends, not content sites.
  for (const h of src.hosts.filter((x) => x.kind === 'department/zone site')) {
    make({
      id: `${hostLabel(h.domain)}-${regionId}`,
      name: `${h.name}网站`,
      kind: 'department',
      parentId: regionId,
      division: region.code,
      domain: h.domain,
      listed: true,
      sponsor: h.name,
    });
  }
  for (const h of portals.filter((x) => ['province', 'city'].includes(divisions.get(x.code)!.level))) {
    const place = divisions.get(h.code)!.name;
    const portalId = portalIds.get(h.code)!;
    const root = h.domain.replace(/^www\./, '');
    for (const u of PEER_UNITS) {
      make({
        id: `${u.label}-${portalId}`,
        name: u.site(place),
        kind: u.kind,
        parentId: portalId,
        division: h.code,
        domain: `${u.label}.${root}`,
        listed: false,
        sponsor: u.sponsor(place),
      });
    }
  }

  // Neighbours look different: a site whose hashed template is its previous sibling's (same parent and kind,
  // next in order — what a citizen sees side by side in a city's list of county sites) takes the next one.
  for (let i = 1; i < raw.length; i++) {
    const [a, b] = [
      raw[i - 1] as { parentId: string | null; kind: SiteKind; themeId: string },
      raw[i] as { id: string; parentId: string | null; kind: SiteKind; themeId: string },
    ];
    if (a.parentId !== b.parentId || a.kind !== b.kind || a.themeId !== b.themeId) continue;
    const own = templatesForKind(b.kind);
    b.themeId = own[(own.findIndex((t) => t.id === b.themeId) + 1) % own.length]!.id;
  }

  const sites: Site[] = [];
  const errors: string[] = [];
  for (const r of raw) {
    const parsed = SiteSchema.safeParse(r);
    if (parsed.success) sites.push(parsed.data);
    else errors.push(...formatIssues(`站点 ${(r as { id: string }).id}`, parsed.error));
  }
  errors.push(...registryProblems(sites));
  if (errors.length) throw new RegistryError(errors.join('\n'));
  return sites;
}

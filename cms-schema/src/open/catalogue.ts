/**
 * 开放目录: every interface the platform opens is one catalogue entry — a dataset (datasets.ts) given a scope
 * and an owning unit, with its code, names, 开放类型 and version. Entries are rows of `open_interfaces`, written
 * by the seed from the registry (`buildCatalogue`), so codes stay fixed once given; the API, the OpenAPI
 * document, the docs and the portal all read them.
 *
 * How the catalogue reaches its size (docs/open-data.md): the whole region gets every dataset that has a
 * region scope; the province portal and each department site get their own document datasets; each city
 * gets the datasets of itself and the counties below it. No entry is a renamed copy: each answers a
 * different dataset or a different unit's data, and every one has data in the store (the tests call all).
 */
import { z } from 'zod';
import type { Site } from '../site.ts';
import { DATASETS, DATASET_KEYS, type DatasetKey, type Scope } from './datasets.ts';

export const OPEN_TYPES = {
  unconditional: '无条件开放',
  conditional: '有条件开放',
} as const;
export type OpenType = keyof typeof OPEN_TYPES;

export const INTERFACE_CODE = /^GX-OPEN-\d{4}$/;
export const InterfaceCodeSchema = z.string().regex(INTERFACE_CODE, '接口编码应如 GX-OPEN-0001');

export const OpenInterfaceSchema = z.object({
  code: InterfaceCodeSchema,
  dataset: z.enum(DATASET_KEYS as [DatasetKey, ...DatasetKey[]]),
  scopeKind: z.enum(['region', 'subtree', 'site']),
  /** The unit whose data it is: the whole region's province portal, a city portal (and below), or one site. */
  scopeSiteId: z.string(),
  /** 数据提供单位: the unit that answers for the interface and approves 有条件开放 applications. */
  ownerSiteId: z.string(),
  ownerName: z.string(),
  openType: z.enum(['unconditional', 'conditional']),
  name: z.string().min(2).max(60),
  description: z.string().max(400),
  /** Why an interface is 有条件开放 (empty for 无条件开放). */
  conditionReason: z.string().max(200),
  version: z.string().regex(/^\d+\.\d+$/),
  createdAt: z.string(),
});
export type OpenInterface = z.infer<typeof OpenInterfaceSchema>;

/** Datasets that are 有条件开放 wherever they are opened, and why (docs/open-data.md lists them). */
export const CONDITIONAL: Partial<Record<DatasetKey, string>> = {
  'column-updates':
    '栏目更新情况是政府网站监管数据，反映各单位是否按要求更新；用于研究或监督时，由数据提供单位了解用途后批准，避免在普查结果公布前被断章取义。',
  'hot-searches': '热门搜索词来自市民的搜索行为，虽已汇总并剔除个人信息，仍须申请单位说明用途，由数据提供单位批准。',
};

/** Which datasets each kind of unit opens, and in what scope. */
const REGION: DatasetKey[] = DATASET_KEYS.filter((k) => (DATASETS[k].scopes as readonly Scope[]).includes('region'));
const PROVINCE_SITE: DatasetKey[] = ['policies', 'interpretations', 'notices', 'news', 'services', 'topics'];
const CITY_SUBTREE: DatasetKey[] = [
  'policies',
  'interpretations',
  'notices',
  'news',
  'disclosure-docs',
  'services',
  'interaction',
  'topics',
  'sites',
  'columns',
  'publication-stats',
  'column-updates',
];
const DEPARTMENT_SITE: DatasetKey[] = ['policies', 'interpretations', 'notices', 'news'];

/** The unit's name as a data provider: its sponsor, without the 办公厅/办公室 that runs a portal. */
export const unitName = (site: Pick<Site, 'sponsor' | 'kind'>) => (site.kind === 'department' ? site.sponsor : site.sponsor.replace(/办公(厅|室)$/, ''));

export const interfaceCode = (n: number) => `GX-OPEN-${String(n).padStart(4, '0')}`;

/**
 * The catalogue for a registry, in a fixed order (region, province portal, cities by division code, then
 * departments by division code and id), so the same registry always gets the same codes. `existing` keeps the
 * codes already given (a registry that grows appends, never renumbers).
 */
export function buildCatalogue(sites: readonly Site[], createdAt: string, existing: readonly OpenInterface[] = []): OpenInterface[] {
  const province = sites.find((s) => s.kind === 'province-portal');
  if (!province) return [];
  const byCode = (a: Site, b: Site) => a.divisionCode.localeCompare(b.divisionCode) || a.id.localeCompare(b.id);
  const plan: { dataset: DatasetKey; scope: Scope; site: Site }[] = [
    ...REGION.map((dataset) => ({ dataset, scope: 'region' as const, site: province })),
    ...PROVINCE_SITE.map((dataset) => ({ dataset, scope: 'site' as const, site: province })),
    ...sites
      .filter((s) => s.kind === 'city-portal')
      .sort(byCode)
      .flatMap((site) => CITY_SUBTREE.map((dataset) => ({ dataset, scope: 'subtree' as const, site }))),
    ...sites
      .filter((s) => s.kind === 'department')
      .sort(byCode)
      .flatMap((site) => DEPARTMENT_SITE.map((dataset) => ({ dataset, scope: 'site' as const, site }))),
  ];
  const key = (dataset: string, scope: string, siteId: string) => `${dataset}|${scope}|${siteId}`;
  const kept = new Map(existing.map((e) => [key(e.dataset, e.scopeKind, e.scopeSiteId), e]));
  let next = existing.reduce((m, e) => Math.max(m, Number(e.code.slice(-4))), 0);
  return plan.map(({ dataset, scope, site }) => {
    const old = kept.get(key(dataset, scope, site.id));
    if (old) return old;
    const d = DATASETS[dataset];
    const unit = unitName(site);
    const name = scope === 'region' ? `全区${d.label}` : scope === 'subtree' ? `${unit}及所辖县（市、区）${d.label}` : `${unit}${d.label}`;
    const reason = CONDITIONAL[dataset] ?? '';
    return OpenInterfaceSchema.parse({
      code: interfaceCode(++next),
      dataset,
      scopeKind: scope,
      scopeSiteId: site.id,
      ownerSiteId: site.id,
      ownerName: unit,
      openType: reason ? 'conditional' : 'unconditional',
      name,
      description: d.description,
      conditionReason: reason,
      version: '1.0',
      createdAt,
    });
  });
}

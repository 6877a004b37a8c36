import { z } from 'zod';
import { defineAccess } from './access.ts';

/** The kinds of government website the national 集约化 rules distinguish; the builder picks a layout per kind. */
export const SITE_KINDS = {
  'province-portal': '省级政府门户网站',
  'city-portal': '市级政府门户网站',
  'county-portal': '县级政府门户网站',
  department: '部门网站',
  'party-committee': '党委网站',
  'discipline-commission': '纪委监委网站',
  'people-congress': '人大网站',
  cppcc: '政协网站',
} as const;
export type SiteKind = keyof typeof SITE_KINDS;
export const SiteKindSchema = z.enum(Object.keys(SITE_KINDS) as [SiteKind, ...SiteKind[]]);

export const PORTAL_KINDS: readonly SiteKind[] = ['province-portal', 'city-portal', 'county-portal'];
export const isPortalKind = (kind: SiteKind) => PORTAL_KINDS.includes(kind);

const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
export const DomainSchema = z
  .string()
  .toLowerCase()
  .refine((d) => d.split('.').length >= 3 && d.split('.').every((l) => label.test(l)) && d.endsWith('.gov.cn'), {
    message: '域名须为 .gov.cn 下的合法主机名',
  });

/** A portal is served from www.<name>.gov.cn. */
export const portalDomainRule = (d: string) => /^www\.[a-z0-9-]+\.gov\.cn$/.test(d);
/** A unit below a portal is served from <unit>.<portal without www>, e.g. fgw.gxzf.gov.cn under www.gxzf.gov.cn. */
export const childDomainRule = (d: string, parentPortalDomain: string) => {
  const suffix = parentPortalDomain.replace(/^www\./, '');
  const head = d.slice(0, -(suffix.length + 1));
  return d.endsWith('.' + suffix) && head.length > 0 && head.split('.').every((l) => label.test(l)) && head !== 'www';
};

export const SiteIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'id 只能包含小写字母、数字和连字符');
export const DivisionCodeSchema = z.string().regex(/^\d{6}$/, '行政区划代码为 6 位数字');

export const ContactSchema = z.object({
  phone: z.string().regex(/^[0-9-]{7,20}$/, '电话号码格式不正确'),
  address: z.string().min(4).max(120),
  postcode: z
    .string()
    .regex(/^\d{6}$/, '邮政编码为 6 位数字')
    .optional(),
  email: z.email().optional(),
});

export const SiteSchema = z
  .object({
    id: SiteIdSchema,
    name: z.string().min(2).max(60),
    kind: SiteKindSchema,
    parentId: SiteIdSchema.nullable(),
    divisionCode: DivisionCodeSchema,
    /** First entry is the primary host; the rest are aliases that serve the same site. */
    domains: z.array(DomainSchema).min(1).max(8),
    /** true when the primary domain comes from the public list of Guangxi government hosts, false when the platform assigned it. */
    domainListed: z.boolean(),
    /** 网站标识码: 6-digit division code + 4-digit serial, issued by the national platform. */
    idCode: z.string().regex(/^\d{10}$/, '网站标识码为 10 位数字（6 位行政区划代码 + 4 位序号）'),
    /** ICP备案号, e.g. 桂ICP备12003051号-1. */
    icp: z.string().regex(/^[\u4e00-\u9fa5]ICP备\d{8}号(-\d{1,3})?$/, 'ICP备案号格式应为“桂ICP备12345678号”'),
    /** 公安机关备案号, e.g. 桂公网安备 45010302000123号 (division code + 8 digits). */
    psb: z.string().regex(/^[\u4e00-\u9fa5]公网安备\s?\d{14}号$/, '公安机关备案号格式应为“桂公网安备 45010302000123号”'),
    sponsor: z.string().min(2).max(80),
    contact: ContactSchema,
    themeId: z.string().regex(/^[a-z0-9-]+$/),
    sortOrder: z.int().min(0),
  })
  .superRefine((s, ctx) => {
    if (!s.idCode.startsWith(s.divisionCode)) ctx.addIssue({ code: 'custom', path: ['idCode'], message: `网站标识码须以行政区划代码 ${s.divisionCode} 开头` });
    if (!s.psb.replace(/\s/g, '').includes(s.divisionCode.slice(0, 2)))
      ctx.addIssue({ code: 'custom', path: ['psb'], message: '公安机关备案号须含本省行政区划代码' });
    if (isPortalKind(s.kind) && !portalDomainRule(s.domains[0]!))
      ctx.addIssue({ code: 'custom', path: ['domains', 0], message: '门户网站域名须为 www.<名称>.gov.cn' });
    if ((s.kind === 'province-portal') !== (s.parentId === null)) ctx.addIssue({ code: 'custom', path: ['parentId'], message: '只有省级门户网站没有上级网站' });
  });
export type Site = z.infer<typeof SiteSchema>;

/** Host → site index used by the Worker's Host-header routing; derived from Site.domains. */
export const SiteHostSchema = z.object({ host: DomainSchema, siteId: SiteIdSchema });
export type SiteHost = z.infer<typeof SiteHostSchema>;

/**
 * Sites: everyone reads the published pages, the search and the 模板库 (citizens, staff, machines alike); a site
 * admin of the site or above switches its template.
 */
export const SITE_ACCESS = defineAccess({
  view: { who: ['anonymous', 'staff', 'machine', 'unit', 'apiKey'] },
  manage: { who: ['staff'], action: 'site.manage' },
});

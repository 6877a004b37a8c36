/**
 * 域名管理: the national rules every site's domains and registration numbers are held to, the state the DNS and
 * certificate probes record per host, and a site's request to change its primary domain (filed by its admin,
 * decided by the unit above). The rules are pure: the Worker's 清查 report, the inspector and the request form
 * all ask `domainProblems`, so they cannot disagree.
 *
 * Platform rules where the national ones leave a choice (docs/registry.md):
 * - party committee, 纪委监委, 人大 and 政协 sites may live under their portal's domain (dw.nanning.gov.cn, as the
 *   platform assigns) or on a name of their own in the www.<名称>.gov.cn form (www.gxrd.gov.cn);
 * - an alias is any other .gov.cn host of the same site (a portal's bare nanning.gov.cn); it must be a legal
 *   .gov.cn name and held by no other site;
 * - a host left behind by a domain change keeps redirecting to its site and counts as that site's: no other site
 *   may take it.
 */
import { z } from 'zod';
import { defineAccess } from './access.ts';
import { DomainSchema, SiteIdSchema, childDomainRule, isPortalKind, portalDomainRule, type Site, type SiteKind } from './site.ts';
import { InstantSchema } from './time.ts';
import { text } from './text.ts';

/** Every rule the 清查 report checks, with what it says. Ids are stable: findings are filtered and compared by them. */
export const DOMAIN_RULES = {
  'gov-cn': '域名须为 .gov.cn 下的合法主机名',
  'portal-www': '门户网站主域名须为 www.<名称>.gov.cn',
  'under-portal': '部门网站主域名须在本级门户网站域名下（<单位>.<门户域名>）',
  'party-domain': '党委、纪委监委、人大、政协网站主域名须在本级门户域名下，或为 www.<名称>.gov.cn',
  'host-unique': '一个域名只能属于一个网站',
  'id-code-format': '网站标识码须为 10 位数字（6 位行政区划代码 + 4 位序号）',
  'id-code-division': '网站标识码须以本网站的行政区划代码开头',
  'id-code-unique': '网站标识码不得重复',
  'icp-format': 'ICP备案号格式须为“<省简称>ICP备<8 位数字>号”，可带“-序号”',
  'psb-format': '公安机关备案号格式须为“<省简称>公网安备 <14 位数字>号”，以本省行政区划代码开头',
  'dns-failing': '域名解析失败（NXDOMAIN、SERVFAIL 或 REFUSED）',
  'dns-no-address': '域名解析无 A/AAAA 记录',
  'dns-unknown': '域名解析检查未能完成',
  'cert-expired': 'HTTPS 证书已过期',
  'cert-expiring-urgent': 'HTTPS 证书 7 天内到期',
  'cert-expiring': 'HTTPS 证书 30 天内到期',
  'cert-missing': '未找到该域名的 HTTPS 证书',
  'cert-unknown': '证书检查未能完成',
} as const;
export type DomainRule = keyof typeof DOMAIN_RULES;
export const DomainRuleSchema = z.enum(Object.keys(DOMAIN_RULES) as [DomainRule, ...DomainRule[]]);

/** error: a rule is broken (or the site cannot be reached); urgent: fix within days; warning: plan the fix. */
export const DOMAIN_SEVERITIES = { error: '违规', urgent: '紧急', warning: '预警' } as const;
export type DomainSeverity = keyof typeof DOMAIN_SEVERITIES;
export const DomainSeveritySchema = z.enum(['error', 'urgent', 'warning']);

/** Days before a certificate's expiry at which the report warns, and at which the warning becomes urgent. */
export const CERT_ALERT_DAYS = { warning: 30, urgent: 7 } as const;

export interface DomainProblem {
  siteId: string;
  host: string;
  rule: DomainRule;
  severity: DomainSeverity;
  message: string;
}

/** DNS response codes as the DoH JSON API reports them (RFC 8427 `Status`), plus ERROR when no answer came at all. */
export const DNS_STATUSES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'ERROR'] as const;
export const DnsStatusSchema = z.enum(DNS_STATUSES);
export type DnsStatus = z.infer<typeof DnsStatusSchema>;
export const DnsAnswerSchema = z.object({ type: z.enum(['A', 'AAAA', 'CNAME']), data: z.string().max(300), ttl: z.int().min(0) });
export type DnsAnswer = z.infer<typeof DnsAnswerSchema>;

/** What the last probe of a host found (D1 `domain_status`, migration 0024). A failed probe is a row too. */
export const DomainStatusSchema = z.object({
  host: z.string().max(253),
  checkedAt: InstantSchema,
  dnsStatus: DnsStatusSchema,
  dnsAnswers: z.array(DnsAnswerSchema).max(64),
  dnsError: z.string().max(300).nullable(),
  /** The certificate's notAfter; null when none was found or the probe failed (certError says which). */
  certNotAfter: InstantSchema.nullable(),
  certIssuer: z.string().max(300).nullable(),
  /** Where the date came from: the peer certificate itself (Node, node:tls) or a Certificate Transparency search (the Worker). */
  certSource: z.enum(['tls', 'ct']).nullable(),
  certError: z.string().max(300).nullable(),
});
export type DomainStatus = z.infer<typeof DomainStatusSchema>;

/** A host a site left: it answers with 301s to the site's primary domain (D1 `domain_redirects`). */
export interface DomainRedirect {
  host: string;
  siteId: string;
}

/** The fields of a site the rules read (a `Site` qualifies). */
export type RegistrySite = Pick<Site, 'id' | 'kind' | 'parentId' | 'divisionCode' | 'domains' | 'idCode' | 'icp' | 'psb'>;

/** First two digits of a division code → the province's one-character abbreviation used by ICP and 公安 filings. */
export const PROVINCE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  '11': '京', '12': '津', '13': '冀', '14': '晋', '15': '蒙', '21': '辽', '22': '吉', '23': '黑', '31': '沪', '32': '苏', '33': '浙',
  '34': '皖', '35': '闽', '36': '赣', '37': '鲁', '41': '豫', '42': '鄂', '43': '湘', '44': '粤', '45': '桂', '46': '琼', '50': '渝',
  '51': '川', '52': '黔', '53': '滇', '54': '藏', '61': '陕', '62': '甘', '63': '青', '64': '宁', '65': '新',
}; // prettier-ignore

const PARTY_KINDS: readonly SiteKind[] = ['party-committee', 'discipline-commission', 'people-congress', 'cppcc'];
const DAY_MS = 86_400_000;

const legalGovHost = (h: string) => DomainSchema.safeParse(h).success && h === h.toLowerCase();

/** Rules on one site's own fields: names, numbers. `portal` is its nearest portal above (for units below one). */
function siteFieldProblems(s: RegistrySite, portal: RegistrySite | undefined): DomainProblem[] {
  const out: DomainProblem[] = [];
  const primary = s.domains[0] ?? '';
  const add = (host: string, rule: DomainRule, message: string, severity: DomainSeverity = 'error') =>
    out.push({ siteId: s.id, host, rule, severity, message });
  for (const h of s.domains) if (!legalGovHost(h)) add(h, 'gov-cn', `${h}：${DOMAIN_RULES['gov-cn']}`);
  if (legalGovHost(primary)) {
    if (isPortalKind(s.kind)) {
      if (!portalDomainRule(primary)) add(primary, 'portal-www', `${primary}：${DOMAIN_RULES['portal-www']}`);
    } else if (PARTY_KINDS.includes(s.kind)) {
      const underPortal = portal !== undefined && childDomainRule(primary, portal.domains[0] ?? '');
      if (!underPortal && !portalDomainRule(primary))
        add(primary, 'party-domain', `${primary}：须为 <单位>.${(portal?.domains[0] ?? 'www.<门户>.gov.cn').replace(/^www\./, '')} 或 www.<名称>.gov.cn`);
    } else if (!portal || !childDomainRule(primary, portal.domains[0] ?? '')) {
      add(primary, 'under-portal', `${primary}：须为 <单位>.${(portal?.domains[0] ?? 'www.<门户>.gov.cn').replace(/^www\./, '')}`);
    }
  }
  if (!/^\d{10}$/.test(s.idCode)) add(primary, 'id-code-format', `网站标识码“${s.idCode}”：${DOMAIN_RULES['id-code-format']}`);
  else if (!s.idCode.startsWith(s.divisionCode)) add(primary, 'id-code-division', `网站标识码 ${s.idCode} 须以行政区划代码 ${s.divisionCode} 开头`);
  const abbr = PROVINCE_ABBREVIATIONS[s.divisionCode.slice(0, 2)];
  const icp = /^([\u4e00-\u9fa5])ICP备\d{8}号(-\d{1,3})?$/.exec(s.icp);
  if (!icp || (abbr && icp[1] !== abbr)) add(primary, 'icp-format', `ICP备案号“${s.icp}”：格式须为“${abbr ?? '<省简称>'}ICP备12345678号”`);
  const psb = /^([\u4e00-\u9fa5])公网安备\s?(\d{14})号$/.exec(s.psb);
  if (!psb || (abbr && psb[1] !== abbr) || !psb[2]!.startsWith(s.divisionCode.slice(0, 2)))
    add(primary, 'psb-format', `公安机关备案号“${s.psb}”：格式须为“${abbr ?? '<省简称>'}公网安备 ${s.divisionCode.slice(0, 2)}…（14 位数字）号”`);
  return out;
}

/** Alerts from the last probe of a host: DNS that does not resolve, certificates expired or about to. */
function statusProblems(siteId: string, st: DomainStatus, now: Date): DomainProblem[] {
  const out: DomainProblem[] = [];
  const add = (rule: DomainRule, severity: DomainSeverity, message: string) => out.push({ siteId, host: st.host, rule, severity, message });
  if (st.dnsStatus === 'ERROR') add('dns-unknown', 'warning', `${st.host}：解析检查未能完成（${st.dnsError ?? '无应答'}）`);
  else if (st.dnsStatus !== 'NOERROR') add('dns-failing', 'error', `${st.host}：解析返回 ${st.dnsStatus}`);
  else if (!st.dnsAnswers.some((a) => a.type === 'A' || a.type === 'AAAA')) add('dns-no-address', 'error', `${st.host}：解析无 A/AAAA 记录`);
  if (st.certNotAfter) {
    const days = Math.floor((Date.parse(st.certNotAfter) - now.getTime()) / DAY_MS);
    const day = st.certNotAfter.slice(0, 10);
    if (Date.parse(st.certNotAfter) <= now.getTime()) add('cert-expired', 'error', `${st.host}：证书已于 ${day} 过期`);
    else if (days < CERT_ALERT_DAYS.urgent) add('cert-expiring-urgent', 'urgent', `${st.host}：证书将于 ${day} 到期（剩余 ${days} 天）`);
    else if (days < CERT_ALERT_DAYS.warning) add('cert-expiring', 'warning', `${st.host}：证书将于 ${day} 到期（剩余 ${days} 天）`);
  } else if (st.certError) add('cert-unknown', 'warning', `${st.host}：证书检查未能完成（${st.certError}）`);
  else if (st.certSource) add('cert-missing', 'warning', `${st.host}：${DOMAIN_RULES['cert-missing']}`);
  return out;
}

/**
 * Every rule broken across the registry today, site by site in registry order. `statuses`: the last probe of each
 * host (hosts never probed raise no status alert: the report shows them as 未检查); `redirects`: hosts sites left,
 * which stay theirs.
 */
export function domainProblems(
  sites: readonly RegistrySite[],
  statuses: readonly DomainStatus[] = [],
  opts: { now?: Date; redirects?: readonly DomainRedirect[] } = {},
): DomainProblem[] {
  const now = opts.now ?? new Date();
  const byId = new Map(sites.map((s) => [s.id, s]));
  // Who holds each host and each 标识码 first (registry order); later holders are the ones reported.
  const hostOwner = new Map<string, string>();
  for (const r of opts.redirects ?? []) hostOwner.set(r.host, r.siteId);
  const codeOwner = new Map<string, string>();
  const status = new Map(statuses.map((st) => [st.host, st]));
  const out: DomainProblem[] = [];
  for (const s of sites) {
    out.push(...siteFieldProblems(s, portalAbove(byId, s)));
    for (const h of s.domains) {
      const owner = hostOwner.get(h);
      if (owner === undefined) hostOwner.set(h, s.id);
      else if (owner !== s.id) out.push({ siteId: s.id, host: h, rule: 'host-unique', severity: 'error', message: `${h}：已属于网站 ${owner}` });
      const st = status.get(h);
      if (st) out.push(...statusProblems(s.id, st, now));
    }
    const codeHolder = codeOwner.get(s.idCode);
    if (codeHolder === undefined) codeOwner.set(s.idCode, s.id);
    else
      out.push({
        siteId: s.id,
        host: s.domains[0] ?? '',
        rule: 'id-code-unique',
        severity: 'error',
        message: `网站标识码 ${s.idCode} 已由网站 ${codeHolder} 使用`,
      });
  }
  return out;
}

/**
 * What would be wrong with `newDomain` as the primary domain of `siteId`: the naming rules as if it were already
 * so, and whether any other site holds it — in the registry, as a host it left, or as another pending request.
 */
export function proposedDomainProblems(
  sites: readonly RegistrySite[],
  siteId: string,
  newDomain: string,
  taken: { redirects: readonly DomainRedirect[]; pending: readonly { siteId: string; newDomain: string }[] },
): string[] {
  const site = sites.find((s) => s.id === siteId);
  if (!site) return ['网站不存在'];
  if (site.domains[0] === newDomain) return ['新域名与当前主域名相同'];
  const moved = { ...site, domains: [newDomain, ...site.domains.filter((d) => d !== newDomain && d !== site.domains[0])] };
  const naming = new Set<DomainRule>(['gov-cn', 'portal-www', 'under-portal', 'party-domain']);
  const messages = siteFieldProblems(moved, portalAbove(new Map(sites.map((s) => [s.id, s])), site))
    .filter((p) => naming.has(p.rule) && p.host === newDomain)
    .map((p) => p.message);
  const holder =
    sites.find((s) => s.id !== siteId && s.domains.includes(newDomain))?.id ??
    taken.redirects.find((r) => r.host === newDomain && r.siteId !== siteId)?.siteId ??
    taken.pending.find((r) => r.newDomain === newDomain && r.siteId !== siteId)?.siteId;
  if (holder) messages.push(`${newDomain}：已属于网站 ${holder} 或已被其申请`);
  return messages;
}

/** The nearest portal above a site: the domain a department or party site is named under. */
function portalAbove(byId: ReadonlyMap<string, RegistrySite>, s: RegistrySite): RegistrySite | undefined {
  for (let p = s.parentId ? byId.get(s.parentId) : undefined, hops = 0; p && hops < 16; p = p.parentId ? byId.get(p.parentId) : undefined, hops++)
    if (isPortalKind(p.kind)) return p;
  return undefined;
}

/** Field names of the request forms and the Chinese name a refusal uses for each. */
export const DOMAIN_FIELDS = {
  siteId: '网站',
  newDomain: '新域名',
  reason: '申请理由',
  decision: '审批结果',
  comment: '审批意见',
  rule: '规则',
  site: '网站',
  severity: '级别',
  format: '格式',
} as const;
export type DomainField = keyof typeof DOMAIN_FIELDS;

/** A site admin's request to move their site to another primary domain. */
export const DomainRequestInputSchema = z.object({
  siteId: SiteIdSchema,
  newDomain: z.string({ error: '请填写新域名' }).trim().toLowerCase().min(1, '请填写新域名').max(253, '不能超过 253 个字符').pipe(DomainSchema),
  reason: text({ error: '请填写申请理由' }).trim().min(4, '至少 4 个字').max(500, '不能超过 500 个字'),
});
export type DomainRequestInput = z.infer<typeof DomainRequestInputSchema>;

/** The unit above decides; a rejection must say why. */
export const DomainDecisionSchema = z
  .object({
    decision: z.enum(['approve', 'reject'], { error: '请选择批准或驳回' }),
    comment: text().trim().max(500, '不能超过 500 个字').default(''),
  })
  .superRefine((d, ctx) => {
    if (d.decision === 'reject' && d.comment.length < 2) ctx.addIssue({ code: 'custom', path: ['comment'], message: '驳回须写明理由（至少 2 个字）' });
  });
export type DomainDecision = z.infer<typeof DomainDecisionSchema>;

export const DOMAIN_REQUEST_STATES = { pending: '待审批', approved: '已批准', rejected: '已驳回' } as const;
export type DomainRequestState = keyof typeof DOMAIN_REQUEST_STATES;

/** A stored request (D1 `domain_requests`). */
export const DomainRequestSchema = z.object({
  id: z.string().regex(/^dr-[a-z0-9]{10,40}$/),
  siteId: SiteIdSchema,
  oldDomain: z.string().max(253),
  newDomain: z.string().max(253),
  reason: z.string().max(500),
  state: z.enum(['pending', 'approved', 'rejected']),
  requestedBy: z.string(),
  requestedAt: InstantSchema,
  decidedBy: z.string().nullable(),
  decidedAt: InstantSchema.nullable(),
  comment: z.string().max(500).nullable(),
});
export type DomainRequest = z.infer<typeof DomainRequestSchema>;

/**
 * 域名管理 for staff: the 清查 report, the probe status and the requests are read — and requests filed, a probe
 * run — by those holding `domain.request` (a site's admins, for their site and those below; platform admins).
 * Deciding is let in on the same action: which requests one may decide — those of sites strictly below one's
 * own, never one's own site's — is `can(grants, 'domain.approve', {siteId})` on the request, in the route.
 */
export const DOMAIN_ACCESS = defineAccess({
  read: { who: ['staff'], action: 'domain.request' },
  request: { who: ['staff'], action: 'domain.request' },
  decide: { who: ['staff'], action: 'domain.request' },
});

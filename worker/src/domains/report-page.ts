/**
 * /admin/domains: the 清查 report (every domain rule broken today, filtered by rule, site and level, exported as
 * CSV) and each host's last DNS and certificate probe with its expiry alert, for the sites the viewer manages
 * (theirs and those below; platform admins: all). Plain GET forms and one POST button (立即检查), no script.
 */
import { html } from 'hono/html';
import { z } from 'zod';
import {
  CERT_ALERT_DAYS,
  DOMAIN_FIELDS,
  DOMAIN_RULES,
  DOMAIN_SEVERITIES,
  csvField,
  formatPublishTime,
  type DomainProblem,
  type DomainSeverity,
  type DomainStatus,
} from '@ywtc/cms-schema';
import { adminPage, type Viewer } from '../admin/admin-layout.ts';

export const ReportQuerySchema = z.object({
  rule: z
    .string()
    .max(40)
    .default('')
    .refine((v) => v === '' || Object.hasOwn(DOMAIN_RULES, v), '没有这条规则'),
  site: z.string().max(64).default(''),
  severity: z
    .string()
    .max(10)
    .default('')
    .refine((v) => v === '' || Object.hasOwn(DOMAIN_SEVERITIES, v), '级别只能是违规、紧急或预警'),
});
export type ReportQuery = z.infer<typeof ReportQuerySchema>;

export interface ReportSite {
  id: string;
  name: string;
  domains: string[];
}
export interface ReportData {
  sites: ReportSite[];
  problems: DomainProblem[];
  statuses: Map<string, DomainStatus>;
  /** Hosts the viewer's sites left, with where they now send readers. */
  moved: { host: string; siteId: string; to: string }[];
  query: ReportQuery;
  now: Date;
}

const DAY_MS = 86_400_000;
const queryString = (q: ReportQuery) => new URLSearchParams(Object.entries(q).filter(([, v]) => v !== '')).toString();

export function filtered(problems: readonly DomainProblem[], q: ReportQuery): DomainProblem[] {
  return problems.filter((p) => (!q.rule || p.rule === q.rule) && (!q.site || p.siteId === q.site) && (!q.severity || p.severity === q.severity));
}

function certCell(st: DomainStatus | undefined, now: Date) {
  if (!st) return html`<span class="meta">未检查</span>`;
  if (!st.certNotAfter) return html`${st.certError ?? (st.certSource ? '未找到证书' : '—')}`;
  const days = Math.floor((Date.parse(st.certNotAfter) - now.getTime()) / DAY_MS);
  const label =
    days < 0
      ? html`<strong class="err">已过期</strong>`
      : days < CERT_ALERT_DAYS.urgent
        ? html`<strong class="err">紧急：剩余 ${days} 天</strong>`
        : days < CERT_ALERT_DAYS.warning
          ? html`<strong>预警：剩余 ${days} 天</strong>`
          : html`剩余 ${days} 天`;
  return html`${st.certNotAfter.slice(0, 10)}<br>${label}`;
}

function dnsCell(st: DomainStatus | undefined) {
  if (!st) return html`<span class="meta">未检查</span>`;
  if (st.dnsStatus === 'ERROR') return html`检查失败：${st.dnsError ?? ''}`;
  const answers = st.dnsAnswers.map((a) => `${a.type} ${a.data}`).join('，');
  return html`${st.dnsStatus === 'NOERROR' ? 'NOERROR' : html`<strong class="err">${st.dnsStatus}</strong>`}${answers ? html`<br><span class="meta">${answers}</span>` : ''}`;
}

export function reportPage(viewer: Viewer, d: ReportData, notice: { ok: boolean; text: string } | null) {
  const shown = filtered(d.problems, d.query);
  const count = (s: DomainSeverity) => d.problems.filter((p) => p.severity === s).length;
  const names = new Map(d.sites.map((s) => [s.id, s.name]));
  const hosts = d.sites.flatMap((s) => s.domains.map((h) => ({ site: s, host: h })));
  const checked = hosts.filter((h) => d.statuses.has(h.host)).length;
  const select = (name: 'rule' | 'site' | 'severity', options: [string, string][], value: string) =>
    html`<label for="domains-${name}">${DOMAIN_FIELDS[name]}<select id="domains-${name}" name="${name}"><option value="">全部</option>${options.map(
      ([k, v]) => html`<option value="${k}"${k === value ? html` selected` : ''}>${v}</option>`,
    )}</select></label>`;
  const body = html`<h1>域名管理</h1>
${notice ? html`<p class="${notice.ok ? 'ok' : 'err'}" role="${notice.ok ? 'status' : 'alert'}" id="domains-notice">${notice.text}</p>` : ''}
<p>按国家政府网站域名规范清查您管理的 ${d.sites.length} 个网站：违规 ${count('error')} 项，紧急 ${count('urgent')} 项，预警 ${count('warning')} 项。${hosts.length} 个域名中 ${checked} 个已检查解析和证书（每月自动检查）。变更主域名请提交 <a href="/admin/domains/requests">域名变更申请</a>。</p>
<form method="get" action="/admin/domains" class="filters" role="search" aria-label="筛选清查结果">
${select('rule', Object.entries(DOMAIN_RULES), d.query.rule)}
${select(
  'site',
  d.sites.map((s) => [s.id, s.name]),
  d.query.site,
)}
${select('severity', Object.entries(DOMAIN_SEVERITIES), d.query.severity)}
<button type="submit" class="secondary">筛选</button> <a href="/admin/domains.csv${queryString(d.query) ? `?${queryString(d.query)}` : ''}" id="domains-csv">导出 CSV</a></form>
<table id="domain-problems"><caption>清查结果（${shown.length} 项）</caption><thead><tr><th scope="col">网站</th><th scope="col">域名</th><th scope="col">规则</th><th scope="col">级别</th><th scope="col">说明</th></tr></thead><tbody>
${
  shown.length === 0
    ? html`<tr><td colspan="5">没有发现问题。</td></tr>`
    : shown.map(
        (p) =>
          html`<tr data-rule="${p.rule}"><td>${names.get(p.siteId) ?? p.siteId}</td><td>${p.host}</td><td>${DOMAIN_RULES[p.rule]}</td><td>${DOMAIN_SEVERITIES[p.severity]}</td><td>${p.message}</td></tr>`,
      )
}
</tbody></table>
<h2>解析和证书状态</h2>
<form method="post" action="/admin/domains/check" class="filters"><input type="hidden" name="csrf" value="${viewer.csrf}">
<label for="check-site">网站<select id="check-site" name="siteId">${d.sites.map(
    (s) => html`<option value="${s.id}"${s.id === d.query.site ? html` selected` : ''}>${s.name}</option>`,
  )}</select></label> <button type="submit" id="domains-check">立即检查</button></form>
<table id="domain-status"><caption>各域名最近一次检查（证书 ${CERT_ALERT_DAYS.warning} 天内到期预警，${CERT_ALERT_DAYS.urgent} 天内紧急）</caption><thead><tr><th scope="col">网站</th><th scope="col">域名</th><th scope="col">解析</th><th scope="col">证书到期</th><th scope="col">颁发机构</th><th scope="col">检查时间</th></tr></thead><tbody>
${hosts
  .filter((h) => !d.query.site || h.site.id === d.query.site)
  .map(({ site, host }) => {
    const st = d.statuses.get(host);
    return html`<tr data-host="${host}"><td>${site.name}</td><td>${host}${site.domains[0] === host ? html`<br><span class="meta">主域名</span>` : ''}</td><td>${dnsCell(st)}</td><td>${certCell(st, d.now)}</td><td>${st?.certIssuer ?? ''}</td><td>${st ? formatPublishTime(st.checkedAt) : ''}</td></tr>`;
  })}
</tbody></table>
${
  d.moved.length
    ? html`<table id="domain-moved"><caption>已迁出的域名（按页面 301 跳转到新域名）</caption><thead><tr><th scope="col">原域名</th><th scope="col">网站</th><th scope="col">跳转到</th></tr></thead><tbody>${d.moved.map(
        (m) => html`<tr><td>${m.host}</td><td>${names.get(m.siteId) ?? m.siteId}</td><td>${m.to}</td></tr>`,
      )}</tbody></table>`
    : ''
}`;
  return adminPage({ title: '域名管理', viewer, current: 'domains', body });
}

export function reportCsv(problems: readonly DomainProblem[], names: ReadonlyMap<string, string>): string {
  const lines = [['网站编号', '网站名称', '域名', '规则编号', '规则', '级别', '说明'].map(csvField).join(',')];
  for (const p of problems)
    lines.push([p.siteId, names.get(p.siteId) ?? '', p.host, p.rule, DOMAIN_RULES[p.rule], DOMAIN_SEVERITIES[p.severity], p.message].map(csvField).join(','));
  // A BOM, so spreadsheet programs read the Chinese as UTF-8.
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

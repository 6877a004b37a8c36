/**
 * /admin/domains/requests: file a domain change for a site one manages, and see and decide the requests of the
 * sites below (the unit above approves). Plain forms with the session's CSRF token; a refusal shows the page again
 * with the problem named by its field, what was typed kept.
 */
import { html } from 'hono/html';
import { DOMAIN_FIELDS, DOMAIN_REQUEST_STATES, type DomainField } from '@ywtc/cms-schema';
import { adminPage, shortTime, type Viewer } from '../admin/admin-layout.ts';
import type { ListedRequest } from './requests.ts';

export interface RequestsView {
  /** Sites the viewer may file for. */
  sites: { id: string; name: string; domain: string }[];
  requests: ListedRequest[];
  notice: string | null;
  error: { field: string; message: string } | null;
  /** What was typed into the filing form, kept after a refusal. */
  typed: { siteId?: string; newDomain?: string; reason?: string };
}

export const NOTICES: Record<string, string> = {
  filed: '申请已提交，等待上级单位审批。',
  approved: '已批准：新域名已启用，原域名按页面 301 跳转到新域名，网站已按新域名重新生成。',
  'approved-pending': '已批准：新域名已启用，原域名按页面 301 跳转到新域名；网站页面将在稍后按新域名重新生成。',
  rejected: '已驳回，申请人可在此页看到驳回理由。',
  checked: '检查完成。',
};

const fieldName = (f: string) => (Object.hasOwn(DOMAIN_FIELDS, f) ? DOMAIN_FIELDS[f as DomainField] : '表单');

export function requestsPage(viewer: Viewer, v: RequestsView) {
  const decideForm = (r: ListedRequest) =>
    html`<form method="post" action="/admin/domains/requests/${r.id}/decision" class="decision"><input type="hidden" name="csrf" value="${viewer.csrf}">
<fieldset><legend>审批：${r.siteName} 改用 ${r.newDomain}</legend>
<label><input type="radio" name="decision" value="approve" required> 批准</label>
<label><input type="radio" name="decision" value="reject"> 驳回</label>
<label for="comment-${r.id}">审批意见（驳回时必填）</label><textarea id="comment-${r.id}" name="comment" rows="2" maxlength="500"></textarea>
<button type="submit">提交审批</button></fieldset></form>`;
  const body = html`<h1>域名变更申请</h1>
${v.notice ? html`<p class="ok" role="status" id="requests-notice">${v.notice}</p>` : ''}
${v.error ? html`<p class="err" role="alert" id="requests-error">${fieldName(v.error.field)}：${v.error.message}</p>` : ''}
<p>网站更换主域名须由上级单位（上级网站的管理员或平台管理员）批准。批准后新域名立即生效，原域名的每个页面以 301 跳转到新域名的同一页面，网站按新域名重新生成。新域名须符合 <a href="/admin/domains">域名规范</a> 且未被其他网站使用。</p>
${
  v.sites.length
    ? html`<h2>提交申请</h2>
<form method="post" action="/admin/domains/requests" id="domain-request-form"><input type="hidden" name="csrf" value="${viewer.csrf}">
<label for="req-site">${DOMAIN_FIELDS.siteId}<select id="req-site" name="siteId">${v.sites.map(
        (s) => html`<option value="${s.id}"${s.id === v.typed.siteId ? html` selected` : ''}>${s.name}（${s.domain}）</option>`,
      )}</select></label>
<label for="req-domain">${DOMAIN_FIELDS.newDomain}<input id="req-domain" name="newDomain" required maxlength="253" value="${v.typed.newDomain ?? ''}"${v.error?.field === 'newDomain' ? html` aria-invalid="true"` : ''} autocomplete="off"></label>
<label for="req-reason">${DOMAIN_FIELDS.reason}<textarea id="req-reason" name="reason" required rows="3" maxlength="500"${v.error?.field === 'reason' ? html` aria-invalid="true"` : ''}>${v.typed.reason ?? ''}</textarea></label>
<button type="submit" id="domain-request-submit">提交申请</button></form>`
    : ''
}
<table id="domain-requests"><caption>申请记录（${v.requests.length} 项）</caption><thead><tr><th scope="col">网站</th><th scope="col">原域名</th><th scope="col">新域名</th><th scope="col">理由</th><th scope="col">申请</th><th scope="col">状态</th><th scope="col">审批</th></tr></thead><tbody>
${
  v.requests.length === 0
    ? html`<tr><td colspan="7">暂无申请。</td></tr>`
    : v.requests.map(
        (r) =>
          html`<tr data-request="${r.id}" data-state="${r.state}"><td>${r.siteName}</td><td>${r.oldDomain}</td><td>${r.newDomain}</td><td>${r.reason}</td><td>${r.requesterName}<br><span class="meta">${shortTime(r.requestedAt)}</span></td><td>${DOMAIN_REQUEST_STATES[r.state]}</td><td>${
            r.state === 'pending'
              ? r.decidable
                ? decideForm(r)
                : html`<span class="meta">等待上级单位审批</span>`
              : html`${r.deciderName ?? r.decidedBy ?? ''}<br><span class="meta">${shortTime(r.decidedAt)}</span>${r.comment ? html`<br>${r.comment}` : ''}`
          }</td></tr>`,
      )
}
</tbody></table>`;
  return adminPage({ title: '域名变更申请', viewer, current: 'domains', body });
}

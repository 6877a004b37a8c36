/**
 * The unit's own pages: 注册 (with the 统一社会信用代码 check), 登录, 我的单位 (applications and their
 * decisions, API keys — a new key shown once — and usage as a chart with a table), and the application form.
 * Plain forms, no script; each error names its field next to the control.
 */
import { html } from 'hono/html';
import { APPLICATION_STATUSES, MAX_DAILY_QUOTA, OPEN_TYPES, UNIT_STATUSES, type OpenApplication, type OpenInterface, type OpenUnit } from '@ywtc/cms-schema';
import { dailyChart, type ChartDay } from '../../admin/chart.ts';
import type { KeyInfo } from '../units.ts';
import type { UsageRow } from '../usage.ts';
import { portalPage, type PortalViewer } from './layout.ts';

export interface FormError {
  field: string;
  message: string;
}

const fieldError = (e: FormError | null, field: string) => (e?.field === field ? html`<span class="field-error" id="${field}-err">${e.message}</span>` : '');
const invalid = (e: FormError | null, field: string) => (e?.field === field ? html` aria-invalid="true" aria-describedby="${field}-err"` : '');
const summary = (e: FormError | null, labels: Record<string, string>) =>
  e ? html`<p class="err" role="alert">${labels[e.field] ?? e.field}：${e.message}</p>` : '';

const REGISTER_LABELS: Record<string, string> = {
  unitName: '单位名称',
  uscc: '统一社会信用代码',
  contactName: '联系人',
  contactPhone: '联系电话',
  contactEmail: '电子邮箱',
  purpose: '使用数据的目的',
  username: '用户名',
  password: '密码',
};

export function registerPage(values: Record<string, string>, error: FormError | null) {
  const input = (name: string, type = 'text', extra = '') =>
    html`<div class="field"><label for="f-${name}">${REGISTER_LABELS[name]}<span class="req">（必填）</span></label>
<input id="f-${name}" type="${type}" name="${name}" value="${type === 'password' ? '' : (values[name] ?? '')}" required${extra ? html` ${extra}` : ''}${invalid(error, name)}>${fieldError(error, name)}</div>`;
  const body = html`<h1>数据使用单位注册</h1>
<p>机关、事业单位、企业和社会组织可注册为数据使用单位。注册信息仅用于审批和联系，不会在任何接口中公开。</p>
${summary(error, REGISTER_LABELS)}
<form method="post" action="/open/register" novalidate>
${input('unitName', 'text', 'maxlength="60" autocomplete="organization"')}
${input('uscc', 'text', 'maxlength="18" inputmode="latin" autocapitalize="characters" aria-describedby="uscc-hint"')}<p class="hint meta" id="uscc-hint">18 位，见营业执照或登记证书；最后一位为校验位。</p>
${input('contactName', 'text', 'maxlength="20" autocomplete="name"')}
${input('contactPhone', 'tel', 'maxlength="20" autocomplete="tel"')}
${input('contactEmail', 'email', 'maxlength="100" autocomplete="email"')}
<div class="field"><label for="f-purpose">${REGISTER_LABELS.purpose}<span class="req">（必填）</span></label>
<textarea id="f-purpose" name="purpose" maxlength="500" required${invalid(error, 'purpose')}>${values.purpose ?? ''}</textarea>${fieldError(error, 'purpose')}</div>
${input('username', 'text', 'maxlength="40" autocomplete="username"')}
${input('password', 'password', 'minlength="10" maxlength="128" autocomplete="new-password" aria-describedby="pw-hint"')}<p class="hint meta" id="pw-hint">至少 10 位，须同时包含字母和数字。</p>
<button type="submit">注册</button></form>
<p>已有账号？<a href="/open/login">登录</a></p>`;
  return portalPage({ title: error ? '注册信息有误 - 单位注册' : '单位注册', current: 'register', body });
}

export function unitLoginPage(message: string | null, username: string, next: string, notice: string | null = null) {
  const body = html`<h1>数据使用单位登录</h1>
${notice ? html`<p class="ok" role="status">${notice}</p>` : ''}${message ? html`<p class="err" role="alert">${message}</p>` : ''}
<form method="post" action="/open/login"><input type="hidden" name="next" value="${next}">
<label>用户名<input type="text" name="username" value="${username}" required maxlength="40" autocomplete="username"></label>
<label>密码<input type="password" name="password" required maxlength="128" autocomplete="current-password"></label>
<button type="submit">登录</button></form>
<p>还没有账号？<a href="/open/register">单位注册</a>。本页账号与政府网站内容管理系统的账号相互独立。</p>`;
  return portalPage({ title: '登录', current: 'login', body });
}

export function applyPage(input: { viewer: PortalViewer; iface: OpenInterface; values: Record<string, string>; error: FormError | null; maxEndsOn: string }) {
  const i = input.iface;
  const e = input.error;
  const body = html`<p><a href="/open/catalogue/${i.code}">← 返回接口说明</a></p>
<h1>申请使用：${i.name}</h1>
<p>${i.code} · ${OPEN_TYPES[i.openType]} · 数据提供单位：${i.ownerName}</p>
${i.openType === 'conditional' ? html`<p class="warn">有条件开放：${i.conditionReason} 提交后由${i.ownerName}（或其上级单位）的网站管理员审批，审批结果显示在“我的单位”。</p>` : html`<p class="ok">无条件开放：提交后立即获批。</p>`}
${summary(e, { purpose: '用途', dailyQuota: '每日调用量', endsOn: '截止日期', code: '接口' })}
<form method="post" action="/open/apply/${i.code}"><input type="hidden" name="csrf" value="${input.viewer.csrf}">
<div class="field"><label for="f-purpose">用途<span class="req">（必填）</span></label><p class="hint" id="purpose-hint">说明数据用于什么、是否对外发布。</p>
<textarea id="f-purpose" name="purpose" maxlength="500" required aria-describedby="purpose-hint"${invalid(e, 'purpose')}>${input.values.purpose ?? ''}</textarea>${fieldError(e, 'purpose')}</div>
<div class="field"><label for="f-quota">每日调用量<span class="req">（必填）</span></label>
<input id="f-quota" type="number" name="dailyQuota" min="1" max="${MAX_DAILY_QUOTA}" value="${input.values.dailyQuota ?? '1000'}" required${invalid(e, 'dailyQuota')}>${fieldError(e, 'dailyQuota')}</div>
<div class="field"><label for="f-ends">截止日期<span class="req">（必填）</span></label>
<input id="f-ends" type="date" name="endsOn" max="${input.maxEndsOn}" value="${input.values.endsOn ?? input.maxEndsOn}" required${invalid(e, 'endsOn')}>${fieldError(e, 'endsOn')}</div>
<button type="submit">提交申请</button></form>`;
  return portalPage({ title: e ? `申请有误 - ${i.name}` : `申请 ${i.name}`, viewer: input.viewer, current: 'account', body });
}

export interface AccountPageInput {
  viewer: PortalViewer;
  unit: OpenUnit;
  applications: (OpenApplication & { interfaceName: string })[];
  keys: KeyInfo[];
  /** A key just made: shown this once. */
  newKey: string | null;
  usage: UsageRow[];
  days: ChartDay[];
  notice: string | null;
  error: string | null;
  now: Date;
}

const keyState = (k: KeyInfo, now: Date) => (k.revokedAt ? '已吊销' : Date.parse(k.expiresAt) <= now.getTime() ? '已过期' : '有效');
const cst = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

export function accountPage(input: AccountPageInput) {
  const u = input.unit;
  const csrf = input.viewer.csrf;
  const approved = input.applications.filter((a) => a.status === 'approved');
  const body = html`<h1>${u.name}</h1>
<p>统一社会信用代码 ${u.uscc} · 状态：${UNIT_STATUSES[u.status]}${u.suspendedReason ? `（${u.suspendedReason}）` : ''}</p>
${input.notice ? html`<p class="ok" role="status">${input.notice}</p>` : ''}${input.error ? html`<p class="err" role="alert">${input.error}</p>` : ''}
${
  input.newKey
    ? html`<section aria-labelledby="h-new"><h2 id="h-new">新密钥</h2><p class="warn"><strong>请立即复制并妥善保存，此密钥只显示这一次。</strong>平台只保存它的摘要，遗失后只能重新生成。调用时放在请求头 <code>X-Api-Key</code> 中，不要放在地址里。</p>
<p class="key" data-testid="new-key">${input.newKey}</p></section>`
    : ''
}
<section aria-labelledby="h-apps"><h2 id="h-apps">接口申请</h2>
${
  input.applications.length
    ? html`<table><caption>贵单位的申请（共 ${input.applications.length} 个，已批准 ${approved.length} 个）</caption>
<thead><tr><th scope="col">接口</th><th scope="col">每日调用量</th><th scope="col">截止日期</th><th scope="col">状态</th><th scope="col">审批意见</th></tr></thead>
<tbody>${input.applications.map(
        (a) =>
          html`<tr><th scope="row"><a href="/open/catalogue/${a.code}">${a.code} ${a.interfaceName}</a></th><td>${a.dailyQuota}</td><td>${a.endsOn}</td><td data-testid="app-status">${APPLICATION_STATUSES[a.status]}</td><td>${a.reason ?? ''}</td></tr>`,
      )}</tbody></table>`
    : html`<p>还没有申请。请在<a href="/open">开放目录</a>中选择接口申请。</p>`
}</section>
<section aria-labelledby="h-keys"><h2 id="h-keys">API 密钥</h2>
<p>一个密钥可调用贵单位全部已批准的接口，各接口按批准的每日调用量计数。密钥有效期一年，且不超过最晚一个申请的截止日期。轮换会立即吊销旧密钥。</p>
${
  input.keys.length
    ? html`<table><caption>密钥（只显示前几位）</caption><thead><tr><th scope="col">密钥</th><th scope="col">生成时间</th><th scope="col">到期时间</th><th scope="col">状态</th><th scope="col">操作</th></tr></thead>
<tbody>${input.keys.map((k) => {
        const live = keyState(k, input.now) === '有效';
        return html`<tr><th scope="row"><code>${k.prefix}…</code></th><td>${cst(k.createdAt)}</td><td>${cst(k.expiresAt)}</td><td data-testid="key-status">${keyState(k, input.now)}</td>
<td>${
          live
            ? html`<form method="post" action="/open/keys/${k.id}/rotate" class="actions"><input type="hidden" name="csrf" value="${csrf}"><button type="submit" class="secondary" aria-label="轮换密钥 ${k.prefix}">轮换</button></form>
<form method="post" action="/open/keys/${k.id}/revoke" class="actions"><input type="hidden" name="csrf" value="${csrf}"><button type="submit" class="secondary" aria-label="吊销密钥 ${k.prefix}">吊销</button></form>`
            : ''
        }</td></tr>`;
      })}</tbody></table>`
    : html`<p>还没有密钥。</p>`
}
${approved.length && u.status === 'active' ? html`<form method="post" action="/open/keys"><input type="hidden" name="csrf" value="${csrf}"><button type="submit">生成新密钥</button></form>` : html`<p class="meta">有获批的接口后才能生成密钥。</p>`}
</section>
<section aria-labelledby="h-usage"><h2 id="h-usage">调用情况（近 30 天）</h2>
<figure>${dailyChart(input.days, 'usage-chart', { main: '调用', second: '被拒绝' })}
<figcaption class="legend"><span class="searches"></span>成功调用（每日左侧柱）<span class="zero"></span>被拒绝（每日右侧斜纹柱，如超出调用量）</figcaption></figure>
<p><a href="/open/account/usage.csv">下载调用明细（CSV）</a></p>
<details><summary>查看调用明细表</summary>
${
  input.usage.length
    ? html`<table><caption>按日、接口的调用次数</caption><thead><tr><th scope="col">日期</th><th scope="col">接口</th><th scope="col">调用次数</th><th scope="col">被拒绝</th></tr></thead>
<tbody>${input.usage.map((r) => html`<tr><th scope="row">${r.day}</th><td>${r.code} ${r.interfaceName}</td><td>${r.calls}</td><td>${r.refused}</td></tr>`)}</tbody></table>`
    : html`<p>近 30 天没有调用。</p>`
}</details></section>`;
  return portalPage({ title: '我的单位', viewer: input.viewer, current: 'account', body });
}

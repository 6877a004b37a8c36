/**
 * /admin/import/switchover: the migrated sites and where each stands, and one site's switch-over — its state, the
 * hidden version, the inspector's verdict on it with the findings by kind, and a button for the next step (plain
 * POST forms with the session's CSRF token; no JavaScript).
 */
import { html } from 'hono/html';
import { FINDING_KINDS, SEVERITIES, type FindingKind } from '@ywtc/cms-schema';
import { adminPage, shortTime, type Viewer } from '../admin/admin-layout.ts';
import { SWITCHOVER_FIELDS, SWITCHOVER_STATES, SWITCHOVER_STEPS, type Switchover, type SwitchoverStep } from './switchover.ts';

export interface ListedSite {
  id: string;
  name: string;
  switchover: Pick<Switchover, 'state' | 'version' | 'updatedAt'> | null;
}

export function switchoverListPage(viewer: Viewer, sites: ListedSite[]) {
  const body = html`<h1>网站切换</h1>
<p>党委、纪委、人大、政协等网站迁入平台时，内容先导入到不公开的新版本，经检查合格后一次性上线。下表列出有导入来源或导入内容的网站。</p>
<table id="switchover-sites"><caption>迁移网站（${sites.length} 个）</caption><thead><tr><th scope="col">网站</th><th scope="col">状态</th><th scope="col">新版本</th><th scope="col">更新时间</th></tr></thead><tbody>
${
  sites.length === 0
    ? html`<tr><td colspan="4">暂无迁移网站。</td></tr>`
    : sites.map(
        (s) =>
          html`<tr><td><a href="/admin/import/switchover/${s.id}">${s.name}</a></td><td>${s.switchover ? SWITCHOVER_STATES[s.switchover.state] : '未开始'}</td><td>${s.switchover?.version ?? ''}</td><td>${shortTime(s.switchover?.updatedAt ?? null)}</td></tr>`,
      )
}
</tbody></table>
<p><a href="/admin/import/unmapped">未映射的旧网址</a></p>`;
  return adminPage({ title: '网站切换', viewer, body });
}

export interface SwitchoverView {
  site: { id: string; name: string; domain: string };
  switchover: Switchover | null;
  notice: string | null;
  error: { field: string | null; message: string } | null;
}

/** The next step and, once there is a version, 重新生成 (after fixing what the inspector found). */
function stepsFor(s: Switchover | null): { step: SwitchoverStep; again?: boolean; label: string }[] {
  if (!s) return [{ step: 'start', label: SWITCHOVER_STEPS.start }];
  switch (s.state) {
    case 'importing':
      return [{ step: 'render', label: SWITCHOVER_STEPS.render }];
    case 'rendered':
      return [
        { step: 'inspect', label: SWITCHOVER_STEPS.inspect },
        { step: 'render', again: true, label: '重新生成新版本' },
      ];
    case 'inspected':
      return [
        { step: 'activate', label: SWITCHOVER_STEPS.activate },
        { step: 'render', again: true, label: '重新生成新版本' },
      ];
    default:
      return [];
  }
}

const kindLabel = (k: string) => (Object.hasOwn(FINDING_KINDS, k) ? FINDING_KINDS[k as FindingKind].label : k);
const severityOf = (k: string) => (Object.hasOwn(FINDING_KINDS, k) ? SEVERITIES[FINDING_KINDS[k as FindingKind].severity] : '');

export function switchoverPage(viewer: Viewer, v: SwitchoverView) {
  const s = v.switchover;
  const inspection = s?.record?.inspection ?? null;
  const action = `/admin/import/switchover/${v.site.id}`;
  const vetoed = (inspection?.vetoes ?? 0) > 0;
  const form = (st: { step: SwitchoverStep; again?: boolean; label: string }) =>
    st.step === 'activate' && vetoed
      ? html`<form method="post" action="${action}" id="switchover-override"><input type="hidden" name="csrf" value="${viewer.csrf}"><input type="hidden" name="step" value="activate">
<fieldset><legend>强制上线（新版本存在单项否决问题）</legend>
<label for="override-reason">${SWITCHOVER_FIELDS.reason}（将记入审计日志）</label><textarea id="override-reason" name="reason" rows="3" maxlength="500" required${v.error?.field === 'reason' ? html` aria-invalid="true"` : ''}></textarea>
<button type="submit">强制上线</button></fieldset></form>`
      : html`<form method="post" action="${action}" class="inline"><input type="hidden" name="csrf" value="${viewer.csrf}"><input type="hidden" name="step" value="${st.step}">${st.again ? html`<input type="hidden" name="again" value="1">` : ''}<button type="submit" data-step="${st.step}${st.again ? '-again' : ''}">${st.label}</button></form>`;
  const kinds = inspection ? Object.entries(inspection.byKind).sort((a, b) => b[1] - a[1]) : [];
  const body = html`<h1>网站切换：${v.site.name}</h1>
${v.notice ? html`<p class="ok" role="status" id="switchover-notice">${v.notice}</p>` : ''}
${v.error ? html`<p class="err" role="alert" id="switchover-error">${v.error.field ? html`${SWITCHOVER_FIELDS[v.error.field as keyof typeof SWITCHOVER_FIELDS] ?? '表单'}：` : ''}${v.error.message}</p>` : ''}
<dl id="switchover-state">
<dt>状态</dt><dd data-state="${s?.state ?? 'none'}">${s ? SWITCHOVER_STATES[s.state] : '未开始'}</dd>
<dt>网站域名</dt><dd>${v.site.domain}</dd>
${s ? html`<dt>开始时间</dt><dd>${shortTime(s.startedAt)}</dd><dt>更新时间</dt><dd>${shortTime(s.updatedAt)}</dd>` : ''}
${s?.version ? html`<dt>新版本</dt><dd><code>${s.version}</code>（${s.record?.pointer.pageCount ?? 0} 个页面，基于上线版本 ${s.record?.base ?? '（无）'}）</dd>` : ''}
${s?.switchedBy ? html`<dt>上线操作人</dt><dd>${s.switchedBy}</dd>` : ''}
</dl>
<p>开始切换后，该网站的页面更新暂停（待上线时一并生效）；新版本生成后先经检查，合格后一次性上线，旧网址同时按页面跳转到新网站。</p>
${
  inspection
    ? html`<h2>检查结论</h2>
<p id="switchover-verdict">${vetoed ? html`<strong>单项否决 ${inspection.vetoes} 项：</strong>${inspection.vetoReasons.join('；')}` : html`得分 <strong>${inspection.score ?? ''}</strong>（扣分 ${inspection.deductions}）`}，检查页面 ${inspection.pages} 个，问题 ${inspection.findings} 个，未能检查 ${inspection.skipped} 个，检查时间 ${shortTime(inspection.at)}。</p>
${
  kinds.length
    ? html`<table id="switchover-kinds"><caption>问题类型</caption><thead><tr><th scope="col">问题</th><th scope="col">性质</th><th scope="col">数量</th></tr></thead><tbody>
${kinds.map(([k, n]) => html`<tr><td><a href="#kind-${k}">${kindLabel(k)}</a></td><td>${severityOf(k)}</td><td>${n}</td></tr>`)}</tbody></table>
${kinds.map(
  ([k]) =>
    html`<h3 id="kind-${k}">${kindLabel(k)}</h3><ul class="findings">${inspection.items
      .filter((i) => i.kind === k)
      .map((i) => html`<li><code>${i.url}</code> ${i.message}</li>`)}</ul>`,
)}${inspection.items.length < inspection.findings ? html`<p>仅列出前 ${inspection.items.length} 个问题（单项否决优先）。</p>` : ''}`
    : html`<p>未发现问题。</p>`
}`
    : ''
}
${stepsFor(s).length ? html`<h2>下一步</h2>${stepsFor(s).map(form)}` : ''}
<p><a href="/admin/import/switchover">返回迁移网站列表</a></p>`;
  return adminPage({ title: `网站切换：${v.site.name}`, viewer, body });
}

/**
 * One labelled control per derived form field (cms-schema form-fields.ts). Each control carries
 * `data-field` (the draft key), `data-widget` and `data-nullable`, which is all the page script needs to turn
 * the form back into a draft; errors from the API go into `#error-<field>`.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, cstDate, formatPublishTime, sanitizeHtml, type Attachment, type FormField } from '@ywtc/cms-schema';
import { POLICY_RESULTS, type PolicyOption } from '../cms/policy-search.ts';

/** The 解读 ↔ policy picker's state: what was searched (a GET of the page itself) and what it found. */
export interface PolicyPicker {
  query: string;
  results: PolicyOption[];
  current: PolicyOption | null;
}
/** The GET form the picker's search box and button belong to (outside the document form: forms do not nest). */
export const POLICY_SEARCH_FORM = 'policy-search';

const id = (f: FormField) => `field-${f.name}`;

function describedBy(f: FormField) {
  return f.description ? `hint-${f.name}` : null;
}

const common = (f: FormField, disabled: boolean) =>
  html` id="${id(f)}" name="${f.name}" data-field="${f.name}" data-widget="${f.widget}" data-nullable="${String(f.nullable)}"${f.required ? html` required aria-required="true"` : ''}${describedBy(f) ? html` aria-describedby="${describedBy(f)}"` : ''}${disabled ? html` disabled` : ''}`;
const lengths = (f: FormField) =>
  html`${f.maxLength !== undefined ? html` maxlength="${f.maxLength}"` : ''}${f.minLength ? html` minlength="${f.minLength}"` : ''}`;

const str = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));

export const formatSize = (bytes: number) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function attachmentItems(list: Attachment[], removable: boolean) {
  return list.map(
    (a) =>
      html`<li data-key="${a.key}" data-testid="attachment-item"><span class="name">${a.name}</span> <span class="meta">（${formatSize(a.size)}，${a.contentType}）</span>${removable ? html` <button type="button" class="secondary" data-remove-attachment="${a.key}" aria-label="移除附件 ${a.name}">移除</button>` : ''}</li>`,
  );
}

/** One choice of the picker: the title, then 发文字号, 发文机关 and 发布日期 to tell like titles apart. */
export function policyChoice(o: PolicyOption, checked: boolean, disabled: boolean, name: string) {
  const facts = [o.docNumber, o.issuer, o.publishedAt ? `${cstDate(o.publishedAt)} 发布` : o.live ? null : '尚未发布'].filter(Boolean).join('，');
  return html`<li><label class="choice"><input type="radio" name="${name}" value="${o.id}"${checked ? html` checked` : ''}${disabled ? html` disabled` : ''}> ${o.title}${facts ? html` <span class="meta">（${facts}）</span>` : ''}</label></li>`;
}

function policyControl(f: FormField, value: unknown, disabled: boolean, picker: PolicyPicker | undefined) {
  const current = typeof value === 'string' && value ? value : null;
  const results = (picker?.results ?? []).filter((o) => o.id !== current);
  const currentOption = current ? (picker?.current ?? { id: current, title: current, docNumber: null, issuer: null, publishedAt: null, live: false }) : null;
  const query = picker?.query ?? '';
  return html`<div class="policy-picker" id="${id(f)}" data-field="${f.name}" data-widget="policy" data-nullable="${String(f.nullable)}">
${
  disabled
    ? ''
    : html`<div class="search-row"><label for="${f.name}-q">查找政策文件（标题或发文字号）</label>
<input type="search" id="${f.name}-q" name="policyQ" form="${POLICY_SEARCH_FORM}" value="${query}" maxlength="100" autocomplete="off" data-policy-search>
<button type="submit" form="${POLICY_SEARCH_FORM}" class="secondary" id="${f.name}-search">查找</button></div>`
}
<ul class="choices" id="${f.name}-options" aria-label="${f.label}">${currentOption ? policyChoice(currentOption, true, disabled, f.name) : ''}${results.map((o) => policyChoice(o, false, disabled, f.name))}
<li><label class="choice"><input type="radio" name="${f.name}" value=""${current ? '' : html` checked`}${disabled ? html` disabled` : ''}> 不关联政策文件</label></li></ul>
<p class="meta" id="${f.name}-status" role="status" aria-live="polite">${query ? (results.length ? `找到 ${results.length} 个与“${query}”相关的政策文件${results.length >= POLICY_RESULTS ? `（只列出最新的 ${POLICY_RESULTS} 个，请输入更完整的标题或发文字号）` : ''}。` : `没有找到与“${query}”相关的已发布政策文件。`) : ''}</p></div>`;
}

function control(f: FormField, value: unknown, disabled: boolean, uploadable: boolean, picker?: PolicyPicker): HtmlEscapedString | Promise<HtmlEscapedString> {
  switch (f.widget) {
    case 'policy':
      return policyControl(f, value, disabled, picker);
    case 'select':
      return html`<select${common(f, disabled)}>${!f.required || f.nullable ? html`<option value="">（未选择）</option>` : ''}${(f.options ?? []).map((o) => html`<option value="${o.value}"${o.value === value ? html` selected` : ''}>${o.label}</option>`)}</select>`;
    case 'textarea':
      return html`<textarea${common(f, disabled)}${lengths(f)} rows="4">${str(value)}</textarea>`;
    case 'json':
      return html`<textarea${common(f, disabled)} rows="4">${value === undefined ? '' : JSON.stringify(value, null, 2)}</textarea>`;
    case 'checkboxes': {
      // The container carries the field; the boxes are read as a set (client/draft-form.ts).
      const chosen = new Set(Array.isArray(value) ? value.map(String) : []);
      return html`<div class="choices" id="${id(f)}" data-field="${f.name}" data-widget="checkboxes" data-nullable="false">${(f.options ?? []).map(
        (o) =>
          html`<label class="choice"><input type="checkbox" value="${o.value}" name="${f.name}"${chosen.has(o.value) ? html` checked` : ''}${disabled ? html` disabled` : ''}> ${o.label}</label>`,
      )}</div>`;
    }
    case 'group': {
      const group = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
      return html`<div class="group" id="${id(f)}" data-field="${f.name}" data-group="${f.name}" data-nullable="${String(f.nullable)}">${(f.children ?? []).map(
        (child): HtmlEscapedString | Promise<HtmlEscapedString> =>
          fieldBlock(child, group[child.name.slice(f.name.length + 1)], { disabled, uploadable: false }),
      )}</div>`;
    }
    case 'lines':
      return html`<textarea${common(f, disabled)} rows="4">${Array.isArray(value) ? value.join('\n') : ''}</textarea>`;
    case 'list':
      return html`<input type="text"${common(f, disabled)} value="${Array.isArray(value) ? value.join('，') : ''}" placeholder="多个请用逗号分隔">`;
    case 'date':
      return html`<input type="date"${common(f, disabled)} value="${str(value)}">`;
    // datetime-local shows a wall clock: the stored instant in China time (北京时间), not its UTC digits.
    case 'datetime':
      return html`<input type="datetime-local"${common(f, disabled)} value="${str(value) ? formatPublishTime(str(value)).replace(' ', 'T') : ''}">`;
    case 'url':
      return html`<input type="url"${common(f, disabled)}${lengths(f)} value="${str(value)}" placeholder="https://">`;
    case 'number':
      return html`<input type="number"${common(f, disabled)} value="${str(value)}">`;
    case 'checkbox':
      return html`<input type="checkbox"${common(f, disabled)}${value === true ? html` checked` : ''}>`;
    case 'richtext':
      return html`${
        disabled
          ? ''
          : html`<div class="toolbar" role="toolbar" aria-label="正文格式" aria-controls="${id(f)}">
<button type="button" data-command="p">段落</button><button type="button" data-command="h2">标题</button><button type="button" data-command="h3">小标题</button>
<button type="button" data-command="bold" aria-label="加粗"><b>加粗</b></button><button type="button" data-command="ul">列表</button><button type="button" data-command="ol">编号列表</button>
<button type="button" data-command="link">链接</button><button type="button" data-command="image">图片</button></div>
<div class="panel" id="link-panel" hidden><label>链接地址<input type="url" id="link-url" placeholder="https://"></label><button type="button" data-command="insert-link">插入链接</button> <button type="button" class="secondary" data-command="cancel">取消</button></div>
<div class="panel" id="image-panel" hidden><label>图片地址<input type="url" id="image-url" placeholder="https://"></label><label>替代文字（必填，供读屏软件朗读）<input type="text" id="image-alt" maxlength="200"></label><button type="button" data-command="insert-image">插入图片</button> <button type="button" class="secondary" data-command="cancel">取消</button></div>`
      }
<div class="richtext" id="${id(f)}" data-field="${f.name}" data-widget="richtext" data-nullable="false" role="textbox" aria-multiline="true" aria-labelledby="label-${f.name}"${describedBy(f) ? html` aria-describedby="${describedBy(f)}"` : ''} contenteditable="${disabled ? 'false' : 'true'}" tabindex="0">${raw(sanitizeHtml(str(value)) || '<p><br></p>')}</div>`;
    case 'attachments': {
      const list = (Array.isArray(value) ? value : []) as Attachment[];
      return html`<input type="hidden"${common(f, false)} value="${JSON.stringify(list)}">
<ul id="attachment-list" data-testid="attachment-list">${attachmentItems(list, !disabled)}</ul>${list.length === 0 ? html`<p class="meta" id="attachment-empty">暂无附件。</p>` : ''}
${
  uploadable
    ? html`<div class="panel" id="upload-panel"><label for="attachment-file">选择文件（${Object.keys(ATTACHMENT_TYPES).join('、')}，单个不超过 ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB）</label><input type="file" id="attachment-file" name="file" accept="${Object.keys(
        ATTACHMENT_TYPES,
      )
        .map((e) => `.${e}`)
        .join(',')}">
<button type="button" data-action="upload" id="upload-button">上传附件</button>
<label for="upload-progress">上传进度</label><progress id="upload-progress" max="100" value="0">0%</progress><p id="upload-status" role="status" aria-live="polite"></p></div>`
    : html`<p class="meta">${disabled ? '只有草稿可以上传附件。' : '保存文档后可上传附件。'}</p>`
}`;
    }
    default:
      return html`<input type="text"${common(f, disabled)}${lengths(f)} value="${str(value)}">`;
  }
}

/** The field, its label (a `label` element, or a labelled group for the editor and the attachment list), hint and error slot. */
export function fieldBlock(
  f: FormField,
  value: unknown,
  opts: { disabled: boolean; uploadable: boolean; policy?: PolicyPicker },
): HtmlEscapedString | Promise<HtmlEscapedString> {
  const grouped = f.widget === 'richtext' || f.widget === 'attachments' || f.widget === 'checkboxes' || f.widget === 'group' || f.widget === 'policy';
  const label = html`${f.label}${f.required ? html`<span class="req">（必填）</span>` : ''}`;
  return html`<div class="field" data-field-block="${f.name}"${grouped ? html` role="group" aria-labelledby="label-${f.name}"` : ''}>
${grouped ? html`<span class="label" id="label-${f.name}">${label}</span>` : html`<label for="${id(f)}" id="label-${f.name}">${label}</label>`}
${f.description ? html`<p class="hint" id="hint-${f.name}">${f.description}</p>` : ''}
${control(f, value, opts.disabled, opts.uploadable, opts.policy)}
<p class="field-error" id="error-${f.name}" hidden></p></div>`;
}

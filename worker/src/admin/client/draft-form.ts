/**
 * The editor form ↔ a draft: the form is derived from DraftSchema on the server (cms-schema form-fields.ts),
 * each control carrying its field name and widget; this reads them back into the JSON the API validates, and
 * marks the fields a 400 names.
 */
import { $, $$, describe, say } from './dom.ts';
import { api, type ApiIssue } from './api.ts';
import { docId, form, page, pageStatus, setRevision } from './page.ts';
import { refreshChecks } from './checks.ts';

type Control = HTMLInputElement & HTMLTextAreaElement & HTMLSelectElement;

export function readDraft(): Record<string, unknown> {
  const draft: Record<string, unknown> = {};
  if (!form) return draft;
  for (const el of $$<Control>('[data-field][data-widget]', form)) {
    const name = el.getAttribute('data-field')!;
    const widget = el.getAttribute('data-widget');
    const nullable = el.getAttribute('data-nullable') === 'true';
    let v: unknown;
    if (widget === 'richtext') v = el.innerHTML;
    else if (widget === 'attachments' || widget === 'json') {
      if (!el.value.trim()) v = nullable ? null : undefined;
      else {
        try {
          v = JSON.parse(el.value);
        } catch {
          v = el.value;
        }
      }
    } else if (widget === 'list')
      v = el.value
        .split(/[,，、;；\n]/)
        .map((s) => s.trim())
        .filter(Boolean);
    else if (widget === 'lines')
      v = el.value
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean);
    else if (widget === 'checkbox') v = el.checked;
    else if (widget === 'checkboxes') v = $$<HTMLInputElement>('input[type=checkbox]', el).flatMap((box) => (box.checked ? [box.value] : []));
    else if (widget === 'number') v = el.value === '' ? (nullable ? null : undefined) : Number(el.value);
    else if (widget === 'policy') v = $<HTMLInputElement>('input[type=radio]:checked', el)?.value || null;
    else v = el.value.trim() === '' && nullable ? null : el.value;
    if (v !== undefined) setField(draft, name, v);
  }
  // A group (办事指南要素) left wholly empty is no group at all: null when the schema allows it.
  for (const group of $$('[data-group]', form)) {
    const name = group.getAttribute('data-group')!;
    const value = draft[name] as Record<string, unknown> | undefined;
    const empty = !value || Object.values(value).every((v) => v === null || v === '' || (Array.isArray(v) && v.length === 0));
    if (empty && group.getAttribute('data-nullable') === 'true') draft[name] = null;
  }
  return draft;
}

/** `guide.place` → draft.guide.place: a group's fields are named after it. */
function setField(draft: Record<string, unknown>, name: string, v: unknown): void {
  const dot = name.indexOf('.');
  if (dot < 0) {
    draft[name] = v;
    return;
  }
  const head = name.slice(0, dot);
  const inner = (draft[head] ??= {}) as Record<string, unknown>;
  inner[name.slice(dot + 1)] = v;
}

export function clearErrors(): void {
  for (const p of $$('.field-error')) {
    p.hidden = true;
    p.textContent = '';
  }
  for (const el of $$('[aria-invalid]')) {
    el.removeAttribute('aria-invalid');
    describe(el, `error-${String(el.id).replace(/^field-/, '')}`, false);
  }
}

/** Marks each field an issue names (the first problem per field); returns the first to focus and what fits no field. */
export function showErrors(issues: ApiIssue[]): { first: HTMLElement | null; elsewhere: string[] } {
  let first: HTMLElement | null = null;
  const elsewhere: string[] = [];
  for (const i of issues) {
    const name = String(i.field || '')
      .replace(/^draft\./, '')
      .split('.')[0]!;
    const err = document.getElementById(`error-${name}`);
    const ctl = document.getElementById(`field-${name}`) as HTMLInputElement | null;
    if (!err || !ctl) {
      elsewhere.push(i.message);
      continue;
    }
    if (!err.hidden) continue;
    err.textContent = i.message;
    err.hidden = false;
    ctl.setAttribute('aria-invalid', 'true');
    describe(ctl, `error-${name}`, true);
    if (!first && ctl.type !== 'hidden') first = ctl;
  }
  return { first, elsewhere };
}

/** Someone else saved meanwhile: say so, keep the reader's text, and offer the latest version. */
export function showConflict(message?: string): void {
  const box = $('#conflict');
  if (!box) {
    say(pageStatus, message ?? '', 'err');
    return;
  }
  box.replaceChildren();
  const p = document.createElement('p');
  p.textContent = `文档已被他人修改，未能保存。${message ? `（${message}）` : ''}您在本页的修改仍然保留，请先复制需要保留的内容，再`;
  const a = document.createElement('a');
  a.href = location.pathname;
  a.id = 'conflict-reload';
  a.textContent = '重新加载最新版本';
  p.appendChild(a);
  p.appendChild(document.createTextNode('。'));
  box.appendChild(p);
  box.hidden = false;
  box.setAttribute('tabindex', '-1');
  box.focus();
}

/** Saves the form as a new document or a new revision; true when it was saved. */
export async function save(): Promise<boolean> {
  if (!form) return false;
  clearErrors();
  const box = $('#conflict');
  if (box) box.hidden = true;
  const draft = readDraft();
  const button = $<HTMLButtonElement>('#save-button');
  if (button) button.disabled = true;
  say(pageStatus, '正在保存…');
  const isNew = form.getAttribute('data-mode') === 'new';
  const res = isNew
    ? await api('POST', '/documents', { siteId: $<HTMLSelectElement>('#field-siteId')?.value, columnId: $<HTMLSelectElement>('#field-columnId')?.value, draft })
    : await api('PUT', `/documents/${encodeURIComponent(docId ?? '')}`, { revision: Number(form.getAttribute('data-revision')), draft });
  if (button) button.disabled = false;
  if (res.ok) {
    page.dirty = false;
    if (isNew) {
      location.assign(`/admin/documents/${encodeURIComponent(res.data.id ?? '')}?done=create`);
      return true;
    }
    setRevision(res.data.revision ?? 0);
    say(pageStatus, `已保存（修订 ${res.data.revision ?? ''}）`, 'ok');
    void refreshChecks();
    return true;
  }
  if (res.status === 409) {
    say(pageStatus, '');
    showConflict(res.data.message);
    return false;
  }
  if (res.status === 400) {
    const placed = showErrors(res.data.issues ?? [{ field: res.data.field ?? '', message: res.data.message ?? '' }]);
    say(pageStatus, `保存失败：有需要修改的内容${placed.elsewhere.length ? `：${placed.elsewhere.join('；')}` : '，见各字段下方的提示'}`, 'err');
    placed.first?.focus();
    return false;
  }
  if (res.status === 401) {
    say(pageStatus, '登录已过期：请在新窗口打开 /admin/login 重新登录后再保存（本页内容已保留）', 'err');
    return false;
  }
  say(pageStatus, `保存失败：${res.data.message ?? `服务器返回 ${res.status}`}`, 'err');
  return false;
}

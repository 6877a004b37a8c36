/** A workflow step's button (editor page and review queue): its inputs, a save and the checks before a submission, the step. */
import { $, $$, say } from './dom.ts';
import { api } from './api.ts';
import { docId, form, page, pageStatus } from './page.ts';
import { save } from './draft-form.ts';
import { refreshChecks, renderChecks } from './checks.ts';

export const STEPS = new Set(['submit', 'approve', 'reject', 'publish', 'schedule', 'withdraw', 'reopen']);

export async function runStep(btn: HTMLButtonElement): Promise<void> {
  const action = btn.getAttribute('data-action')!;
  const box = btn.closest<HTMLElement>('[data-document-id]');
  if (!box) return;
  const id = box.getAttribute('data-document-id')!;
  const status = $('#workflow-status', box) ?? $('.row-status', box) ?? pageStatus;
  const body: Record<string, string> = {};
  let missing: HTMLInputElement | null = null;
  for (const el of $$<HTMLInputElement>(`[data-for="${action}"]`, box)) {
    const v = el.value.trim();
    el.removeAttribute('aria-invalid');
    if (!v) {
      if (el.required && !missing) missing = el;
      continue;
    }
    // A datetime-local value is a wall clock in the browser's zone; sent as an instant.
    body[el.getAttribute('data-input')!] = el.getAttribute('data-input') === 'at' ? new Date(v).toISOString() : v;
  }
  if (missing) {
    const label = document.querySelector(`label[for="${missing.id}"]`);
    say(status, `请填写${label ? (label.textContent ?? '').replace(/（必填.*$/, '') : '必填项'}`, 'err');
    missing.setAttribute('aria-invalid', 'true');
    missing.focus();
    return;
  }
  if (action === 'submit' && form && docId) {
    if (page.dirty && !(await save())) return;
    const report = await refreshChecks();
    if (report?.errors?.length) {
      say(status, `有 ${report.errors.length} 个问题必须先修改（见“发布前检查”），修改保存后再提交。`, 'err');
      return;
    }
  }
  btn.disabled = true;
  say(status, '正在处理…');
  const res = await api('POST', `/documents/${encodeURIComponent(id)}/${action}`, body);
  btn.disabled = false;
  if (!res.ok) {
    if (res.data.errors) renderChecks(res.data);
    say(status, res.data.message ?? `操作失败（${res.status}）`, 'err');
    return;
  }
  if (box.tagName === 'TR') {
    for (const el of $$<HTMLButtonElement | HTMLTextAreaElement>('button, textarea', box)) el.disabled = true;
    box.setAttribute('data-done', action);
    say(status, action === 'approve' ? (res.data.state === 'review' ? `已通过，转第 ${res.data.level ?? ''} 级审核` : '已通过，待发布') : '已退回编辑', 'ok');
    return;
  }
  location.assign(`${location.pathname}?done=${action}`);
}

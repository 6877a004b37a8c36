/**
 * The admin pages' one script (bundled by esbuild into /admin/assets/admin.js; the CSP allows no inline
 * script): it turns the derived form back into a draft, talks to /api/cms with the session's CSRF token, and
 * only ever writes text into the page. Pages work without it where they can (plain forms); the editor needs it.
 */
import { $, say } from './dom.ts';
import { api } from './api.ts';
import { form, page, pageStatus } from './page.ts';
import { save } from './draft-form.ts';
import { refreshChecks } from './checks.ts';
import { STEPS, runStep } from './workflow.ts';
import { readAttachments, renderAttachments, upload } from './attachments.ts';
import { command } from './richtext.ts';
import './policy-picker.ts';

if (form) {
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void save();
  });
  form.addEventListener('input', () => {
    page.dirty = true;
  });
  const column = $<HTMLSelectElement>('#field-columnId');
  const kind = $<HTMLSelectElement>('#field-kind');
  // A column of a kind (政策文件 …) suggests that document kind.
  if (column && kind)
    column.addEventListener('change', () => {
      const k = column.selectedOptions[0]?.getAttribute('data-kind');
      if (k && $(`option[value="${k}"]`, kind)) kind.value = k;
    });
  window.addEventListener('beforeunload', (e) => {
    if (page.dirty) e.preventDefault();
  });
}

const DONE: Record<string, string> = {
  create: '草稿已创建，可以继续编辑、上传附件',
  submit: '已提交审核',
  approve: '已审核通过',
  reject: '已退回',
  publish: '已发布',
  schedule: '已设置定时发布',
  withdraw: '已撤回',
  reopen: '已恢复为草稿',
  restore: '已用所选修订的内容生成新修订',
};
const done = new URLSearchParams(location.search).get('done');
if (done && Object.hasOwn(DONE, done)) say(pageStatus, DONE[done]!, 'ok');

document.addEventListener('click', (e) => {
  const t = (e.target as Element | null)?.closest?.<HTMLButtonElement>('button');
  if (!t) return;
  const action = t.getAttribute('data-action');
  const cmd = t.getAttribute('data-command');
  const rm = t.getAttribute('data-remove-attachment');
  if (cmd) {
    e.preventDefault();
    command(cmd);
  } else if (rm) {
    renderAttachments(readAttachments().filter((a) => a.key !== rm));
    page.dirty = true;
    say($('#upload-status') ?? pageStatus, '附件已移除，保存后生效');
  } else if (action === 'upload') upload();
  else if (action === 'checks') void refreshChecks().then((r) => say(pageStatus, r ? '检查完成' : '检查失败'));
  else if (action === 'restore') {
    const box = t.closest('[data-document-id]');
    const id = box?.getAttribute('data-document-id');
    if (!box || !id) return;
    void api('POST', `/documents/${encodeURIComponent(id)}/restore`, {
      revision: Number(box.getAttribute('data-revision')),
      from: Number(t.getAttribute('data-from')),
    }).then((res) => {
      if (res.ok) location.assign(`/admin/documents/${encodeURIComponent(id)}?done=restore`);
      else say(pageStatus, `恢复失败：${res.data.message ?? res.status}`, 'err');
    });
  } else if (action && STEPS.has(action)) void runStep(t);
});

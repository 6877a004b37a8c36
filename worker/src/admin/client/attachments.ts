/** Attachments on the editor page: the list (a hidden JSON field of the draft), and uploads with a progress bar. */
import { $, say } from './dom.ts';
import { csrf } from './api.ts';
import { docId, form, setRevision } from './page.ts';
import { showConflict } from './draft-form.ts';

/** An attachment as the draft lists it (cms-schema AttachmentSchema; the server checks it again). */
interface Attachment {
  name: string;
  key: string;
  contentType: string;
  size: number;
  sha256: string;
}

const input = () => $<HTMLInputElement>('#field-attachments');

export function readAttachments(): Attachment[] {
  const el = input();
  try {
    return el?.value ? (JSON.parse(el.value) as Attachment[]) : [];
  } catch {
    return [];
  }
}

const sizeText = (n: number) => (n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1048576).toFixed(1)} MB`);

export function renderAttachments(list: Attachment[]): void {
  const el = input();
  if (!el) return;
  el.value = JSON.stringify(list);
  const ul = $('#attachment-list');
  ul?.replaceChildren();
  const empty = $('#attachment-empty');
  if (empty) empty.hidden = list.length > 0;
  for (const a of list) {
    const li = document.createElement('li');
    li.setAttribute('data-key', a.key);
    li.setAttribute('data-testid', 'attachment-item');
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = a.name;
    li.appendChild(name);
    const m = document.createElement('span');
    m.className = 'meta';
    m.textContent = ` （${sizeText(a.size)}，${a.contentType}）`;
    li.appendChild(m);
    const rm = document.createElement('button');
    rm.type = 'button';
    rm.className = 'secondary';
    rm.textContent = '移除';
    rm.setAttribute('data-remove-attachment', a.key);
    rm.setAttribute('aria-label', `移除附件 ${a.name}`);
    li.appendChild(document.createTextNode(' '));
    li.appendChild(rm);
    ul?.appendChild(li);
  }
}

/** Uploads the chosen file into a new revision (XMLHttpRequest: fetch reports no upload progress). */
export function upload(): void {
  const file = $<HTMLInputElement>('#attachment-file');
  const progress = $<HTMLProgressElement>('#upload-progress');
  const status = $('#upload-status');
  const chosen = file?.files?.[0];
  if (!chosen || !form || !docId || !progress) {
    say(status, '请先选择要上传的文件', 'err');
    file?.focus();
    return;
  }
  const data = new FormData();
  data.append('file', chosen);
  data.append('revision', form.getAttribute('data-revision') ?? '');
  const xhr = new XMLHttpRequest();
  xhr.open('POST', `/api/cms/documents/${encodeURIComponent(docId)}/attachments`);
  xhr.setRequestHeader('X-CSRF-Token', csrf);
  const button = $<HTMLButtonElement>('#upload-button');
  if (button) button.disabled = true;
  progress.value = 0;
  progress.textContent = '0%';
  say(status, `正在上传“${chosen.name}”…`);
  xhr.upload.onprogress = (e) => {
    if (!e.lengthComputable) return;
    const pct = Math.round((e.loaded / e.total) * 100);
    progress.value = pct;
    progress.textContent = `${pct}%`;
    say(status, `正在上传“${chosen.name}”：${pct}%`);
  };
  xhr.onload = () => {
    if (button) button.disabled = false;
    let res: { attachment?: Attachment; document?: { revision: number }; message?: string } = {};
    try {
      res = JSON.parse(xhr.responseText) as typeof res;
    } catch {
      res = {};
    }
    if (xhr.status === 201 && res.attachment && res.document) {
      const added = res.attachment;
      progress.value = 100;
      progress.textContent = '100%';
      setRevision(res.document.revision);
      renderAttachments([...readAttachments().filter((a) => a.key !== added.key), added]);
      file.value = '';
      say(status, `“${added.name}”上传成功（修订 ${res.document.revision}）`, 'ok');
    } else if (xhr.status === 409) {
      say(status, res.message ?? '文档已被他人修改', 'err');
      showConflict(res.message);
    } else say(status, `上传失败：${res.message ?? `服务器返回 ${xhr.status}`}`, 'err');
  };
  xhr.onerror = () => {
    if (button) button.disabled = false;
    say(status, '网络错误，上传失败', 'err');
  };
  xhr.send(data);
}

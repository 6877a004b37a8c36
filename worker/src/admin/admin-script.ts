/**
 * The admin pages' one script (served as /admin/assets/admin.js; the CSP allows no inline script). Vanilla
 * JS, no build step: it turns the derived form back into a draft, talks to /api/cms with the session's CSRF
 * token from <meta name="csrf-token">, and only ever writes text into the page (textContent, never
 * innerHTML from a response) — the rich-text editor's own HTML is what the server sanitizes.
 */
export const ADMIN_SCRIPT = String.raw`(function () {
'use strict';
var meta = document.querySelector('meta[name="csrf-token"]');
var csrf = meta ? meta.getAttribute('content') : '';
var $ = function (sel, root) { return (root || document).querySelector(sel); };
var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
var STEPS = { submit: 1, approve: 1, reject: 1, publish: 1, schedule: 1, withdraw: 1, reopen: 1 };

function api(method, path, body) {
  var init = { method: method, credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf, 'Accept': 'application/json' } };
  if (body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
  return fetch('/api/cms' + path, init).then(function (res) {
    return res.json().catch(function () { return {}; }).then(function (data) { return { ok: res.ok, status: res.status, data: data || {} }; });
  }, function () { return { ok: false, status: 0, data: { message: '网络连接失败，请检查网络后重试（本页内容已保留）' } }; });
}
function say(el, text, kind) { if (!el) return; el.textContent = text; el.classList.remove('ok', 'err'); if (kind) el.classList.add(kind); }
function labelOf(field) {
  var l = document.getElementById('label-' + field);
  return l && l.firstChild ? String(l.firstChild.textContent).trim() : field;
}

var form = $('#document-form');
var pageStatus = $('#page-status');
var dirty = false;
var docId = form ? form.getAttribute('data-document-id') : null;

// ---- form <-> draft ----
function readDraft() {
  var draft = {};
  $$('[data-field][data-widget]', form).forEach(function (el) {
    var name = el.getAttribute('data-field'), w = el.getAttribute('data-widget'), nullable = el.getAttribute('data-nullable') === 'true';
    var v;
    if (w === 'richtext') v = el.innerHTML;
    else if (w === 'attachments' || w === 'json') { if (!el.value.trim()) v = nullable ? null : undefined; else { try { v = JSON.parse(el.value); } catch (e) { v = el.value; } } }
    else if (w === 'list') v = el.value.split(/[,，、;；\n]/).map(function (s) { return s.trim(); }).filter(Boolean);
    else if (w === 'checkbox') v = el.checked;
    else if (w === 'number') v = el.value === '' ? (nullable ? null : undefined) : Number(el.value);
    else v = el.value.trim() === '' && nullable ? null : el.value;
    if (v !== undefined) draft[name] = v;
  });
  return draft;
}
function setRevision(n) {
  if (!form) return;
  form.setAttribute('data-revision', String(n));
  var r = $('#doc-revision'); if (r) r.textContent = String(n);
  $$('[data-document-id][data-revision]').forEach(function (el) { el.setAttribute('data-revision', String(n)); });
}

// ---- field errors ----
function describe(el, id, on) {
  var ids = (el.getAttribute('aria-describedby') || '').split(/\s+/).filter(function (x) { return x && x !== id; });
  if (on) ids.push(id);
  if (ids.length) el.setAttribute('aria-describedby', ids.join(' ')); else el.removeAttribute('aria-describedby');
}
function clearErrors() {
  $$('.field-error').forEach(function (p) { p.hidden = true; p.textContent = ''; });
  $$('[aria-invalid]').forEach(function (el) { el.removeAttribute('aria-invalid'); describe(el, 'error-' + String(el.id).replace(/^field-/, ''), false); });
}
function showErrors(issues) {
  var first = null, elsewhere = [];
  issues.forEach(function (i) {
    var name = String(i.field || '').replace(/^draft\./, '').split('.')[0];
    var err = document.getElementById('error-' + name), ctl = document.getElementById('field-' + name);
    if (!err || !ctl) { elsewhere.push(i.message); return; }
    if (!err.hidden) return; // the first problem per field
    err.textContent = i.message; err.hidden = false;
    ctl.setAttribute('aria-invalid', 'true'); describe(ctl, 'error-' + name, true);
    if (!first && ctl.type !== 'hidden') first = ctl;
  });
  return { first: first, elsewhere: elsewhere };
}
function showConflict(message) {
  var box = $('#conflict'); if (!box) { say(pageStatus, message, 'err'); return; }
  box.replaceChildren();
  var p = document.createElement('p');
  p.textContent = '文档已被他人修改，未能保存。' + (message ? '（' + message + '）' : '') + '您在本页的修改仍然保留，请先复制需要保留的内容，再';
  var a = document.createElement('a'); a.href = location.pathname; a.id = 'conflict-reload'; a.textContent = '重新加载最新版本';
  p.appendChild(a); p.appendChild(document.createTextNode('。'));
  box.appendChild(p); box.hidden = false; box.setAttribute('tabindex', '-1'); box.focus();
}

// ---- save ----
function save() {
  clearErrors();
  var box = $('#conflict'); if (box) box.hidden = true;
  var draft = readDraft();
  var button = $('#save-button'); if (button) button.disabled = true;
  say(pageStatus, '正在保存…');
  var req = form.getAttribute('data-mode') === 'new'
    ? api('POST', '/documents', { siteId: $('#field-siteId').value, columnId: $('#field-columnId').value, draft: draft })
    : api('PUT', '/documents/' + encodeURIComponent(docId), { revision: Number(form.getAttribute('data-revision')), draft: draft });
  return req.then(function (res) {
    if (button) button.disabled = false;
    if (res.ok) {
      dirty = false;
      if (form.getAttribute('data-mode') === 'new') { location.assign('/admin/documents/' + encodeURIComponent(res.data.id) + '?done=create'); return true; }
      setRevision(res.data.revision);
      say(pageStatus, '已保存（修订 ' + res.data.revision + '）', 'ok');
      refreshChecks();
      return true;
    }
    if (res.status === 409) { say(pageStatus, ''); showConflict(res.data.message); return false; }
    if (res.status === 400) {
      var placed = showErrors(res.data.issues || [{ field: res.data.field, message: res.data.message }]);
      say(pageStatus, '保存失败：有需要修改的内容' + (placed.elsewhere.length ? '：' + placed.elsewhere.join('；') : '，见各字段下方的提示'), 'err');
      if (placed.first) placed.first.focus();
      return false;
    }
    if (res.status === 401) { say(pageStatus, '登录已过期：请在新窗口打开 /admin/login 重新登录后再保存（本页内容已保留）', 'err'); return false; }
    say(pageStatus, '保存失败：' + (res.data.message || ('服务器返回 ' + res.status)), 'err');
    return false;
  });
}

// ---- pre-publish checks ----
function renderChecks(report) {
  var box = $('#checks'); if (!box) return;
  box.replaceChildren();
  function list(title, items, cls, testid) {
    var div = document.createElement('div'); div.className = cls; div.setAttribute('data-testid', testid);
    var h = document.createElement('h3'); h.textContent = title + '（' + items.length + '）'; div.appendChild(h);
    var ul = document.createElement('ul');
    items.forEach(function (i) { var li = document.createElement('li'); li.setAttribute('data-field', i.field); li.textContent = labelOf(i.field) + '：' + i.message + (i.excerpt ? '（“' + i.excerpt + '”）' : ''); ul.appendChild(li); });
    div.appendChild(ul); box.appendChild(div);
  }
  if (report.errors && report.errors.length) list('必须修改', report.errors, 'err', 'check-errors');
  else { var ok = document.createElement('p'); ok.className = 'ok'; ok.setAttribute('data-testid', 'check-ok'); ok.textContent = '没有必须修改的问题。'; box.appendChild(ok); }
  if (report.warnings && report.warnings.length) list('建议检查', report.warnings, 'warn', 'check-warnings');
}
function refreshChecks() {
  if (!docId || !$('#checks')) return Promise.resolve(null);
  return api('GET', '/documents/' + encodeURIComponent(docId) + '/checks').then(function (res) { if (res.ok) { renderChecks(res.data); return res.data; } return null; });
}

// ---- workflow steps (editor page and review queue) ----
function runStep(btn) {
  var action = btn.getAttribute('data-action');
  var box = btn.closest('[data-document-id]'); if (!box) return;
  var id = box.getAttribute('data-document-id');
  var status = $('#workflow-status', box) || $('.row-status', box) || pageStatus;
  var body = {}, missing = null;
  $$('[data-for="' + action + '"]', box).forEach(function (el) {
    var v = el.value.trim();
    el.removeAttribute('aria-invalid');
    if (!v) { if (el.required && !missing) missing = el; return; }
    body[el.getAttribute('data-input')] = el.getAttribute('data-input') === 'at' ? new Date(v).toISOString() : v;
  });
  if (missing) {
    var label = document.querySelector('label[for="' + missing.id + '"]');
    say(status, '请填写' + (label ? label.textContent.replace(/（必填.*$/, '') : '必填项'), 'err');
    missing.setAttribute('aria-invalid', 'true'); missing.focus();
    return;
  }
  var before = Promise.resolve(true);
  if (action === 'submit' && form && docId) {
    before = (dirty ? save() : Promise.resolve(true)).then(function (saved) {
      if (!saved) return false;
      return refreshChecks().then(function (report) {
        if (report && report.errors.length) { say(status, '有 ' + report.errors.length + ' 个问题必须先修改（见“发布前检查”），修改保存后再提交。', 'err'); return false; }
        return true;
      });
    });
  }
  before.then(function (go) {
    if (!go) return;
    btn.disabled = true; say(status, '正在处理…');
    return api('POST', '/documents/' + encodeURIComponent(id) + '/' + action, body).then(function (res) {
      btn.disabled = false;
      if (!res.ok) {
        if (res.data.errors) renderChecks(res.data);
        say(status, (res.data.message || ('操作失败（' + res.status + '）')), 'err');
        return;
      }
      if (box.tagName === 'TR') {
        $$('button, textarea', box).forEach(function (el) { el.disabled = true; });
        box.setAttribute('data-done', action);
        say(status, action === 'approve' ? (res.data.state === 'review' ? '已通过，转第 ' + res.data.level + ' 级审核' : '已通过，待发布') : '已退回编辑', 'ok');
        return;
      }
      location.assign(location.pathname + '?done=' + action);
    });
  });
}

// ---- attachments ----
function attachmentsInput() { return $('#field-attachments'); }
function readAttachments() { var el = attachmentsInput(); try { return el && el.value ? JSON.parse(el.value) : []; } catch (e) { return []; } }
function sizeText(n) { return n < 1024 ? n + ' B' : n < 1048576 ? (n / 1024).toFixed(1) + ' KB' : (n / 1048576).toFixed(1) + ' MB'; }
function renderAttachments(list) {
  var el = attachmentsInput(); if (!el) return;
  el.value = JSON.stringify(list);
  var ul = $('#attachment-list'); ul.replaceChildren();
  var empty = $('#attachment-empty'); if (empty) empty.hidden = list.length > 0;
  list.forEach(function (a) {
    var li = document.createElement('li'); li.setAttribute('data-key', a.key); li.setAttribute('data-testid', 'attachment-item');
    var name = document.createElement('span'); name.className = 'name'; name.textContent = a.name; li.appendChild(name);
    var m = document.createElement('span'); m.className = 'meta'; m.textContent = ' （' + sizeText(a.size) + '，' + a.contentType + '）'; li.appendChild(m);
    var rm = document.createElement('button'); rm.type = 'button'; rm.className = 'secondary'; rm.textContent = '移除';
    rm.setAttribute('data-remove-attachment', a.key); rm.setAttribute('aria-label', '移除附件 ' + a.name); li.appendChild(document.createTextNode(' ')); li.appendChild(rm);
    ul.appendChild(li);
  });
}
function upload() {
  var input = $('#attachment-file'), progress = $('#upload-progress'), status = $('#upload-status');
  var file = input && input.files && input.files[0];
  if (!file) { say(status, '请先选择要上传的文件', 'err'); if (input) input.focus(); return; }
  var data = new FormData(); data.append('file', file); data.append('revision', form.getAttribute('data-revision'));
  var xhr = new XMLHttpRequest();
  xhr.open('POST', '/api/cms/documents/' + encodeURIComponent(docId) + '/attachments');
  xhr.setRequestHeader('X-CSRF-Token', csrf);
  var button = $('#upload-button'); if (button) button.disabled = true;
  progress.value = 0; progress.textContent = '0%'; say(status, '正在上传“' + file.name + '”…');
  xhr.upload.onprogress = function (e) {
    if (!e.lengthComputable) return;
    var pct = Math.round(e.loaded / e.total * 100);
    progress.value = pct; progress.textContent = pct + '%'; say(status, '正在上传“' + file.name + '”：' + pct + '%');
  };
  xhr.onload = function () {
    if (button) button.disabled = false;
    var res = {}; try { res = JSON.parse(xhr.responseText); } catch (e) { res = {}; }
    if (xhr.status === 201) {
      progress.value = 100; progress.textContent = '100%';
      setRevision(res.document.revision);
      renderAttachments(readAttachments().filter(function (a) { return a.key !== res.attachment.key; }).concat([res.attachment]));
      input.value = '';
      say(status, '“' + res.attachment.name + '”上传成功（修订 ' + res.document.revision + '）', 'ok');
    } else if (xhr.status === 409) { say(status, res.message || '文档已被他人修改', 'err'); showConflict(res.message); }
    else say(status, '上传失败：' + (res.message || ('服务器返回 ' + xhr.status)), 'err');
  };
  xhr.onerror = function () { if (button) button.disabled = false; say(status, '网络错误，上传失败', 'err'); };
  xhr.send(data);
}

// ---- rich text ----
var editor = $('.richtext[contenteditable="true"]');
var savedRange = null;
if (editor) { try { document.execCommand('defaultParagraphSeparator', false, 'p'); } catch (e) { /* older engines */ } }
document.addEventListener('selectionchange', function () {
  var sel = window.getSelection();
  if (editor && sel && sel.rangeCount && editor.contains(sel.anchorNode)) savedRange = sel.getRangeAt(0).cloneRange();
});
function restoreSelection() {
  editor.focus();
  if (!savedRange) return;
  var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(savedRange);
}
function panel(id, show) { var p = document.getElementById(id); if (p) p.hidden = !show; }
function command(name) {
  if (!editor) return;
  var blocks = { p: 'p', h2: 'h2', h3: 'h3' }, simple = { bold: 'bold', ul: 'insertUnorderedList', ol: 'insertOrderedList' };
  if (blocks[name]) { restoreSelection(); document.execCommand('formatBlock', false, blocks[name]); }
  else if (simple[name]) { restoreSelection(); document.execCommand(simple[name], false); }
  else if (name === 'link') { panel('image-panel', false); panel('link-panel', true); $('#link-url').focus(); return; }
  else if (name === 'image') { panel('link-panel', false); panel('image-panel', true); $('#image-url').focus(); return; }
  else if (name === 'insert-link') {
    var url = $('#link-url').value.trim();
    if (!/^(https?:\/\/|\/|mailto:|tel:|#)/i.test(url)) { say(pageStatus, '链接地址须以 http://、https:// 或 / 开头', 'err'); $('#link-url').focus(); return; }
    restoreSelection(); document.execCommand('createLink', false, url); panel('link-panel', false); $('#link-url').value = '';
  } else if (name === 'insert-image') {
    var src = $('#image-url').value.trim(), alt = $('#image-alt').value.trim();
    if (!/^(https?:\/\/|\/)/i.test(src)) { say(pageStatus, '图片地址须以 http://、https:// 或 / 开头', 'err'); $('#image-url').focus(); return; }
    if (!alt) { say(pageStatus, '请填写图片的替代文字', 'err'); $('#image-alt').focus(); return; }
    restoreSelection();
    var img = document.createElement('img'); img.src = src; img.alt = alt;
    var sel = window.getSelection();
    if (sel.rangeCount && editor.contains(sel.anchorNode)) { var r = sel.getRangeAt(0); r.deleteContents(); r.insertNode(img); } else editor.appendChild(img);
    panel('image-panel', false); $('#image-url').value = ''; $('#image-alt').value = '';
  } else if (name === 'cancel') { panel('link-panel', false); panel('image-panel', false); }
  dirty = true;
  editor.focus();
}

// ---- wiring ----
if (form) {
  form.addEventListener('submit', function (e) { e.preventDefault(); save(); });
  form.addEventListener('input', function () { dirty = true; });
  var column = $('#field-columnId'), kind = $('#field-kind');
  if (column && kind) column.addEventListener('change', function () {
    var k = column.selectedOptions[0] && column.selectedOptions[0].getAttribute('data-kind');
    if (k && $('option[value="' + k + '"]', kind)) kind.value = k;
  });
  window.addEventListener('beforeunload', function (e) { if (dirty) { e.preventDefault(); e.returnValue = ''; } });
}
var done = new URLSearchParams(location.search).get('done');
var DONE = { create: '草稿已创建，可以继续编辑、上传附件', submit: '已提交审核', approve: '已审核通过', reject: '已退回', publish: '已发布', schedule: '已设置定时发布', withdraw: '已撤回', reopen: '已恢复为草稿', restore: '已用所选修订的内容生成新修订' };
if (done && DONE[done]) say(pageStatus, DONE[done], 'ok');

document.addEventListener('click', function (e) {
  var t = e.target.closest ? e.target.closest('button') : null;
  if (!t) return;
  var action = t.getAttribute('data-action'), cmd = t.getAttribute('data-command'), rm = t.getAttribute('data-remove-attachment');
  if (cmd) { e.preventDefault(); command(cmd); }
  else if (rm) { renderAttachments(readAttachments().filter(function (a) { return a.key !== rm; })); dirty = true; say($('#upload-status') || pageStatus, '附件已移除，保存后生效'); }
  else if (action === 'upload') upload();
  else if (action === 'checks') refreshChecks().then(function (r) { say(pageStatus, r ? '检查完成' : '检查失败'); });
  else if (action === 'restore') {
    var box = t.closest('[data-document-id]');
    api('POST', '/documents/' + encodeURIComponent(box.getAttribute('data-document-id')) + '/restore', { revision: Number(box.getAttribute('data-revision')), from: Number(t.getAttribute('data-from')) })
      .then(function (res) {
        if (res.ok) location.assign('/admin/documents/' + encodeURIComponent(box.getAttribute('data-document-id')) + '?done=restore');
        else say(pageStatus, '恢复失败：' + (res.data.message || res.status), 'err');
      });
  } else if (action && STEPS[action]) runStep(t);
});
})();
`;

/**
 * The rich-text editor's toolbar: paragraphs, headings, bold, lists, links and images (with their alt text,
 * which the pre-publish checks require). Whatever HTML it produces, the server sanitizes.
 */
import { $, say } from './dom.ts';
import { page, pageStatus } from './page.ts';

const editor = $('.richtext[contenteditable="true"]');
let savedRange: Range | null = null;

if (editor) {
  try {
    document.execCommand('defaultParagraphSeparator', false, 'p');
  } catch {
    /* older engines */
  }
  document.addEventListener('selectionchange', () => {
    const sel = window.getSelection();
    if (sel?.rangeCount && editor.contains(sel.anchorNode)) savedRange = sel.getRangeAt(0).cloneRange();
  });
}

function restoreSelection(): void {
  if (!editor) return;
  editor.focus();
  if (!savedRange) return;
  const sel = window.getSelection();
  sel?.removeAllRanges();
  sel?.addRange(savedRange);
}

const panel = (id: string, show: boolean) => {
  const p = document.getElementById(id);
  if (p) p.hidden = !show;
};
const field = (sel: string) => $<HTMLInputElement>(sel)!;

const BLOCKS: Record<string, string> = { p: 'p', h2: 'h2', h3: 'h3' };
const SIMPLE: Record<string, string> = { bold: 'bold', ul: 'insertUnorderedList', ol: 'insertOrderedList' };

export function command(name: string): void {
  if (!editor) return;
  if (Object.hasOwn(BLOCKS, name)) {
    restoreSelection();
    document.execCommand('formatBlock', false, BLOCKS[name]);
  } else if (Object.hasOwn(SIMPLE, name)) {
    restoreSelection();
    document.execCommand(SIMPLE[name]!, false);
  } else if (name === 'link') {
    panel('image-panel', false);
    panel('link-panel', true);
    field('#link-url').focus();
    return;
  } else if (name === 'image') {
    panel('link-panel', false);
    panel('image-panel', true);
    field('#image-url').focus();
    return;
  } else if (name === 'insert-link') {
    const url = field('#link-url').value.trim();
    if (!/^(https?:\/\/|\/|mailto:|tel:|#)/i.test(url)) {
      say(pageStatus, '链接地址须以 http://、https:// 或 / 开头', 'err');
      field('#link-url').focus();
      return;
    }
    restoreSelection();
    document.execCommand('createLink', false, url);
    panel('link-panel', false);
    field('#link-url').value = '';
  } else if (name === 'insert-image') {
    const src = field('#image-url').value.trim();
    const alt = field('#image-alt').value.trim();
    if (!/^(https?:\/\/|\/)/i.test(src)) {
      say(pageStatus, '图片地址须以 http://、https:// 或 / 开头', 'err');
      field('#image-url').focus();
      return;
    }
    if (!alt) {
      say(pageStatus, '请填写图片的替代文字', 'err');
      field('#image-alt').focus();
      return;
    }
    restoreSelection();
    const img = document.createElement('img');
    img.src = src;
    img.alt = alt;
    const sel = window.getSelection();
    if (sel?.rangeCount && editor.contains(sel.anchorNode)) {
      const r = sel.getRangeAt(0);
      r.deleteContents();
      r.insertNode(img);
    } else editor.appendChild(img);
    panel('image-panel', false);
    field('#image-url').value = '';
    field('#image-alt').value = '';
  } else if (name === 'cancel') {
    panel('link-panel', false);
    panel('image-panel', false);
  }
  page.dirty = true;
  editor.focus();
}

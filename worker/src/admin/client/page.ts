/** What the editor page holds between events: its form, the document it edits, and whether it has unsaved changes. */
import { $ } from './dom.ts';

export const form = $<HTMLFormElement>('#document-form');
export const pageStatus = $('#page-status');
export const docId = form?.getAttribute('data-document-id') ?? null;
export const page = { dirty: false };

export function setRevision(n: number): void {
  if (!form) return;
  form.setAttribute('data-revision', String(n));
  const r = $('#doc-revision');
  if (r) r.textContent = String(n);
  for (const el of document.querySelectorAll('[data-document-id][data-revision]')) el.setAttribute('data-revision', String(n));
}

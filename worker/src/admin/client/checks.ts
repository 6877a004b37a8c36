/** The pre-publish checks panel: errors that block submission and warnings, as the API reports them. */
import { $, labelOf } from './dom.ts';
import { api, type ApiData, type CheckIssue } from './api.ts';
import { docId } from './page.ts';

export function renderChecks(report: ApiData): void {
  const box = $('#checks');
  if (!box) return;
  box.replaceChildren();
  const list = (title: string, items: CheckIssue[], cls: string, testid: string) => {
    const div = document.createElement('div');
    div.className = cls;
    div.setAttribute('data-testid', testid);
    const h = document.createElement('h3');
    h.textContent = `${title}（${items.length}）`;
    div.appendChild(h);
    const ul = document.createElement('ul');
    for (const i of items) {
      const li = document.createElement('li');
      li.setAttribute('data-field', i.field);
      li.textContent = `${labelOf(i.field)}：${i.message}${i.excerpt ? `（“${i.excerpt}”）` : ''}`;
      ul.appendChild(li);
    }
    div.appendChild(ul);
    box.appendChild(div);
  };
  if (report.errors?.length) list('必须修改', report.errors, 'err', 'check-errors');
  else {
    const ok = document.createElement('p');
    ok.className = 'ok';
    ok.setAttribute('data-testid', 'check-ok');
    ok.textContent = '没有必须修改的问题。';
    box.appendChild(ok);
  }
  if (report.warnings?.length) list('建议检查', report.warnings, 'warn', 'check-warnings');
}

export async function refreshChecks(): Promise<ApiData | null> {
  if (!docId || !$('#checks')) return null;
  const res = await api('GET', `/documents/${encodeURIComponent(docId)}/checks`);
  if (!res.ok) return null;
  renderChecks(res.data);
  return res.data;
}

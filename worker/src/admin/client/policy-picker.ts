/**
 * The 解读 ↔ policy picker, enhanced: without the script its search is a GET of the page (form-controls.ts);
 * with it, the search runs in place as one types or presses 查找 (GET /api/cms/policy-search), so nothing typed
 * in the editor is lost, and the found policies replace the radio list — the chosen one always stays.
 */
import { $, $$, say } from './dom.ts';
import { page } from './page.ts';

interface PolicyOption {
  id: string;
  title: string;
  docNumber: string | null;
  issuer: string | null;
  publishedAt: string | null;
  live: boolean;
}

const picker = $('[data-widget="policy"]');
const input = $<HTMLInputElement>('[data-policy-search]');
const searchForm = input?.form ?? null;

/** The China-time date of an instant (the list shows 发布日期 like the server does). */
const day = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);

function choice(o: PolicyOption, name: string): HTMLLIElement {
  const li = document.createElement('li');
  const label = document.createElement('label');
  label.className = 'choice';
  const radio = document.createElement('input');
  radio.type = 'radio';
  radio.name = name;
  radio.value = o.id;
  label.append(radio, ` ${o.title}`);
  const facts = [o.docNumber, o.issuer, o.publishedAt ? `${day(o.publishedAt)} 发布` : null].filter(Boolean).join('，');
  if (facts) {
    const span = document.createElement('span');
    span.className = 'meta';
    span.textContent = `（${facts}）`;
    label.append(' ', span);
  }
  li.append(label);
  return li;
}

let seq = 0;
async function search(q: string): Promise<void> {
  if (!picker) return;
  const name = picker.getAttribute('data-field')!;
  const list = $(`#${name}-options`);
  const status = $(`#${name}-status`);
  if (!list) return;
  const mine = ++seq;
  say(status, '正在查找…');
  let data: { results?: PolicyOption[]; message?: string };
  try {
    const res = await fetch(`/api/cms/policy-search?q=${encodeURIComponent(q)}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    data = (await res.json()) as typeof data;
    if (!res.ok) {
      if (mine === seq) say(status, data.message ?? '查找失败，请重试', 'err');
      return;
    }
  } catch {
    if (mine === seq) say(status, '网络连接失败，请重试', 'err');
    return;
  }
  if (mine !== seq) return; // a later search answered first
  // Keep the checked choice and 不关联; replace the rest with what was found.
  const items = $$<HTMLLIElement>('li', list);
  const keep = items.filter((li) => $<HTMLInputElement>('input', li)?.checked || $<HTMLInputElement>('input', li)?.value === '');
  const kept = new Set(keep.map((li) => $<HTMLInputElement>('input', li)?.value));
  for (const li of items) if (!keep.includes(li)) li.remove();
  const none = keep.find((li) => $<HTMLInputElement>('input', li)?.value === '');
  for (const o of data.results ?? []) if (!kept.has(o.id)) list.insertBefore(choice(o, name), none ?? null);
  const n = (data.results ?? []).length;
  say(status, q ? (n ? `找到 ${n} 个与“${q}”相关的政策文件，请选择一项。` : `没有找到与“${q}”相关的已发布政策文件。`) : '');
}

if (picker && input && searchForm) {
  searchForm.addEventListener('submit', (e) => {
    e.preventDefault();
    void search(input.value.trim());
  });
  let timer = 0;
  // Suggestions as one types: two characters are enough for a title word or 发文字号's 机关代字.
  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    const q = input.value.trim();
    if (q.length >= 2) timer = window.setTimeout(() => void search(q), 300);
  });
  // Enter in the box searches instead of sending the page away (and it is not an edit of the document).
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      void search(input.value.trim());
    }
  });
  picker.addEventListener('change', () => {
    page.dirty = true;
  });
}

/**
 * 政策文件库 as a page of the site (in its own template, personal/shell.ts): a GET form of four filters, the table
 * of the page's rows, and the pagination — links and a form only, so it works without JavaScript. Every value
 * shown is escaped; the markup uses the classes the site's stylesheet already has (its table, form and pagination).
 */
import { escapeHtml as e } from '@ywtc/cms-schema';
import { POLICY_TOPICS } from '@ywtc/cms-schema/topics';
import type { Library } from './data.ts';
import { FIELD_NAMES, PAGE_SIZE, VALIDITY_FILTERS, queryString, type LibraryQuery, type QueryProblem } from './query.ts';

/** Relative to /zcwjk/: a document's page on the site, '/zcwj/x.html' → '../zcwj/x.html'. */
const fromLibrary = (path: string) => '..' + path;

/** What the form shows: the query as asked (a rejected value is shown as nothing chosen). */
export type FormValues = Partial<Record<'issuer' | 'year' | 'topic' | 'validity', string>>;

function select(field: keyof FormValues, options: { value: string; label: string }[], chosen: string | undefined, problem: QueryProblem | null): string {
  const invalid = problem?.field === field;
  const opts = [{ value: '', label: '全部' }, ...options]
    .map((o) => `<option value="${e(o.value)}"${o.value === (chosen ?? '') ? ' selected' : ''}>${e(o.label)}</option>`)
    .join('');
  return `<label>${FIELD_NAMES[field]}<select class="w-full" name="${field}"${invalid ? ' aria-invalid="true" aria-describedby="library-problem"' : ''}>${opts}</select></label>`;
}

function form(lib: Library, values: FormValues, problem: QueryProblem | null): string {
  return `<form class="me-form" method="get" action="./" aria-label="筛选政策文件"><div class="choices">${[
    select(
      'issuer',
      lib.issuers.map((i) => ({ value: i.name, label: `${i.name}（${i.count}）` })),
      values.issuer,
      problem,
    ),
    select(
      'year',
      lib.years.map((y) => ({ value: String(y), label: `${y}年` })),
      values.year,
      problem,
    ),
    select(
      'topic',
      POLICY_TOPICS.map((t) => ({ value: t, label: t })),
      values.topic,
      problem,
    ),
    select(
      'validity',
      VALIDITY_FILTERS.map((v) => ({ value: v, label: v })),
      values.validity,
      problem,
    ),
  ].join('')}</div><p><button type="submit">筛选</button><a href="./">清除条件</a></p></form>`;
}

function table(lib: Library, q: LibraryQuery): string {
  const dash = (v: string | null) => e(v ?? '—');
  const rows = lib.rows
    .map(
      (r) =>
        `<tr><td class="min-w-64"><a href="${e(fromLibrary(r.path))}">${e(r.title)}</a></td><td class="whitespace-nowrap">${dash(r.docNumber)}</td><td>${dash(
          r.issuer,
        )}</td><td class="whitespace-nowrap">${dash(r.writtenOn)}</td><td class="whitespace-nowrap">${e(r.issuedOn)}</td><td class="whitespace-nowrap">${e(
          r.validity ?? '未标注',
        )}</td></tr>`,
    )
    .join('');
  const pages = Math.max(1, Math.ceil(lib.total / PAGE_SIZE));
  const caption = lib.total ? `共 ${lib.total} 件，第 ${q.page}/${pages} 页，按发布日期排序` : '没有符合条件的政策文件，请放宽筛选条件。';
  return `<div class="overflow-x-auto"><table class="meta-table w-full text-sm"><caption class="text-left text-neutral-700 mb-2">${caption}</caption>
<thead><tr><th scope="col">标题</th><th scope="col">发文字号</th><th scope="col">发文机关</th><th scope="col">成文日期</th><th scope="col">发布日期</th><th scope="col">有效性</th></tr></thead>
<tbody>${rows}</tbody></table></div>`;
}

/** 上一页, page numbers around this one (with the first and the last), 下一页 — each a link keeping the filters. */
function pagination(total: number, q: LibraryQuery): string {
  const pages = Math.ceil(total / PAGE_SIZE);
  if (pages <= 1) return '';
  const href = (n: number) => e(`./${queryString(q, n)}`);
  const window = [...new Set([1, q.page - 2, q.page - 1, q.page, q.page + 1, q.page + 2, pages])].filter((n) => n >= 1 && n <= pages).sort((a, b) => a - b);
  const numbers = window
    .map(
      (n, i) =>
        (i > 0 && n - window[i - 1]! > 1 ? '<span aria-hidden="true">…</span>' : '') +
        (n === q.page
          ? `<span class="border px-3 py-1 bg-primary text-white" aria-current="page">${n}</span>`
          : `<a class="border px-3 py-1" href="${href(n)}" aria-label="第 ${n} 页">${n}</a>`),
    )
    .join('');
  return `<nav aria-label="分页" class="mt-6 flex flex-wrap items-center gap-2 text-sm"><span>共 ${total} 条，第 ${q.page}/${pages} 页</span>${
    q.page > 1 ? `<a class="border px-3 py-1" href="${href(q.page - 1)}" rel="prev">上一页</a>` : ''
  }${numbers}${q.page < pages ? `<a class="border px-3 py-1" href="${href(q.page + 1)}" rel="next">下一页</a>` : ''}</nav>`;
}

const HEADING = '<h1 class="text-2xl font-bold text-primary-dark border-b-2 border-primary pb-2 mb-4">政策文件库</h1>';
const INTRO = '<p class="mb-4">本站发布和转载的政策文件、行政法规，可按发文机关、年份、主题分类和有效性筛选。</p>';

export function libraryMain(lib: Library, q: LibraryQuery, values: FormValues): string {
  return HEADING + INTRO + form(lib, values, null) + table(lib, q) + pagination(lib.total, q);
}

/** A rejected query: the problem named, the form to correct it, no table. */
export function problemMain(lib: Library, values: FormValues, problem: QueryProblem): string {
  return `${HEADING}<div class="me-notice" role="alert" id="library-problem"><p><strong>查询条件有误：</strong>${e(problem.message)}</p></div>${form(lib, values, problem)}`;
}

/**
 * /admin/qa: the policy Q&A knowledge base (政策问答) as CMS screens — the entries of the sites one works on,
 * an entry's form, review, and the questions citizens asked that no entry answered (each one a link to a new
 * entry with the question filled in). Plain forms with the session's CSRF token, so no script is needed;
 * every change goes through qa/entries.ts (roles, audit, 先审后发) like the JSON API.
 */
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { can, canAnywhere, lookup, type QaEntry } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { actorOf, parentMap } from '../cms/documents.ts';
import {
  approveEntry,
  checkedInput,
  createEntry,
  deleteEntry,
  dismissUnanswered,
  entryOf,
  listEntries,
  unansweredQuestions,
  updateEntry,
} from '../qa/entries.ts';
import type { Failure } from '../platform/result.ts';
import { adminPage, shortTime } from './admin-layout.ts';
import { viewerOf } from './viewer.ts';

export const qaPages = new Hono<AppEnv>();
const read = authorize('qa', 'read', 'page');
const write = authorize('qa', 'write', 'page');

const PAGE = 30;
const NOTICES: Record<string, string> = {
  created: '已保存为草稿，审核通过后才会回答搜索中的提问。',
  saved: '已保存；修改后的条目须重新审核。',
  approved: '已审核通过，搜索中的相同提问将显示该答复。',
  deleted: '已删除。',
  dismissed: '已从未回答问题中移除。',
};
const LABELS: Record<string, string> = { siteId: '网站', question: '问题', answer: '答复', sourceDocumentId: '来源文档 ID', id: '条目', status: '状态' };

/** The sites this account may write Q&A for (the form's choices). */
async function writableSites(c: Context<AppEnv>): Promise<{ id: string; name: string }[]> {
  const parentOf = await parentMap(c.env.DB);
  const { results } = await c.env.DB.prepare('SELECT id, name FROM sites ORDER BY sort_order').all<{ id: string; name: string }>();
  return results.filter((s) => can(staffOf(c).grants, 'qa.write', { siteId: s.id }, parentOf));
}

const csrfField = (c: Context<AppEnv>) => html`<input type="hidden" name="csrf" value="${staffOf(c).csrfToken}">`;

function entryForm(c: Context<AppEnv>, sites: { id: string; name: string }[], value: Partial<QaEntry>, action: string, error: Failure | null) {
  const err = (field: string) => (error?.field === field ? html`<p class="field-error" id="${field}-err">${error.message}</p>` : '');
  const inv = (field: string) => (error?.field === field ? html` aria-invalid="true" aria-describedby="${field}-err"` : '');
  return html`<form method="post" action="${action}" id="qa-form">${csrfField(c)}
<div class="field"><label for="qa-site">网站 <span class="req">（必填）</span></label><select id="qa-site" name="siteId" required${inv('siteId')}>${sites.map((s) => html`<option value="${s.id}"${s.id === value.siteId ? html` selected` : ''}>${s.name}</option>`)}</select>${err('siteId')}</div>
<div class="field"><label for="qa-question">问题 <span class="req">（必填，4–200 字，市民在搜索框里会怎么问）</span></label><input id="qa-question" name="question" required minlength="4" maxlength="200" value="${value.question ?? ''}"${inv('question')}>${err('question')}</div>
<div class="field"><label for="qa-answer">答复 <span class="req">（必填，不超过 2000 字）</span></label><textarea id="qa-answer" name="answer" required maxlength="2000" rows="6"${inv('answer')}>${value.answer ?? ''}</textarea>${err('answer')}</div>
<div class="field"><label for="qa-source">来源文档 ID <span class="req">（必填：答复所依据的文件，见内容列表中标题下的编号）</span></label><input id="qa-source" name="sourceDocumentId" required maxlength="80" value="${value.sourceDocumentId ?? ''}"${inv('sourceDocumentId')}>${err('sourceDocumentId')}</div>
<div class="actions"><button type="submit" id="qa-save">保存草稿</button></div></form>`;
}

const message = (f: Failure) => html`<p class="err" role="alert">${lookup(LABELS, f.field) ?? f.field}：${f.message}</p>`;

qaPages.get('/qa', read, async (c) => {
  const p = staffOf(c);
  const status = c.req.query('status') === 'draft' || c.req.query('status') === 'approved' ? (c.req.query('status') as 'draft' | 'approved') : undefined;
  const page = Math.max(1, Math.min(1000, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
  const [list, unanswered] = await Promise.all([
    listEntries(c.env.DB, p.grants, { status, offset: (page - 1) * PAGE, limit: PAGE }),
    unansweredQuestions(c.env.DB, 0, 20),
  ]);
  const writer = canAnywhere(p.grants, 'qa.write');
  const pages = Math.max(1, Math.ceil(list.total / PAGE));
  const notice = lookup(NOTICES, c.req.query('done'));
  const body = html`<h1>政策问答</h1>
${notice ? html`<p class="ok" role="status">${notice}</p>` : ''}
<p>条目经审核通过后，市民在搜索框中提出相同或相近的问题时，结果页顶部显示答复和来源文件。${writer ? html` <a href="/admin/qa/new" id="qa-new">新建问答条目</a>` : ''}</p>
<form method="get" action="/admin/qa" class="filters"><label>状态<select name="status"><option value="">全部</option><option value="draft"${status === 'draft' ? html` selected` : ''}>待审核（草稿）</option><option value="approved"${status === 'approved' ? html` selected` : ''}>已通过</option></select></label><button type="submit">筛选</button></form>
<h2>问答条目（共 ${list.total} 条）</h2>
${
  list.entries.length === 0
    ? html`<p>没有符合条件的条目。</p>`
    : html`<table id="qa-list"><thead><tr><th scope="col">问题</th><th scope="col">网站</th><th scope="col">状态</th><th scope="col">更新时间</th></tr></thead>
<tbody>${list.entries.map((e) => html`<tr data-entry-id="${e.id}"><td><a href="/admin/qa/${e.id}">${e.question}</a></td><td>${e.siteId}</td><td>${e.status === 'approved' ? '已通过' : '待审核'}</td><td>${e.updatedAt ? shortTime(e.updatedAt) : '导入'}</td></tr>`)}</tbody></table>`
}
${pages > 1 ? html`<nav class="pager" aria-label="分页">${page > 1 ? html`<a href="?${new URLSearchParams({ ...(status ? { status } : {}), page: String(page - 1) }).toString()}" rel="prev">上一页</a>` : ''}<span>第 ${page} / ${pages} 页</span>${page < pages ? html`<a href="?${new URLSearchParams({ ...(status ? { status } : {}), page: String(page + 1) }).toString()}" rel="next">下一页</a>` : ''}</nav>` : ''}
<h2 id="unanswered">未回答的问题（最常问的 20 个）</h2>
<p class="meta">市民在搜索中提出、没有条目能回答的问题，只按天记录次数；疑似个人信息的提问不记录。</p>
${
  unanswered.length === 0
    ? html`<p>没有记录。</p>`
    : html`<table id="qa-unanswered"><thead><tr><th scope="col">问题</th><th scope="col">次数</th><th scope="col">最近</th><th scope="col">操作</th></tr></thead>
<tbody>${unanswered.map(
        (u) =>
          html`<tr><th scope="row">${u.question}</th><td>${u.count}</td><td>${u.lastDay}</td><td>${
            writer
              ? html`<a href="/admin/qa/new?${new URLSearchParams({ question: u.question }).toString()}">写答复</a>
<form method="post" action="/admin/qa/unanswered/dismiss" class="inline">${csrfField(c)}<input type="hidden" name="question" value="${u.question}"><button type="submit" class="secondary" aria-label="移除问题：${u.question}">移除</button></form>`
              : ''
          }</td></tr>`,
      )}</tbody></table>`
}`;
  return c.html(adminPage({ title: '政策问答', viewer: viewerOf(c), current: 'qa', body }));
});

qaPages.get('/qa/new', write, async (c) => {
  const sites = await writableSites(c);
  const question = (c.req.query('question') ?? '').slice(0, 200);
  return c.html(
    adminPage({
      title: '新建问答条目',
      viewer: viewerOf(c),
      current: 'qa',
      body: html`<h1>新建问答条目</h1>${entryForm(c, sites, { question, siteId: sites[0]?.id }, '/admin/qa', null)}`,
    }),
  );
});

/** The posted form as the schema reads it. */
async function formInput(c: Context<AppEnv>) {
  const f: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
  const str = (k: string) => (typeof f[k] === 'string' ? f[k] : undefined);
  return { siteId: str('siteId'), question: str('question'), answer: str('answer'), sourceDocumentId: str('sourceDocumentId') };
}

async function saveFrom(c: Context<AppEnv>, id: string | null) {
  const body = await formInput(c);
  const p = staffOf(c);
  const input = await checkedInput(c.env.DB, body);
  const failure: Failure | null = input.ok
    ? null
    : 'zod' in input
      ? { status: 400, field: String(input.zod.issues[0]!.path[0] ?? 'form'), message: input.zod.issues[0]!.message }
      : input;
  const r = input.ok
    ? id
      ? await updateEntry(c.env.DB, actorOf(p), p.grants, id, input.value)
      : await createEntry(c.env.DB, actorOf(p), p.grants, input.value)
    : null;
  if (r?.ok) return c.redirect(`/admin/qa/${r.value.id}?done=${id ? 'saved' : 'created'}`, 303);
  const f = failure ?? (r && !r.ok ? r : { status: 400 as const, field: 'form', message: '无法保存' });
  const sites = await writableSites(c);
  const title = id ? '修改问答条目' : '新建问答条目';
  return c.html(
    adminPage({
      title: `输入有误 - ${title}`,
      viewer: viewerOf(c),
      current: 'qa',
      body: html`<h1>${title}</h1>${message(f)}${entryForm(c, sites, body as Partial<QaEntry>, id ? `/admin/qa/${id}` : '/admin/qa', f)}`,
    }),
    f.status,
  );
}

qaPages.post('/qa', write, (c) => saveFrom(c, null));

qaPages.get('/qa/:id', read, async (c) => {
  const entry = await entryOf(c.env.DB, c.req.param('id'));
  const p = staffOf(c);
  const parentOf = await parentMap(c.env.DB);
  const mayWrite = entry !== null && can(p.grants, 'qa.write', { siteId: entry.siteId }, parentOf);
  const mayReview = entry !== null && can(p.grants, 'qa.review', { siteId: entry.siteId }, parentOf);
  if (!entry || (!mayWrite && !mayReview))
    return c.html(
      adminPage({
        title: '条目不存在',
        viewer: viewerOf(c),
        current: 'qa',
        body: html`<h1>条目不存在</h1><p>该条目不存在，或您无权查看。<a href="/admin/qa">返回政策问答</a></p>`,
      }),
      404,
    );
  const notice = lookup(NOTICES, c.req.query('done'));
  const body = html`<h1>问答条目</h1>
${notice ? html`<p class="ok" role="status">${notice}</p>` : ''}
<p class="meta">状态：<strong id="qa-status">${entry.status === 'approved' ? '已通过（正在回答搜索中的提问）' : '待审核（草稿，不回答提问）'}</strong>${entry.updatedAt ? ` · 更新于 ${shortTime(entry.updatedAt)}` : ''}</p>
${mayWrite ? entryForm(c, await writableSites(c), entry, `/admin/qa/${entry.id}`, null) : html`<dl><dt>问题</dt><dd>${entry.question}</dd><dt>答复</dt><dd>${entry.answer}</dd><dt>来源文档</dt><dd>${entry.sourceDocumentId}</dd></dl>`}
<div class="actions">
${mayReview && entry.status === 'draft' ? html`<form method="post" action="/admin/qa/${entry.id}/approve">${csrfField(c)}<button type="submit" id="qa-approve">审核通过</button></form>` : ''}
${mayWrite ? html`<form method="post" action="/admin/qa/${entry.id}/delete">${csrfField(c)}<button type="submit" class="secondary" id="qa-delete">删除条目</button></form>` : ''}
</div><p><a href="/admin/qa">返回政策问答</a></p>`;
  return c.html(adminPage({ title: '问答条目', viewer: viewerOf(c), current: 'qa', body }));
});

qaPages.post('/qa/unanswered/dismiss', write, async (c) => {
  const f: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
  const question = typeof f.question === 'string' ? f.question.slice(0, 200) : '';
  const p = staffOf(c);
  const r = await dismissUnanswered(c.env.DB, actorOf(p), p.grants, question);
  // Already gone (a second click): the page shows what was asked for.
  if (!r.ok && r.status !== 404)
    return c.html(
      adminPage({ title: '无法移除', viewer: viewerOf(c), current: 'qa', body: html`<h1>无法移除</h1>${message(r)}<p><a href="/admin/qa">返回</a></p>` }),
      r.status,
    );
  return c.redirect('/admin/qa?done=dismissed#unanswered', 303);
});

qaPages.post('/qa/:id', write, (c) => saveFrom(c, c.req.param('id')));

qaPages.post('/qa/:id/approve', authorize('qa', 'review', 'page'), async (c) => {
  const p = staffOf(c);
  const r = await approveEntry(c.env.DB, actorOf(p), p.grants, c.req.param('id'));
  if (!r.ok)
    return c.html(
      adminPage({
        title: '无法审核',
        viewer: viewerOf(c),
        current: 'qa',
        body: html`<h1>无法审核</h1>${message(r)}<p><a href="/admin/qa/${c.req.param('id')}">返回条目</a></p>`,
      }),
      r.status,
    );
  return c.redirect(`/admin/qa/${r.value.id}?done=approved`, 303);
});

qaPages.post('/qa/:id/delete', write, async (c) => {
  const p = staffOf(c);
  const r = await deleteEntry(c.env.DB, actorOf(p), p.grants, c.req.param('id'));
  if (!r.ok)
    return c.html(
      adminPage({ title: '无法删除', viewer: viewerOf(c), current: 'qa', body: html`<h1>无法删除</h1>${message(r)}<p><a href="/admin/qa">返回</a></p>` }),
      r.status,
    );
  return c.redirect('/admin/qa?done=deleted', 303);
});

/**
 * /admin/consult (网民留言): the questions of the sites whose 留言 this account handles (cms-schema CONSULT_ACCESS,
 * `consult.answer`), oldest waiting first, with 办理时长 and those waiting over 3 months flagged; the counts the
 * inspection asks for; and, in the same queue, what citizens asked search and policy Q&A without an answer (both
 * logs hold no site, so those lists are the cluster's). A question's page shows the contact details (editors only,
 * never published), takes the answer — which becomes a 留言选登 draft that goes through 分级审核 in the document
 * editor — and, once the answer is published, adds it to the policy Q&A knowledge base in one step.
 */
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { CONSULT_LIMITS, CONSULT_STATUS_LABELS, ConsultAnswerInputSchema, can, cstDate, handlingDays, isOverdue } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { actorOf, parentMap } from '../cms/documents.ts';
import { addToQa, answer, byId, contactOf, listFor, statsFor, type ConsultItem } from '../consult/store.ts';
import { unansweredQuestions } from '../qa/entries.ts';
import { dayOf } from '../search/analytics.ts';
import { adminPage, shortTime } from './admin-layout.ts';
import { viewerOf } from './viewer.ts';

export const consultPages = new Hono<AppEnv>();
const read = authorize('consult', 'read', 'page');
const write = authorize('consult', 'answer', 'page');

const NOTICES: Record<string, string> = {
  qa: '已加入政策问答库（草稿），经审核通过后即可回答搜索中的相同提问。',
};

async function mySites(c: Context<AppEnv>): Promise<{ id: string; name: string }[]> {
  const parentOf = await parentMap(c.env.DB);
  const { results } = await c.env.DB.prepare('SELECT id, name FROM sites ORDER BY sort_order, id').all<{ id: string; name: string }>();
  return results.filter((s) => can(staffOf(c).grants, 'consult.answer', { siteId: s.id }, parentOf));
}

const days = (i: ConsultItem, now: Date) => handlingDays(i.receivedAt, i.publishedAt ?? now.toISOString());

consultPages.get('/consult', read, async (c) => {
  const viewer = viewerOf(c);
  const sites = await mySites(c);
  const names = new Map(sites.map((s) => [s.id, s.name]));
  const wanted = c.req.query('site');
  const scope = wanted && names.has(wanted) ? [wanted] : sites.map((s) => s.id);
  const now = new Date();
  const since = dayOf(now.getTime() - 30 * 86_400_000);
  const [items, counts, unanswered, zero] = await Promise.all([
    listFor(c.env.DB, scope),
    statsFor(c.env.DB, scope, now),
    unansweredQuestions(c.env.DB, 0, 20),
    c.env.DB.prepare(
      'SELECT query, SUM(zero_results) AS times, MAX(day) AS last FROM search_query_days WHERE day >= ? AND zero_results > 0 GROUP BY query ORDER BY times DESC, last DESC LIMIT 20',
    )
      .bind(since)
      .all<{ query: string; times: number; last: string }>(),
  ]);
  const stats = counts.all;
  const row = (i: ConsultItem) => {
    const overdue = isOverdue(i.receivedAt, i.publishedAt, now);
    return html`<tr data-consult-id="${i.id}"><td><a href="/admin/consult/${i.id}">${i.title}</a></td><td>${names.get(i.siteId) ?? i.siteId}</td><td>${cstDate(i.receivedAt)}</td><td>${CONSULT_STATUS_LABELS[i.status]}${overdue ? html` <strong class="err">超过 3 个月未答复</strong>` : ''}</td><td>${days(i, now)} 天${i.publishedAt ? '' : '（办理中）'}</td></tr>`;
  };
  const body = html`<h1>网民留言</h1>
<form method="get" action="/admin/consult"><label>网站 <select name="site"><option value="">全部（${sites.length} 个网站）</option>${sites.map((s) => html`<option value="${s.id}"${s.id === wanted ? html` selected` : ''}>${s.name}</option>`)}</select></label> <button type="submit">查看</button></form>
<table id="consult-stats"><caption>办理情况统计</caption><thead><tr><th scope="col">收到留言</th><th scope="col">已答复</th><th scope="col">办理中</th><th scope="col">超过 3 个月未答复</th><th scope="col">平均办理时长</th></tr></thead>
<tbody><tr><td>${stats.total}</td><td>${stats.answered}</td><td>${stats.waiting}</td><td>${stats.overdue}</td><td>${stats.meanDays === null ? '—' : `${stats.meanDays} 天`}</td></tr></tbody></table>
<p>答复写好后成为“互动交流”栏目的留言选登稿，按栏目的审核流程审核、发布；发布即视为答复，办理时长从留言到答复发布计算。留言超过 ${CONSULT_LIMITS.overdueDays} 天未答复的，全国政府网站检查视为单项否决。</p>
<h2>留言</h2>
${
  items.length
    ? html`<table id="consult-list"><thead><tr><th scope="col">标题</th><th scope="col">网站</th><th scope="col">留言日期</th><th scope="col">状态</th><th scope="col">办理时长</th></tr></thead><tbody>${items.map(row)}</tbody></table>`
    : html`<p>暂无留言。</p>`
}
<h2 id="unanswered">搜索和政策问答未能回答的问题</h2>
<p>市民在搜索框中提出、政策问答没有答案的问题，以及近 30 天搜索无结果的词。搜索记录不含网站和个人信息，以下为全平台的记录；可据此编写政策问答或补充内容。</p>
${
  unanswered.length
    ? html`<table id="consult-unanswered"><caption>政策问答未回答的问题</caption><thead><tr><th scope="col">问题</th><th scope="col">次数</th><th scope="col">最近</th><th scope="col">操作</th></tr></thead><tbody>${unanswered.map(
        (u) =>
          html`<tr><td>${u.question}</td><td>${u.count}</td><td>${u.lastDay}</td><td><a href="/admin/qa/new?${new URLSearchParams({ question: u.question }).toString()}">写答复</a></td></tr>`,
      )}</tbody></table>`
    : html`<p>政策问答暂无未回答的问题。</p>`
}
${
  zero.results.length
    ? html`<table id="consult-zero"><caption>近 30 天搜索无结果的词</caption><thead><tr><th scope="col">搜索词</th><th scope="col">无结果次数</th><th scope="col">最近</th></tr></thead><tbody>${zero.results.map(
        (z) => html`<tr><td>${z.query}</td><td>${z.times}</td><td>${z.last}</td></tr>`,
      )}</tbody></table>`
    : html`<p>近 30 天没有无结果的搜索。</p>`
}`;
  return c.html(adminPage({ title: '网民留言', viewer, current: 'consult', body }));
});

async function detail(c: Context<AppEnv>, status: 200 | 400 | 403 | 404 | 409 = 200, error: { field: string; message: string } | null = null, typed = '') {
  const viewer = viewerOf(c);
  const item = await byId(c.env.DB, c.req.param('id') ?? '');
  const parentOf = await parentMap(c.env.DB);
  if (!item || !can(staffOf(c).grants, 'consult.answer', { siteId: item.siteId }, parentOf))
    return c.html(adminPage({ title: '网民留言', viewer, current: 'consult', body: html`<h1>网民留言</h1><p>留言不存在，或不属于您办理的网站。</p>` }), 404);
  const contact = await contactOf(c.env.DB, item.id);
  const now = new Date();
  const notice = NOTICES[c.req.query('done') ?? ''] ?? null;
  const csrf = html`<input type="hidden" name="csrf" value="${viewer.csrf}">`;
  const body = html`<h1>${item.title}</h1>
${notice ? html`<p class="ok" role="status">${notice}</p>` : ''}${error ? html`<p class="err" role="alert">${error.message}</p>` : ''}
<dl><dt>状态</dt><dd id="consult-status">${CONSULT_STATUS_LABELS[item.status]}${isOverdue(item.receivedAt, item.publishedAt, now) ? html` <strong class="err">超过 3 个月未答复</strong>` : ''}</dd>
<dt>留言时间</dt><dd>${shortTime(item.receivedAt)}</dd>
<dt>办理时长</dt><dd>${days(item, now)} 天${item.publishedAt ? html`（答复发布于 ${shortTime(item.publishedAt)}）` : ''}</dd>
<dt>留言内容</dt><dd>${item.question.split(/\n+/).map((p) => html`<p>${p}</p>`)}</dd></dl>
<h2>联系方式（仅供答复，不公开）</h2>
${
  contact
    ? html`<dl><dt>姓名</dt><dd>${contact.name ?? '（未填写）'}</dd><dt>联系电话</dt><dd>${contact.phone ?? '（未填写）'}</dd><dt>电子邮箱</dt><dd>${contact.email ?? '（未填写）'}</dd><dt>保存至</dt><dd>${cstDate(contact.purgeAfter)}</dd></dl>`
    : html`<p>联系方式已按保存期限删除。</p>`
}
<h2>答复</h2>
${
  item.documentId
    ? html`<p>答复稿（以审核发布的为准）：<a href="/admin/documents/${item.documentId}" id="consult-document">${item.documentId}</a>（在内容编辑页提交审核、发布）。答复单位：${item.answerUnit ?? ''}。</p>${item.answer ? html`<div>${item.answer.split(/\n+/).map((p) => html`<p>${p}</p>`)}</div>` : ''}`
    : html`<form method="post" action="/admin/consult/${item.id}/answer">${csrf}
<div class="field"><label for="consult-answer">答复内容 <span class="req">（必填，${CONSULT_LIMITS.answerMin}–${CONSULT_LIMITS.answerMax} 字；将与隐去个人信息的留言一起选登）</span></label><textarea id="consult-answer" name="answer" rows="8" required maxlength="${CONSULT_LIMITS.answerMax}"${error?.field === 'answer' ? html` aria-invalid="true"` : ''}>${typed}</textarea></div>
<div class="actions"><button type="submit" id="consult-write">生成答复稿</button></div></form>`
}
${
  item.status === 'answered'
    ? item.qaEntryId
      ? html`<p>已加入政策问答库：<a href="/admin/qa/${item.qaEntryId}">查看问答条目</a></p>`
      : html`<form method="post" action="/admin/consult/${item.id}/qa">${csrf}<button type="submit" id="consult-to-qa">加入政策问答库</button></form>`
    : ''
}
<p><a href="/admin/consult">返回网民留言</a></p>`;
  return c.html(adminPage({ title: item.title, viewer, current: 'consult', body }), status);
}

consultPages.get('/consult/:id', read, (c) => detail(c));

consultPages.post('/consult/:id/answer', write, async (c) => {
  const form: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
  const typed = typeof form.answer === 'string' ? form.answer.slice(0, CONSULT_LIMITS.answerMax) : '';
  const parsed = ConsultAnswerInputSchema.safeParse({ answer: form.answer });
  if (!parsed.success) return detail(c, 400, { field: 'answer', message: parsed.error.issues[0]!.message }, typed);
  const p = staffOf(c);
  const r = await answer(c.env.DB, actorOf(p), p.grants, c.req.param('id'), parsed.data.answer);
  if (!r.ok) return detail(c, r.status, r, typed);
  return c.redirect(`/admin/documents/${r.value.documentId}`, 303);
});

consultPages.post('/consult/:id/qa', write, async (c) => {
  const p = staffOf(c);
  const r = await addToQa(c.env.DB, actorOf(p), p.grants, c.req.param('id'));
  if (!r.ok) return detail(c, r.status, r);
  return c.redirect(`/admin/consult/${c.req.param('id')}?done=qa`, 303);
});

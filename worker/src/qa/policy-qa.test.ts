/** Policy Q&A in workerd with D1: the CMS's API by role, review before use, answer cards on /search(.json), the unanswered log. */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { ColumnSchema, DocumentSchema, TABLES, insertSql, toRow, type QaEntry } from '@ywtc/cms-schema';
import { logUnansweredStatement } from '@ywtc/search/qa-d1';
import app from '../index.ts';
import { dayOf } from '../search/analytics.ts';
import type { PolicyAnswer } from './answer.ts';
import { seedRegistry } from '../testing/sites.ts';
import { addAccount, login, type Session } from '../testing/accounts.ts';

let editor: Session;
let reviewer: Session;
let nanningEditor: Session;

/** A request through the Worker, returning once its after-response work (the log writes) is done. */
async function call(url: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(url, init), env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
/** The CMS's Q&A API as a signed-in browser calls it (session cookie, CSRF token). */
const api = (method: string, path: string, body?: unknown, as: Session | null = editor) =>
  call(`http://127.0.0.1:8787/api/cms/qa${path}`, {
    method,
    headers: { ...(as ? { Cookie: as.cookie, 'X-CSRF-Token': as.csrf } : {}), 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const answerTo = async (q: string, host = '127.0.0.1:8787', extra = '') =>
  ((await (await call(`http://${host}/search.json?q=${encodeURIComponent(q)}${extra}`)).json()) as { answer: PolicyAnswer | null }).answer;
const unanswered = async () =>
  (
    await env.DB.prepare('SELECT question, count, first_day AS firstDay, last_day AS lastDay FROM qa_unanswered ORDER BY question').all<{
      question: string;
      count: number;
      firstDay: string;
      lastDay: string;
    }>()
  ).results;

async function createEntry(input: { question: string; answer: string; sourceDocumentId: string; siteId?: string }): Promise<QaEntry> {
  const res = await api('POST', '/entries', { siteId: 'gxzf', ...input });
  expect(res.status).toBe(201);
  return ((await res.json()) as { entry: QaEntry }).entry;
}
const approve = async (id: string) => expect((await api('POST', `/entries/${id}/approve`, undefined, reviewer)).status).toBe(200);

const notice = (id: string, title: string, validity: '有效' | '失效', docNumber: string) =>
  DocumentSchema.parse({
    id,
    kind: 'policy',
    title,
    bodyHtml: `<p>${title}。</p>`,
    summary: title,
    keywords: [],
    author: '',
    source: '广西壮族自治区人民政府办公厅',
    sourceUrl: null,
    publishedAt: '2020-02-20T09:00:00+08:00',
    attachments: [],
    ownerSiteId: 'gxzf',
    isDemo: false,
    indexNumber: null,
    issuer: '广西壮族自治区人民政府办公厅',
    docNumber,
    writtenOn: null,
    issuedOn: null,
    topic: null,
    subjectWords: [],
    validity,
    interests: [],
    guide: null,
  });

let insurance: QaEntry;
let quarantine: QaEntry;

beforeAll(async () => {
  await seedRegistry();
  await addAccount('qa-e', 'qa-editor', 'Qa-editor-2026', [{ role: 'editor', siteId: 'gxzf' }]);
  await addAccount('qa-r', 'qa-reviewer', 'Qa-review-2026', [{ role: 'reviewer', siteId: 'gxzf', level: 1 }]);
  await addAccount('qa-n', 'qa-nanning', 'Qa-nanning-2026', [{ role: 'editor', siteId: 'nanning' }]);
  [editor, reviewer, nanningEditor] = await Promise.all([
    login('qa-editor', 'Qa-editor-2026'),
    login('qa-reviewer', 'Qa-review-2026'),
    login('qa-nanning', 'Qa-nanning-2026'),
  ]);
  const column = ColumnSchema.parse({
    id: 'gxzf/zcwj',
    siteId: 'gxzf',
    parentId: null,
    slug: 'zcwj',
    name: '政策文件',
    kind: 'policy',
    description: '政策文件栏目',
    keywords: [],
    sortOrder: 0,
  });
  const docs = [
    notice('ncp-sbf', '关于阶段性延期缴纳社会保险费的通知', '有效', '桂政办发〔2020〕12号'),
    notice('ncp-gl', '关于返岗人员居家隔离的通知', '失效', '桂政办发〔2020〕8号'),
  ];
  await env.DB.batch([
    env.DB.prepare(insertSql(TABLES.columns)).bind(...toRow(TABLES.columns, column)),
    ...docs.map((d) => env.DB.prepare(insertSql(TABLES.documents)).bind(...toRow(TABLES.documents, d))),
    ...docs.map((d) =>
      env.DB.prepare(insertSql(TABLES.placements)).bind(...toRow(TABLES.placements, { documentId: d.id, siteId: 'gxzf', columnId: 'gxzf/zcwj', pinned: 0 })),
    ),
  ]);
  insurance = await createEntry({
    question: '受疫情影响的企业可以延期缴纳社会保险费吗？',
    answer: '可以。受疫情影响的企业可申请延期缴纳，最长不超过6个月。\n延期期间不收取滞纳金。',
    sourceDocumentId: 'ncp-sbf',
  });
  quarantine = await createEntry({ question: '外地返岗人员需要居家隔离多少天？', answer: '返岗人员应居家隔离14天。', sourceDocumentId: 'ncp-gl' });
  // Distractors on the same subjects, so common tokens weigh what they would in a real knowledge base.
  for (const question of ['企业复工复产需要满足哪些条件？', '社会保险费缴费基数如何调整？', '居家隔离期间生活物资如何保障？', '外地人员来邕需要登记吗？'])
    await approve((await createEntry({ question, answer: '见来源文件。', sourceDocumentId: 'ncp-sbf' })).id);
});

describe('the knowledge base in the CMS', () => {
  it('answers only a signed-in account with a Q&A role, and is gone from the publishing API', async () => {
    expect((await api('GET', '/unanswered', undefined, null)).status).toBe(401);
    expect((await api('POST', '/entries', {}, null)).status).toBe(401);
    expect(
      (await call('http://127.0.0.1:8787/_ingest/qa/entries', { method: 'POST', headers: { Authorization: `Bearer ${'t'.repeat(48)}` }, body: '{}' })).status,
    ).not.toBe(201);
    // A change without the session's CSRF token is refused before anything is written.
    const noCsrf = await call('http://127.0.0.1:8787/api/cms/qa/entries', {
      method: 'POST',
      headers: { Cookie: editor.cookie, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(noCsrf.status).toBe(403);
  });

  it('keeps each unit to its own site, lets only a reviewer approve, and audits every change', async () => {
    const foreign = await api(
      'POST',
      '/entries',
      { siteId: 'gxzf', question: '南宁市的问题写到自治区网站？', answer: '不可以。', sourceDocumentId: 'ncp-sbf' },
      nanningEditor,
    );
    expect(foreign.status).toBe(403);
    expect(((await foreign.json()) as { field: string }).field).toBe('siteId');
    const draft = await createEntry({ question: '社会保险费可以分期缴纳吗？', answer: '见来源文件。', sourceDocumentId: 'ncp-sbf' });
    expect((await api('POST', `/entries/${draft.id}/approve`)).status).toBe(403); // the editor who wrote it
    expect((await api('POST', `/entries/${draft.id}/approve`, undefined, nanningEditor)).status).toBe(403);
    await approve(draft.id);
    expect((await api('POST', `/entries/${draft.id}/approve`, undefined, reviewer)).status).toBe(409); // already approved
    expect((await api('DELETE', `/entries/${draft.id}`, undefined, reviewer)).status).toBe(403);
    expect((await api('DELETE', `/entries/${draft.id}`)).status).toBe(200);
    const audit = (await env.DB.prepare('SELECT action, account_id AS who, site_id AS site FROM audit_log WHERE target = ? ORDER BY seq').bind(draft.id).all())
      .results;
    expect(audit).toEqual([
      { action: 'qa.create', who: 'qa-e', site: 'gxzf' },
      { action: 'qa.approve', who: 'qa-r', site: 'gxzf' },
      { action: 'qa.delete', who: 'qa-e', site: 'gxzf' },
    ]);
  });

  it('rejects invalid entries with 400 naming the field', async () => {
    const ok = { siteId: 'gxzf', question: '失业保险金怎么申领？', answer: '到社保经办机构申领。', sourceDocumentId: 'ncp-sbf' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...ok, question: '怎么办' }, 'question'],
      [{ ...ok, question: '问'.repeat(201) }, 'question'],
      [{ ...ok, answer: '   ' }, 'answer'],
      [{ ...ok, answer: '答'.repeat(2001) }, 'answer'],
      [{ ...ok, sourceDocumentId: 'no-such-document' }, 'sourceDocumentId'],
      [{ ...ok, sourceDocumentId: 'Not An Id' }, 'sourceDocumentId'],
      [{ ...ok, siteId: 'no-such-site' }, 'siteId'],
      [{ ...ok, siteId: undefined }, 'siteId'],
    ];
    for (const [body, field] of cases) {
      const res = await api('POST', '/entries', body);
      expect(res.status, field).toBe(400);
      expect(((await res.json()) as { field: string }).field, JSON.stringify(body).slice(0, 80)).toBe(field);
    }
    const update = await api('PUT', `/entries/${insurance.id}`, { ...ok, sourceDocumentId: 'no-such-document' });
    expect(update.status).toBe(400);
    expect(((await update.json()) as { field: string }).field).toBe('sourceDocumentId');
    expect((await api('POST', '/entries/qa-missing/approve', undefined, reviewer)).status).toBe(404);
  });
});

describe('answer cards', () => {
  it('does not use a draft until it is approved', async () => {
    expect(insurance.status).toBe('draft');
    expect(await answerTo('企业受疫情影响能否延期缴纳社会保险费')).toBeNull();
    await approve(insurance.id);
    const answer = await answerTo('企业受疫情影响能否延期缴纳社会保险费');
    expect(answer?.question).toBe('受疫情影响的企业可以延期缴纳社会保险费吗？');
  });

  it('answers a rephrased question with the cited document, its validity and where to read it', async () => {
    const answer = await answerTo('请问受疫情影响企业能不能延期缴纳社会保险费');
    expect(answer).toEqual({
      from: 'qa',
      question: '受疫情影响的企业可以延期缴纳社会保险费吗？',
      answer: '可以。受疫情影响的企业可申请延期缴纳，最长不超过6个月。\n延期期间不收取滞纳金。',
      source: {
        id: 'ncp-sbf',
        title: '关于阶段性延期缴纳社会保险费的通知',
        docNumber: '桂政办发〔2020〕12号',
        issuer: '广西壮族自治区人民政府办公厅',
        validity: '有效',
        publishedAt: '2020-02-20T09:00:00+08:00',
        placements: [{ siteId: 'gxzf', path: '/zcwj/ncp-sbf.html' }],
      },
    });
    // On a county or city site the region's entries answer too (its rules apply there); page 2 has no card.
    expect((await answerTo('受疫情影响企业能不能延期缴纳社会保险费', 'www.nanning.gov.cn'))?.source.id).toBe('ncp-sbf');
    expect(await answerTo('受疫情影响企业能不能延期缴纳社会保险费', '127.0.0.1:8787', '&page=2')).toBeNull();
  });

  it('shows the card above the results, and flags an answer resting on a document no longer in force', async () => {
    await approve(quarantine.id);
    const page = await (await call(`http://127.0.0.1:8787/search?q=${encodeURIComponent('外地返岗人员要居家隔离几天')}`)).text();
    expect(page).toContain('<h2 id="qa-card-title"');
    expect(page).toContain('政策问答');
    expect(page).toContain('答：返岗人员应居家隔离14天。');
    expect(page).toContain('该文件已失效，答复仅供参考');
    expect(page).toMatch(
      /来源：<a href="\/_site\/www\.gxzf\.gov\.cn\/zcwj\/ncp-gl\.html">关于返岗人员居家隔离的通知<\/a>　发文字号：桂政办发〔2020〕8号　发布机关：广西壮族自治区人民政府办公厅/,
    );
    expect(page).toMatch(/<span class="badge qa-validity"[^>]*>失效<\/span>/);
    // Above the results, or above the 没有找到 notice (these documents are not in the search index).
    const results = Math.max(page.indexOf('条结果'), page.indexOf('id="nothing-title"'));
    expect(results).toBeGreaterThan(-1);
    expect(page.indexOf('qa-card')).toBeLessThan(results);
    // On the site's own host the link is relative to the site.
    const own = await (await call(`http://www.gxzf.gov.cn/search?q=${encodeURIComponent('外地返岗人员要居家隔离几天')}`)).text();
    expect(own).toContain('来源：<a href="/zcwj/ncp-gl.html">');
    const valid = await (await call(`http://127.0.0.1:8787/search?q=${encodeURIComponent('受疫情影响企业能不能延期缴纳社会保险费')}`)).text();
    expect(valid).toContain('政策问答');
    expect(valid).not.toContain('该文件已失效');
    expect(valid).toMatch(/>有效<\/span>/);
  });

  it('takes an edited entry out until it is approved again, and a deleted one for good', async () => {
    const q = '外地返岗人员要居家隔离几天';
    const put = await api('PUT', `/entries/${quarantine.id}`, {
      siteId: 'gxzf',
      question: '外地返岗人员需要居家隔离多少天？',
      answer: '返岗人员应居家隔离7天。',
      sourceDocumentId: 'ncp-gl',
    });
    expect(put.status).toBe(200);
    expect(((await put.json()) as { entry: QaEntry }).entry.status).toBe('draft');
    expect(await answerTo(q)).toBeNull();
    await approve(quarantine.id);
    expect((await answerTo(q))?.answer).toBe('返岗人员应居家隔离7天。');
    expect((await api('DELETE', `/entries/${quarantine.id}`)).status).toBe(200);
    expect(await answerTo(q)).toBeNull();
    const left = await env.DB.prepare('SELECT (SELECT count(*) FROM qa_index) AS indexed, (SELECT count(*) FROM qa_entries WHERE status = ?) AS approved')
      .bind('approved')
      .first<{ indexed: number; approved: number }>();
    expect(left!.indexed).toBe(left!.approved);
  });
});

describe('questions nobody answered', () => {
  it('gets no card for an unrelated question, logs it and counts it per day', async () => {
    await env.DB.prepare('DELETE FROM qa_unanswered').run();
    const q = '城市公园什么时候恢复开放？';
    expect(await answerTo(q)).toBeNull();
    const page = await (await call(`http://127.0.0.1:8787/search?q=${encodeURIComponent(q)}`)).text();
    expect(page).not.toContain('qa-card');
    const today = dayOf(Date.now());
    // Logged from the page, not from the JSON API (clients polling it would crowd out what citizens asked).
    expect(await unanswered()).toEqual([{ question: '城市公园什么时候恢复开放', count: 1, firstDay: today, lastDay: today }]);
    await call(`http://127.0.0.1:8787/search?q=${encodeURIComponent(q)}`);
    expect(await unanswered()).toEqual([{ question: '城市公园什么时候恢复开放', count: 2, firstDay: today, lastDay: today }]);
    // A later day moves the last day on and keeps the first.
    await logUnansweredStatement(env.DB, '城市公园什么时候恢复开放', '2099-01-02').run();
    expect(await unanswered()).toEqual([{ question: '城市公园什么时候恢复开放', count: 3, firstDay: today, lastDay: '2099-01-02' }]);
    const listed = (await (await api('GET', '/unanswered')).json()) as { questions: unknown[] };
    expect(listed.questions).toEqual([{ question: '城市公园什么时候恢复开放', count: 3, firstDay: today, lastDay: '2099-01-02' }]);
    expect((await api('DELETE', '/unanswered', { question: '城市公园什么时候恢复开放' })).status).toBe(200);
    expect(await unanswered()).toEqual([]);
    expect(await env.DB.prepare("SELECT action, account_id AS who FROM audit_log WHERE action = 'qa.dismiss'").first()).toEqual({
      action: 'qa.dismiss',
      who: 'qa-e',
    });
  });

  it('logs no keyword searches, no texts that look like personal data, and nothing but text and days', async () => {
    await env.DB.prepare('DELETE FROM qa_unanswered').run();
    for (const q of ['公积金', '我的身份证450102199001011234怎么补办', '电话 138 0013 8000 打不通怎么办'])
      await call(`http://127.0.0.1:8787/search?q=${encodeURIComponent(q)}`);
    expect(await unanswered()).toEqual([]);
    const { results } = await env.DB.prepare('PRAGMA table_info(qa_unanswered)').all<{ name: string }>();
    expect(results.map((c) => c.name).sort()).toEqual(['count', 'first_day', 'last_day', 'question']);
  });
});

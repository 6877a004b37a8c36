/**
 * 留言咨询 in workerd with D1 and R2: the form in the site's template, refusals naming the field in Chinese (bad
 * input, the bot check, another origin, too many posts), the query code, and the whole loop — an editor answers,
 * the answer goes through review as a 留言选登 document, is published without the citizen's personal data (not on
 * the page, not in the search index), the citizen reads it by code, and it becomes a Q&A entry in one step.
 */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { SearchParamsSchema, searchD1 } from '@ywtc/search';
import { SITES, page, publish, seedRegistry } from '../testing/sites.ts';
import { addAccount, login, type Session } from '../testing/accounts.ts';
import { issueChallenge } from './challenge.ts';
import { purgeContacts, pruneRates } from './store.ts';

const SITE = 'http://www.gxzf.gov.cn/';
const ADMIN = 'http://127.0.0.1:8787';
const SECRET = env.PERSONAL_SECRET!;
let editor: Session, reviewer: Session, outsider: Session;
let address = 0;

const FRAME = page(
  '网站地图_广西壮族自治区人民政府门户网站',
  '<header class="site-header"><a href="../index.html">首页</a><a data-switch="mode" href="../_mode?set=elder&amp;back=%2Fwzdt%2F">适老化模式</a></header><link rel="canonical" href="https://www.gxzf.gov.cn/wzdt/"><main id="main"><h1>网站地图</h1></main><footer>网站标识码 4500000001</footer>',
);

const PERSONAL = { name: '张小明', phone: '13907712345', email: 'zhangxm@example.com' };
const GOOD = {
  title: '关于养老保险缴费年限的咨询',
  question: '请问灵活就业人员养老保险最低缴费年限是多少年？我的电话 13812345678，方便时请回电。',
  ...PERSONAL,
  consent: 'on',
};

/** A form as the page hands it out, filled in after the minimum fill time, with the right sum. */
async function filled(fields: Record<string, string>, opts: { age?: number; sum?: number; site?: string } = {}): Promise<Record<string, string>> {
  const c = await issueChallenge(SECRET, opts.site ?? 'gxzf', Math.floor(Date.now() / 1000) - (opts.age ?? 10));
  return { token: c.token, answer: String(opts.sum ?? c.a + c.b), website: '', ...fields };
}

async function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return SELF.fetch(SITE + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'CF-Connecting-IP': `192.0.2.${++address}`, ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
}
const adminGet = (s: Session, path: string) => SELF.fetch(ADMIN + path, { headers: { Cookie: s.cookie }, redirect: 'manual' });
const adminForm = (s: Session, path: string, fields: Record<string, string>) =>
  SELF.fetch(ADMIN + path, {
    method: 'POST',
    headers: { Cookie: s.cookie, Origin: ADMIN, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: s.csrf, ...fields }).toString(),
    redirect: 'manual',
  });
const api = (s: Session, path: string) =>
  SELF.fetch(`${ADMIN}/api/cms${path}`, {
    method: 'POST',
    headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json', Origin: ADMIN },
    body: '{}',
  });
const count = async (table: string) => (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<{ n: number }>())!.n;
const codeOf = (html: string) => /<p class="consult-code">([A-Z0-9-]{14})<\/p>/.exec(html)?.[1] ?? null;

beforeAll(async () => {
  await seedRegistry();
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES ('gxzf/hdjl', 'gxzf', NULL, 'hdjl', '互动交流', 'interaction', '留言答复', '[]', 0)",
    ),
  ]);
  await publish(
    'gxzf',
    { '/index.html': page(SITES[0]!.name), '/wzdt/index.html': FRAME, '/hdjl/index.html': page('互动交流'), '/404.html': page('页面不存在') },
    'v1',
  );
  await publish('nanning', { '/index.html': page(SITES[1]!.name), '/404.html': page('页面不存在') }, 'v1');
  await addAccount('c-ed', 'c-editor', 'Consult-editor-2026', [{ role: 'editor', siteId: 'gxzf' }]);
  await addAccount('c-rv', 'c-reviewer', 'Consult-review-2026', [{ role: 'reviewer', siteId: 'gxzf', level: 1 }]);
  await addAccount('c-out', 'c-outsider', 'Consult-outside-2026', [{ role: 'editor', siteId: 'nanning' }]);
  [editor, reviewer, outsider] = await Promise.all([
    login('c-editor', 'Consult-editor-2026'),
    login('c-reviewer', 'Consult-review-2026'),
    login('c-outsider', 'Consult-outside-2026'),
  ]);
});

describe('the 留言 form', () => {
  it('is a plain form in the site’s own frame, noindex, with the frame’s relative links one level deeper', async () => {
    const res = await SELF.fetch(SITE + 'hdjl/ly/');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const html = await res.text();
    expect(html).toContain('<title>我要留言_广西壮族自治区人民政府门户网站</title>');
    expect(html).toContain('网站标识码 4500000001');
    expect(html).toContain('<meta name="robots" content="noindex">');
    expect(html).toContain('<a href="../../index.html">首页</a>');
    expect(html).toContain('href="../../_mode?set=elder&amp;back=%2Fhdjl%2Fly%2F"');
    for (const field of ['title', 'question', 'name', 'phone', 'email', 'answer', 'consent', 'token', 'website']) expect(html).toContain(`name="${field}"`);
    expect(html).toMatch(/验证问题：\d 加 \d 等于多少？/);
    expect(html).not.toContain('<script');
  });

  it('is not there on a site without a 互动交流 column', async () => {
    expect((await SELF.fetch('http://www.nanning.gov.cn/hdjl/ly/')).status).toBe(404);
  });

  it('refuses bad input with a 400 naming each field in Chinese, and stores nothing', async () => {
    const res = await post('hdjl/ly/', await filled({ title: '问', question: '太短', name: '', phone: '12', email: 'x@', consent: '' }));
    expect(res.status).toBe(400);
    const html = await res.text();
    for (const text of [
      '留言标题：至少 4 个字',
      '留言内容：至少 10 个字',
      '联系电话：格式不正确',
      '电子邮箱：格式不正确',
      '个人信息处理说明：请阅读并同意后再提交',
    ])
      expect(html).toContain(text);
    expect(html).toContain('value="问"'); // what was typed comes back to be corrected
    const none = await post('hdjl/ly/', await filled({ ...GOOD, phone: '', email: '' }));
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('联系方式：请至少填写联系电话或电子邮箱中的一项');
    expect(await count('consult_messages')).toBe(0);
  });

  it('refuses a wrong sum, a post faster than a person types, a forged or another site’s token, a filled honeypot', async () => {
    const cases: [Record<string, string>, string][] = [
      [await filled(GOOD, { sum: 99 }), '验证问题：答案不正确'],
      [await filled(GOOD, { age: 0 }), '验证问题：提交过快'],
      [await filled(GOOD, { age: 3 * 3600 }), '验证问题：表单已超过 2 小时'],
      [{ ...(await filled(GOOD)), token: '1700000000.0123456789abcdef01.0123456789abcdef0123456789abcdef' }, '验证问题：表单已失效'],
      [await filled(GOOD, { site: 'nanning' }), '验证问题：表单已失效'],
      [{ ...(await filled(GOOD)), website: 'http://spam.example' }, '表单：无法提交'],
    ];
    for (const [fields, message] of cases) {
      const res = await post('hdjl/ly/', fields);
      expect(res.status, message).toBe(400);
      expect(await res.text()).toContain(message);
    }
    const foreign = await post('hdjl/ly/', await filled(GOOD), { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain('表单：只能在本站的“我要留言”页面提交');
    expect(await count('consult_messages')).toBe(0);
  });

  it('takes one question per solved form: the same token posted again is refused', async () => {
    const fields = await filled({ ...GOOD, title: '同一表单重复提交测试' });
    expect((await post('hdjl/ly/', fields)).status).toBe(200);
    const again = await post('hdjl/ly/', fields);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('验证问题：这份表单已经提交过');
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM consult_messages WHERE title = '同一表单重复提交测试'").first<{ n: number }>())!.n).toBe(1);
  });

  it('lets one address send 5 questions an hour, then answers 429 with Retry-After', async () => {
    const before = await count('consult_messages');
    const from = { 'CF-Connecting-IP': '198.51.100.7' };
    for (let i = 0; i < 5; i++) expect((await post('hdjl/ly/', await filled({ ...GOOD, title: `限流测试第${i + 1}条留言` }), from)).status).toBe(200);
    const sixth = await post('hdjl/ly/', await filled(GOOD), from);
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await sixth.text()).toContain('提交过于频繁');
    expect(await count('consult_messages')).toBe(before + 5);
    // Another address is not held back by it.
    expect((await post('hdjl/ly/', await filled(GOOD), { 'CF-Connecting-IP': '198.51.100.8' })).status).toBe(200);
  });
});

describe('a 留言 through to its published answer', () => {
  let code = '';
  let id = '';
  let documentId = '';

  it('stores the question apart from the contact details, audits it without them, and gives the citizen a query code', async () => {
    const res = await post('hdjl/ly/', await filled(GOOD));
    expect(res.status).toBe(200);
    const html = await res.text();
    code = codeOf(html)!;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const row = await env.DB.prepare('SELECT * FROM consult_messages WHERE title = ? AND answer IS NULL ORDER BY received_at DESC')
      .bind(GOOD.title)
      .first<Record<string, string>>();
    id = row!.id!;
    expect(JSON.stringify(row)).not.toContain(PERSONAL.phone);
    expect(JSON.stringify(row)).not.toContain(PERSONAL.email);
    expect(JSON.stringify(row)).not.toContain(code.replace(/-/g, '')); // only its hash
    const contact = await env.DB.prepare('SELECT name, phone, email FROM consult_contacts WHERE message_id = ?').bind(id).first();
    expect(contact).toEqual({ name: PERSONAL.name, phone: PERSONAL.phone, email: PERSONAL.email });
    const audit = await env.DB.prepare("SELECT target, detail FROM audit_log WHERE action = 'consult.receive' AND target = ?").bind(id).first();
    expect(audit).toEqual({ target: id, detail: '' });
  });

  it('answers a look-up by code with where the question stands; a malformed code is a 400, an unknown one a 404', async () => {
    const res = await post('hdjl/cx/', { code: code.toLowerCase().replace(/-/g, ' ') });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(GOOD.title);
    expect(html).toContain('待办理');
    expect(html).not.toContain(PERSONAL.phone);
    const bad = await post('hdjl/cx/', { code: '123' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('查询码：应为提交留言时得到的 12 位字母和数字');
    expect((await post('hdjl/cx/', { code: 'ABCD-EFGH-JKMN' })).status).toBe(404);
  });

  it('puts the question in the editors’ queue of its site only, with the contact details for the reply', async () => {
    const list = await (await adminGet(editor, '/admin/consult')).text();
    expect(list).toContain(`href="/admin/consult/${id}"`);
    const page = await (await adminGet(editor, `/admin/consult/${id}`)).text();
    expect(page).toContain(PERSONAL.phone);
    expect(page).toContain(PERSONAL.email);
    expect(await (await adminGet(outsider, '/admin/consult')).text()).not.toContain(id);
    expect((await adminGet(outsider, `/admin/consult/${id}`)).status).toBe(404);
    expect((await adminForm(outsider, `/admin/consult/${id}/answer`, { answer: '不是本单位的留言，不应能答复。' })).status).toBe(404);
    expect((await adminGet(reviewer, '/admin/consult')).status).toBe(403);
  });

  it('refuses an empty answer naming the field, then makes the answer a 留言选登 draft linked in the same transaction', async () => {
    const empty = await adminForm(editor, `/admin/consult/${id}/answer`, { answer: '好' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('答复内容：至少 10 个字');
    const res = await adminForm(editor, `/admin/consult/${id}/answer`, {
      answer: '您好！按现行规定，灵活就业人员参加基本养老保险，累计缴费满15年方可按月领取基本养老金。',
    });
    expect(res.status).toBe(303);
    documentId = res.headers.get('location')!.replace('/admin/documents/', '');
    const linked = await env.DB.prepare('SELECT document_id, answer_unit FROM consult_messages WHERE id = ?').bind(id).first();
    expect(linked).toEqual({ document_id: documentId, answer_unit: SITES[0]!.sponsor });
    expect((await adminForm(editor, `/admin/consult/${id}/answer`, { answer: '第二份答复不应被接受，应答复一次。' })).status).toBe(409);
    expect(await (await adminGet(editor, `/admin/consult/${id}`)).text()).toContain('答复审核中');
  });

  it('publishes the answer through review, without personal data in the published item or in the search index', async () => {
    // The answer is edited in the document editor before review (or after a rejection): what is published is that.
    const row = await env.DB.prepare('SELECT data FROM cms_revisions WHERE document_id = ? AND revision = 1').bind(documentId).first<{ data: string }>();
    const draft = JSON.parse(row!.data) as { bodyHtml: string };
    draft.bodyHtml = draft.bodyHtml.replace('累计缴费满15年', '累计缴费满15年（经审核修订）');
    const saved = await SELF.fetch(`${ADMIN}/api/cms/documents/${documentId}`, {
      method: 'PUT',
      headers: { Cookie: editor.cookie, 'X-CSRF-Token': editor.csrf, 'Content-Type': 'application/json', Origin: ADMIN },
      body: JSON.stringify({ revision: 1, draft }),
    });
    expect(saved.status, await saved.clone().text()).toBe(200);
    expect((await api(editor, `/documents/${documentId}/submit`)).status).toBe(200);
    expect((await api(reviewer, `/documents/${documentId}/approve`)).status).toBe(200);
    const published = await api(editor, `/documents/${documentId}/publish`);
    expect(published.status, await published.clone().text()).toBe(200);
    const doc = await env.DB.prepare('SELECT title, body_html, source FROM documents WHERE id = ?').bind(documentId).first<Record<string, string>>();
    expect(doc!.title).toBe(`网民留言选登：${GOOD.title}`);
    expect(doc!.body_html).toContain('灵活就业人员养老保险最低缴费年限');
    expect(doc!.body_html).toContain('累计缴费满15年');
    expect(doc!.body_html).toContain(`答复单位：${SITES[0]!.sponsor}`);
    expect(doc!.body_html).toMatch(/办理时长 \d+ 天/);
    const everything = JSON.stringify(doc);
    for (const secret of [PERSONAL.name, PERSONAL.phone, PERSONAL.email, '13812345678']) expect(everything).not.toContain(secret);
    expect(doc!.body_html).toContain('〔已隐去〕');
    const found = await searchD1(env.DB, SearchParamsSchema.parse({ q: '灵活就业人员养老保险' }));
    expect(found.hits.map((h) => h.id)).toContain(documentId);
    for (const secret of [PERSONAL.phone, '13812345678', PERSONAL.name]) {
      const hits = await searchD1(env.DB, SearchParamsSchema.parse({ q: secret }));
      expect(
        hits.hits.map((h) => h.id),
        secret,
      ).not.toContain(documentId);
    }
    const text = await env.DB.prepare('SELECT * FROM search_text').all();
    expect(JSON.stringify(text.results)).toContain('灵活就业');
    for (const secret of [PERSONAL.phone, '13812345678', PERSONAL.email]) expect(JSON.stringify(text.results)).not.toContain(secret);
  });

  it('shows the citizen the published answer, the answering unit and 办理时长 by code', async () => {
    const html = await (await post('hdjl/cx/', { code })).text();
    expect(html).toContain('已答复');
    expect(html).toContain('累计缴费满15年（经审核修订）'); // as reviewed and published, not the first draft
    expect(html).not.toContain('<h2>留言内容</h2>');
    expect(html).toContain(SITES[0]!.sponsor);
    expect(html).toMatch(/<th scope="row">办理时长<\/th><td>\d+ 天<\/td>/);
    expect(html).toContain(`href="/hdjl/${documentId}.html"`);
  });

  it('adds the published answer to the Q&A knowledge base in one step, citing the 留言选登 item, once', async () => {
    const res = await adminForm(editor, `/admin/consult/${id}/qa`, {});
    expect(res.status).toBe(303);
    const entry = await env.DB.prepare(
      'SELECT e.question, e.answer, e.source_document_id, e.status FROM qa_entries e JOIN consult_messages m ON m.qa_entry_id = e.id WHERE m.id = ?',
    )
      .bind(id)
      .first<Record<string, string>>();
    expect(entry!.source_document_id).toBe(documentId);
    expect(entry!.status).toBe('draft');
    expect(entry!.answer).toContain('累计缴费满15年（经审核修订）');
    expect(entry!.answer).not.toContain('<');
    expect(entry!.question).not.toContain('13812345678');
    expect((await adminForm(editor, `/admin/consult/${id}/qa`, {})).status).toBe(409);
  });
});

describe('response times', () => {
  it('flags a question waiting more than 3 months and counts it for the inspection', async () => {
    const old = new Date(Date.now() - 100 * 86_400_000).toISOString();
    await env.DB.prepare(
      "INSERT INTO consult_messages (id, site_id, code_hash, title, question, received_at) VALUES ('ly-gxzf-old-1', 'gxzf', ?, '很久以前的留言', '一个很久没有人答复的问题内容', ?)",
    )
      .bind('0'.repeat(64), old)
      .run();
    const html = await (await adminGet(editor, '/admin/consult')).text();
    expect(html).toMatch(
      /很久以前的留言<\/a><\/td><td>[^<]+<\/td><td>[^<]+<\/td><td>待办理 <strong class="err">超过 3 个月未答复<\/strong><\/td><td>100 天（办理中）/,
    );
    expect(html).toMatch(/<caption>办理情况统计<\/caption>.*<tbody><tr><td>\d+<\/td><td>1<\/td><td>\d+<\/td><td>1<\/td><td>\d+(\.\d)? 天<\/td>/s);
  });

  it('gives dashboards the counts per site the account handles, and nothing to others', async () => {
    const stats = async (s?: Session) => SELF.fetch(`${ADMIN}/api/cms/consult/stats`, s ? { headers: { Cookie: s.cookie } } : {});
    const mine = (await (await stats(editor)).json()) as {
      all: { answered: number; overdue: number };
      sites: { siteId: string; overdue: number; meanDays: number | null }[];
    };
    expect(mine.sites.map((x) => x.siteId)).toEqual(['gxzf']);
    expect(mine.all).toMatchObject({ answered: 1, overdue: 1 });
    expect(mine.sites[0]!.meanDays).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(mine)).not.toContain(GOOD.title);
    const theirs = (await (await stats(outsider)).json()) as { all: { total: number }; sites: { siteId: string }[] };
    expect(theirs.sites.map((x) => x.siteId)).toEqual(['nanning']);
    expect(theirs.all.total).toBe(0);
    expect((await stats()).status).toBe(401);
    expect((await stats(reviewer)).status).toBe(403);
  });

  it('deletes contact details past their retention', async () => {
    await env.DB.prepare("INSERT INTO consult_contacts (message_id, name, phone, email, purge_after) VALUES ('ly-gxzf-old-1', NULL, '13900000000', NULL, ?)")
      .bind(new Date(Date.now() - 1000).toISOString())
      .run();
    const before = await count('consult_contacts');
    expect((await purgeContacts(env.DB).run()).meta.changes).toBe(1);
    expect(await count('consult_contacts')).toBe(before - 1);
  });

  it('forgets rate-limit windows a day after they ended', async () => {
    await env.DB.prepare("INSERT INTO consult_rate (key, window_start, count) VALUES ('old-window', ?, 3)")
      .bind(Date.now() - 2 * 86_400_000)
      .run();
    const before = await count('consult_rate');
    expect((await pruneRates(env.DB).run()).meta.changes).toBe(1);
    expect(await count('consult_rate')).toBe(before - 1);
  });
});

/** Documents through the CMS API in workerd with D1: revisions and conflicts, two-level review, publish, withdraw. */
import { SELF, createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import worker from '../index.ts';
import { releaseDue } from './scheduler.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { SearchParamsSchema, searchD1 } from '@ywtc/search';
import { forgetLists } from './checks.ts';
import { seedRegistry } from '../testing/sites.ts';
import { addAccount as addTestAccount, type TestGrant } from '../testing/accounts.ts';

const ORIGIN = 'http://127.0.0.1:8787';
const PASSWORD = 'Docs-test-2026';
type Session = { cookie: string; csrf: string };

const addAccount = (id: string, grants: TestGrant[]) => addTestAccount(id, `user-${id}`, PASSWORD, grants);
let ip = 0;
async function login(id: string): Promise<Session> {
  const username = `user-${id}`;
  const res = await SELF.fetch(`${ORIGIN}/api/cms/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': `10.7.0.${++ip}` },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(res.status, username).toBe(200);
  return { cookie: /^([^;]+)/.exec(res.headers.get('set-cookie')!)![1]!, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}
const call = (s: Session, method: string, path: string, body?: unknown) =>
  SELF.fetch(`${ORIGIN}/api/cms${path}`, {
    method,
    headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json', Origin: ORIGIN },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

let serial = 0;
const policyDraft = (title: string, extra: Record<string, unknown> = {}) => ({
  kind: 'policy',
  title,
  bodyHtml: `<p>${title}的正文。</p>`,
  source: '南宁市人民政府办公室',
  issuer: '南宁市人民政府办公室',
  docNumber: `南府办〔2026〕${++serial}号`,
  indexNumber: `450100001/2026-${String(serial).padStart(5, '0')}`,
  writtenOn: '2026-11-20',
  ...extra,
});

let editor: Session, reviewer1: Session, reviewer2: Session, outsider: Session;
beforeAll(async () => {
  await seedRegistry();
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES ('nanning/zcwj', 'nanning', NULL, 'zcwj', '政策文件', 'policy', '政策文件', '[]', 0)",
    ),
    env.DB.prepare(
      "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES ('nanning/zcjd', 'nanning', NULL, 'zcjd', '政策解读', 'interpretation', '政策解读', '[]', 1)",
    ),
  ]);
  await addAccount('ed', [{ role: 'editor', siteId: 'nanning' }]);
  await addAccount('rv1', [{ role: 'reviewer', siteId: 'nanning', level: 1 }]);
  await addAccount('rv2', [{ role: 'reviewer', siteId: 'gxzf', level: 2 }]);
  await addAccount('other', [{ role: 'editor', siteId: 'gxzf' }]);
  editor = await login('ed');
  reviewer1 = await login('rv1');
  reviewer2 = await login('rv2');
  outsider = await login('other');
});

async function create(title: string, extra: Record<string, unknown> = {}, column = 'nanning/zcwj') {
  const res = await call(editor, 'POST', '/documents', { siteId: 'nanning', columnId: column, draft: policyDraft(title, extra) });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; revision: number; state: string; depth: number };
}
const step = async (s: Session, id: string, name: string, body: unknown = {}) => call(s, 'POST', `/documents/${id}/${name}`, body);

describe('documents in the CMS', () => {
  it('saves revisions, and a save from a stale revision gets a 409 and loses nothing', async () => {
    const doc = await create('关于做好城市防汛工作的通知');
    expect(doc).toMatchObject({ revision: 1, state: 'draft', depth: 2 }); // 政策文件: two review levels
    const save = (revision: number, title: string) => call(editor, 'PUT', `/documents/${doc.id}`, { revision, draft: policyDraft(title) });
    expect((await save(1, '关于做好城市防汛工作的通知（修改）')).status).toBe(200);
    const stale = await save(1, '另一人的修改');
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ field: 'revision' });
    const now = (await (await call(editor, 'GET', `/documents/${doc.id}`)).json()) as { item: { revision: number }; draft: { title: string } };
    expect(now).toMatchObject({ item: { revision: 2 }, draft: { title: '关于做好城市防汛工作的通知（修改）' } });
    expect((await env.DB.prepare('SELECT count(*) AS n FROM cms_revisions WHERE document_id = ?').bind(doc.id).first<{ n: number }>())!.n).toBe(2);
  });

  it('stores the body sanitized and names bad fields', async () => {
    const doc = await create('关于加强校园安全的通知', {
      bodyHtml: '<p onclick="x()">正文<script>alert(1)</script><a href="javascript:alert(1)">链接</a></p>',
    });
    const { draft } = (await (await call(editor, 'GET', `/documents/${doc.id}`)).json()) as { draft: { bodyHtml: string } };
    expect(draft.bodyHtml).not.toMatch(/script|onclick|javascript:/i);
    const bad = await call(editor, 'POST', '/documents', {
      siteId: 'nanning',
      columnId: 'nanning/zcwj',
      draft: { kind: 'policy', title: 'x', bodyHtml: '', source: '来源单位' },
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'draft.title' });
    expect((await call(editor, 'POST', '/documents', { siteId: 'nanning', columnId: 'gxzf/none', draft: policyDraft('无此栏目的文档') })).status).toBe(400);
  });

  it('goes through both review levels, each by its own reviewer, then the editor publishes it live and searchable', async () => {
    const doc = await create('南宁市促进消费若干措施');
    expect((await step(editor, doc.id, 'submit')).status).toBe(200);
    expect((await step(editor, doc.id, 'approve')).status).toBe(403); // editors do not review
    expect((await step(reviewer2, doc.id, 'approve')).status).toBe(403); // level 2 waits for level 1
    expect(await (await step(reviewer1, doc.id, 'approve')).json()).toMatchObject({ state: 'review', level: 2 });
    expect((await step(editor, doc.id, 'publish')).status).toBe(409); // not approved yet
    expect(await (await step(reviewer2, doc.id, 'approve')).json()).toMatchObject({ state: 'approved' });
    const before = Date.now();
    const published = (await (await step(editor, doc.id, 'publish', { publishedAt: '2001-01-01T00:00:00+08:00' })).json()) as {
      state: string;
      publishedAt: string;
    };
    expect(published.state).toBe('published');
    expect(Date.parse(published.publishedAt)).toBeGreaterThanOrEqual(before - 1000); // the server's time, not the client's
    expect(await env.DB.prepare('SELECT site_id, column_id FROM placements WHERE document_id = ?').bind(doc.id).first()).toEqual({
      site_id: 'nanning',
      column_id: 'nanning/zcwj',
    });
    const found = await searchD1(env.DB, SearchParamsSchema.parse({ q: '促进消费' }));
    expect(found.hits.map((h) => h.id)).toContain(doc.id);
    const { results } = await env.DB.prepare('SELECT from_state, to_state, level, account_id FROM cms_transitions WHERE document_id = ? ORDER BY seq')
      .bind(doc.id)
      .all();
    expect(results).toEqual([
      { from_state: 'draft', to_state: 'review', level: null, account_id: 'ed' },
      { from_state: 'review', to_state: 'review', level: 1, account_id: 'rv1' },
      { from_state: 'review', to_state: 'approved', level: 2, account_id: 'rv2' },
      { from_state: 'approved', to_state: 'published', level: null, account_id: 'ed' },
    ]);
    expect(
      (await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE target = ? AND action LIKE 'document.%'").bind(doc.id).first<{ n: number }>())!.n,
    ).toBe(5);

    // Withdrawn: a reason is required, then it is off the site and out of search.
    expect(await (await step(editor, doc.id, 'withdraw', { reason: ' ' })).json()).toMatchObject({ field: 'reason' });
    expect((await step(editor, doc.id, 'withdraw', { reason: '措施调整，重新发布' })).status).toBe(200);
    expect(await env.DB.prepare('SELECT 1 FROM placements WHERE document_id = ?').bind(doc.id).first()).toBeNull();
    expect((await searchD1(env.DB, SearchParamsSchema.parse({ q: '促进消费' }))).hits.map((h) => h.id)).not.toContain(doc.id);
  });

  it('returns a rejected document to its editor with the comment, and only drafts can be edited', async () => {
    const doc = await create('关于调整公交线路的公告');
    await step(editor, doc.id, 'submit');
    expect((await call(editor, 'PUT', `/documents/${doc.id}`, { revision: 1, draft: policyDraft('关于调整公交线路的公告（改）') })).status).toBe(409);
    expect(await (await step(reviewer1, doc.id, 'reject', {})).json()).toMatchObject({ field: 'comment' });
    expect(await (await step(reviewer1, doc.id, 'reject', { comment: '请补充线路图' })).json()).toMatchObject({ state: 'draft' });
    expect(
      (await env.DB.prepare("SELECT comment FROM cms_transitions WHERE document_id = ? AND to_state = 'draft'").bind(doc.id).first<{ comment: string }>())!
        .comment,
    ).toBe('请补充线路图');
  });

  it('keeps other units out, and an interpretation from going live before its policy', async () => {
    const doc = await create('南宁市养老服务补贴办法');
    expect((await call(outsider, 'GET', `/documents/${doc.id}`)).status).toBe(404);
    expect((await call(outsider, 'PUT', `/documents/${doc.id}`, { revision: 1, draft: policyDraft('篡改') })).status).toBe(403);
    expect((await step(outsider, doc.id, 'submit')).status).toBe(403);
    const reading = await create(
      '图解：南宁市养老服务补贴办法',
      { kind: 'interpretation', issuer: null, docNumber: null, indexNumber: null, writtenOn: null, interprets: doc.id },
      'nanning/zcjd',
    );
    await step(editor, reading.id, 'submit');
    await step(reviewer1, reading.id, 'approve');
    await step(reviewer2, reading.id, 'approve');
    expect(await (await step(editor, reading.id, 'publish')).json()).toMatchObject({ field: 'policy' });
    expect(await (await step(editor, reading.id, 'schedule', { at: '2000-01-01T00:00:00+08:00' })).json()).toMatchObject({ field: 'at' });
  });

  it('refuses mutations without the CSRF token', async () => {
    const res = await SELF.fetch(`${ORIGIN}/api/cms/documents`, {
      method: 'POST',
      headers: { Cookie: editor.cookie, 'Content-Type': 'application/json' },
      body: JSON.stringify({ siteId: 'nanning', columnId: 'nanning/zcwj', draft: policyDraft('无令牌的请求') }),
    });
    expect(res.status).toBe(403);
  });
});

describe('revisions', () => {
  it('lists them, shows what changed between any two, and restores one as a new revision', async () => {
    const meta = { docNumber: '南府办〔2026〕900号', indexNumber: '450100001/2026-00900' };
    const doc = await create('关于开展爱国卫生运动的通知', { bodyHtml: '<p>第一段。</p><p>第二段。</p>', ...meta });
    const save = (revision: number, body: string, title = '关于开展爱国卫生运动的通知') =>
      call(editor, 'PUT', `/documents/${doc.id}`, { revision, draft: policyDraft(title, { bodyHtml: body, ...meta }) });
    expect((await save(1, '<p>第一段。</p><p>第二段改。</p><p>第三段。</p>', '关于深入开展爱国卫生运动的通知')).status).toBe(200);
    const list = (await (await call(editor, 'GET', `/documents/${doc.id}/revisions`)).json()) as { revisions: { revision: number; authorId: string }[] };
    expect(list.revisions.map((r) => [r.revision, r.authorId])).toEqual([
      [2, 'ed'],
      [1, 'ed'],
    ]);
    const diff = (await (await call(reviewer1, 'GET', `/documents/${doc.id}/diff?from=1&to=2`)).json()) as {
      changes: { field: string; lines?: { op: string; text: string }[] }[];
    };
    expect(diff.changes.map((ch) => ch.field).sort()).toEqual(['bodyHtml', 'title']);
    expect(diff.changes.find((ch) => ch.field === 'bodyHtml')!.lines).toEqual([
      { op: '=', text: '第一段。' },
      { op: '-', text: '第二段。' },
      { op: '+', text: '第二段改。' },
      { op: '+', text: '第三段。' },
    ]);
    expect((await call(editor, 'GET', `/documents/${doc.id}/diff?from=1&to=9`)).status).toBe(404);
    expect((await call(outsider, 'GET', `/documents/${doc.id}/revisions`)).status).toBe(404);
    expect((await call(editor, 'POST', `/documents/${doc.id}/restore`, { revision: 1, from: 1 })).status).toBe(409); // stale
    const restored = (await (await call(editor, 'POST', `/documents/${doc.id}/restore`, { revision: 2, from: 1 })).json()) as { revision: number };
    expect(restored.revision).toBe(3);
    const now = (await (await call(editor, 'GET', `/documents/${doc.id}`)).json()) as { draft: { title: string } };
    expect(now.draft.title).toBe('关于开展爱国卫生运动的通知');
  });
});

describe('pre-publish checks', () => {
  beforeAll(async () => {
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO check_terms (list, term, replacement, note) VALUES ('typo', '布署', '部署', ''), ('banned', '隆重召开', '召开', '一般性会议不冠以隆重'), ('caution', '亲自', '（删去）', ''), ('illegal-domain', 'bad-casino.example', '', '')",
      ),
    ]);
    forgetLists(); // written straight into D1 here; through the API the edit clears the isolate's copy itself
  });

  it('lists errors and warnings for the current revision, and blocks submission on errors', async () => {
    const doc = await create('南宁市隆重召开防汛工作会议', {
      bodyHtml: '<p>市领导亲自布署防汛工作。详见 <a href="https://www.bad-casino.example/x">链接</a>。</p><p><img src="/a.png"></p>',
      docNumber: null,
    });
    const report = (await (await call(editor, 'GET', `/documents/${doc.id}/checks`)).json()) as {
      errors: { code: string; field: string }[];
      warnings: { code: string }[];
    };
    expect(report.errors.map((e) => `${e.code}:${e.field}`).sort()).toEqual([
      'banned:title',
      'illegal-domain:bodyHtml',
      'image-alt:bodyHtml',
      'metadata:docNumber',
    ]);
    expect(report.warnings.map((w) => w.code).sort()).toEqual(['caution', 'typo']);
    const blocked = await step(editor, doc.id, 'submit');
    expect(blocked.status).toBe(400);
    expect(await blocked.json()).toMatchObject({ field: 'checks', errors: expect.any(Array) });
    expect(await (await call(editor, 'GET', `/documents/${doc.id}`)).json()).toMatchObject({ item: { state: 'draft' } });
  });

  it('lets platform admins, and only them, edit the lists (audited), and uses the change at once', async () => {
    expect((await call(editor, 'POST', '/check-terms', { list: 'typo', term: '既使', replacement: '即使' })).status).toBe(403);
    const admin = await (async () => {
      await addAccount('pa', [{ role: 'platform-admin', siteId: null }]);
      return login('pa');
    })();
    expect(await (await call(admin, 'POST', '/check-terms', { list: 'nonsense', term: 'x' })).json()).toMatchObject({ field: 'list' });
    expect((await call(admin, 'POST', '/check-terms', { list: 'typo', term: '既使', replacement: '即使' })).status).toBe(201);
    const doc = await create('关于既使下雨也要出勤的通知');
    const report = (await (await call(editor, 'GET', `/documents/${doc.id}/checks`)).json()) as { warnings: { message: string }[] };
    expect(report.warnings.map((w) => w.message).join()).toContain('既使');
    expect((await call(admin, 'DELETE', '/check-terms', { list: 'typo', term: '既使' })).status).toBe(200);
    expect((await call(admin, 'DELETE', '/check-terms', { list: 'typo', term: '既使' })).status).toBe(404);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'check-terms.%'").first<{ n: number }>())!.n).toBe(2);
  });
});

describe('attachments', () => {
  const upload = (id: string, revision: number, name: string, bytes: Uint8Array) => {
    const form = new FormData();
    form.append('file', new File([bytes], name));
    form.append('revision', String(revision));
    return SELF.fetch(`${ORIGIN}/api/cms/documents/${id}/attachments`, {
      method: 'POST',
      headers: { Cookie: editor.cookie, 'X-CSRF-Token': editor.csrf, Origin: ORIGIN },
      body: form,
    });
  };
  const pdf = new TextEncoder().encode('%PDF-1.4\n% 示例附件\n1 0 obj\n<<>>\nendobj\n%%EOF\n');

  it('checks type by name and content, stores by hash, lists it in a new revision, and serves it only while the document is live', async () => {
    const doc = await create('关于公布第一批历史文化街区名单的通知');
    expect(await (await upload(doc.id, 1, 'setup.exe', pdf)).json()).toMatchObject({ field: 'file' });
    expect(await (await upload(doc.id, 1, '名单.pdf', new TextEncoder().encode('<html><script>alert(1)</script></html>'))).json()).toMatchObject({
      field: 'file',
    });
    const ok = await upload(doc.id, 1, '第一批历史文化街区名单.pdf', pdf);
    expect(ok.status).toBe(201);
    const { attachment, document } = (await ok.json()) as { attachment: { key: string; sha256: string; size: number }; document: { revision: number } };
    expect(attachment.key).toBe(`attachments/${attachment.sha256}.pdf`);
    expect(document.revision).toBe(2);
    expect((await upload(doc.id, 1, '再传一次.pdf', pdf)).status).toBe(409); // stale revision: nothing listed
    const url = `http://www.nanning.gov.cn/${attachment.key}`;
    expect((await SELF.fetch(url)).status).toBe(404); // not published yet
    await step(editor, doc.id, 'submit');
    await step(reviewer1, doc.id, 'approve');
    await step(reviewer2, doc.id, 'approve');
    expect((await step(editor, doc.id, 'publish')).status).toBe(200);
    const res = await SELF.fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('第一批历史文化街区名单.pdf')}`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(pdf);
    expect((await SELF.fetch(`http://www.gxzf.gov.cn/${attachment.key}`)).status).toBe(404); // not on another site
    await step(editor, doc.id, 'withdraw', { reason: '名单更新' });
    expect((await SELF.fetch(url)).status).toBe(404);
  });
});

describe('scheduled release', () => {
  it('publishes an approved document at its time, as the system, through the Cron Trigger handler', async () => {
    const doc = await create('关于元旦期间交通管制的通告');
    await step(editor, doc.id, 'submit');
    await step(reviewer1, doc.id, 'approve');
    await step(reviewer2, doc.id, 'approve');
    const at = new Date(Date.now() + 5 * 60_000);
    expect(await (await step(editor, doc.id, 'schedule', { at: at.toISOString() })).json()).toMatchObject({ state: 'scheduled' });
    expect((await releaseDue(env.DB, new Date(at.getTime() - 60_000))).released).toEqual([]);
    const ctx = createExecutionContext();
    worker.scheduled({ scheduledTime: at.getTime() + 1_000, cron: '* * * * *', noRetry() {} }, env, ctx);
    await waitOnExecutionContext(ctx);
    const item = (await (await call(editor, 'GET', `/documents/${doc.id}`)).json()) as { item: { state: string; publishedAt: string } };
    expect(item.item.state).toBe('published');
    expect(Date.parse(item.item.publishedAt)).toBe(at.getTime() + 1_000);
    expect(await env.DB.prepare("SELECT account_id FROM cms_transitions WHERE document_id = ? AND to_state = 'published'").bind(doc.id).first()).toEqual({
      account_id: 'system',
    });
    expect(await env.DB.prepare('SELECT site_id FROM placements WHERE document_id = ?').bind(doc.id).first()).toEqual({ site_id: 'nanning' });
  });
});

describe('转载/共享', () => {
  it('lets the receiving site show a published document, keeps the share across withdraw and re-publish, and undo it', async () => {
    await env.DB.prepare(
      "INSERT OR IGNORE INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES ('gxzf/zcwj', 'gxzf', NULL, 'zcwj', '政策文件', 'policy', '政策文件', '[]', 0)",
    ).run();
    const doc = await create('南宁市稳岗就业十条措施');
    const share = (s: Session) => call(s, 'POST', `/documents/${doc.id}/shares`, { siteId: 'gxzf', columnId: 'gxzf/zcwj' });
    expect((await share(outsider)).status).toBe(409); // not published yet
    const publish = async () => {
      await step(editor, doc.id, 'submit');
      await step(reviewer1, doc.id, 'approve');
      await step(reviewer2, doc.id, 'approve');
      expect((await step(editor, doc.id, 'publish')).status).toBe(200);
    };
    await publish();
    expect((await share(editor)).status).toBe(403); // the owner cannot place it on another unit's site
    expect((await call(outsider, 'POST', `/documents/${doc.id}/shares`, { siteId: 'gxzf', columnId: 'nanning/zcwj' })).status).toBe(400);
    expect((await share(outsider)).status).toBe(201);
    const sites = async () =>
      (await env.DB.prepare('SELECT site_id FROM placements WHERE document_id = ? ORDER BY site_id').bind(doc.id).all<{ site_id: string }>()).results.map(
        (r) => r.site_id,
      );
    expect(await sites()).toEqual(['gxzf', 'nanning']);
    const hit = (await searchD1(env.DB, SearchParamsSchema.parse({ q: '稳岗就业', site: 'gxzf' }))).hits[0];
    expect(hit?.id).toBe(doc.id);
    await step(editor, doc.id, 'withdraw', { reason: '修订后重发' });
    expect(await sites()).toEqual([]);
    await step(editor, doc.id, 'reopen');
    await publish();
    expect(await sites()).toEqual(['gxzf', 'nanning']);
    expect((await call(editor, 'DELETE', `/documents/${doc.id}/shares/gxzf`)).status).toBe(403);
    expect((await call(outsider, 'DELETE', `/documents/${doc.id}/shares/gxzf`)).status).toBe(200);
    expect(await sites()).toEqual(['nanning']);
  });
});

describe('calendar days in China time', () => {
  it('gives a document published at 00:01 Beijing time that day as 发布日期, year and audit day — and one at 23:59 its own', async () => {
    const { moveDocument } = await import('./documents.ts');
    const { GrantSchema } = await import('@ywtc/cms-schema');
    const admin = [GrantSchema.parse({ id: 'g', accountId: 'cst', role: 'platform-admin', siteId: null })];
    const publishAt = async (title: string, instant: string) => {
      const doc = await create(title, { writtenOn: '2025-12-01' });
      for (const action of [{ type: 'submit' }, { type: 'approve' }, { type: 'approve' }] as const)
        expect((await moveDocument(env.DB, { id: 'cst' }, admin, doc.id, action)).ok).toBe(true);
      const r = await moveDocument(env.DB, { id: 'cst' }, admin, doc.id, { type: 'publish' }, new Date(instant));
      expect(r.ok).toBe(true);
      return doc.id;
    };
    // 成文日期 after the server's 发布日期 is the editor's to fix: a 409 naming the field, nothing written.
    const early = await create('关于提前发布的测试通知', { writtenOn: '2026-01-02' });
    for (const action of [{ type: 'submit' }, { type: 'approve' }, { type: 'approve' }] as const)
      await moveDocument(env.DB, { id: 'cst' }, admin, early.id, action);
    expect(await moveDocument(env.DB, { id: 'cst' }, admin, early.id, { type: 'publish' }, new Date('2026-01-01T15:59:00.000Z'))).toMatchObject({
      ok: false,
      status: 409,
      field: 'writtenOn',
    });
    expect(await env.DB.prepare('SELECT 1 FROM documents WHERE id = ?').bind(early.id).first()).toBeNull();
    const newYear = await publishAt('关于2026年元旦假期安排的通知', '2025-12-31T16:01:00.000Z'); // 2026-01-01 00:01 CST
    const lastMinute = await publishAt('关于2026年元旦值班安排的通知', '2026-01-01T15:59:00.000Z'); // 2026-01-01 23:59 CST
    const oldYear = await publishAt('关于2025年年终总结报送的通知', '2025-12-31T15:59:00.000Z'); // 2025-12-31 23:59 CST
    const issued = async (id: string) =>
      (await env.DB.prepare('SELECT issued_on FROM documents WHERE id = ?').bind(id).first<{ issued_on: string }>())!.issued_on;
    expect(await issued(newYear)).toBe('2026-01-01');
    expect(await issued(lastMinute)).toBe('2026-01-01');
    expect(await issued(oldYear)).toBe('2025-12-31');
    // The search year filter: by the China year (the CMS writes the index through the queue, drained here).
    const { scheduledWork } = await import('../platform/scheduled.ts');
    await scheduledWork(env, new Date(), () => {});
    const inYear = async (year: number) => (await searchD1(env.DB, SearchParamsSchema.parse({ q: '元旦', year }))).hits.map((h) => h.id);
    expect(await inYear(2026)).toEqual(expect.arrayContaining([newYear, lastMinute]));
    expect(await inYear(2025)).not.toContain(newYear);
    // The audit log asked for 2026-01-01 (a China day) holds both 2026 publishes and not the 2025 one.
    const admins = await (async () => {
      await addAccount('cst-audit', [{ role: 'auditor', siteId: null }]);
      return login('cst-audit');
    })();
    const day = (await (await call(admins, 'GET', '/audit?action=document.publish&from=2026-01-01&to=2026-01-01')).json()) as { entries: { target: string }[] };
    expect(day.entries.map((e) => e.target).sort()).toEqual([newYear, lastMinute].sort());
  });
});

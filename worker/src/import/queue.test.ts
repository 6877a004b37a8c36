/**
 * 导入待分类 in workerd with D1: the queue lists the imported documents whose 主题分类 or 兴趣领域 need an
 * editor, on the editor's own sites only; confirming or correcting writes topic, metadata, tags, a CMS revision,
 * a search-queue row and an audit entry in one batch; bad input is a 400 naming the field, another site's
 * document a 403, no session the login form.
 */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLES, insertSql, toRow } from '@ywtc/cms-schema';
import { seedRegistry } from '../testing/sites.ts';
import { testDocument } from '../testing/documents.ts';
import { addAccount, login, type Session } from '../testing/accounts.ts';
import { classificationWrites } from './classification.ts';

const ORIGIN = 'http://127.0.0.1:8787';
let editor: Session, outsider: Session;

const get = (s: Session | null, path: string) => SELF.fetch(`${ORIGIN}${path}`, { headers: s ? { Cookie: s.cookie } : {}, redirect: 'manual' });
const post = (s: Session | null, path: string, fields: [string, string][], csrf = true) =>
  SELF.fetch(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: { ...(s ? { Cookie: s.cookie } : {}), Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams([...(s && csrf ? [['csrf', s.csrf] as [string, string]] : []), ...fields]).toString(),
    redirect: 'manual',
  });

const at = (i: number) => `2025-0${1 + (i % 9)}-1${i % 10}T08:00:00.000Z`;
async function seedDocument(id: string, siteId: string, i: number, opts: { imported?: boolean; topic?: [string, number, boolean]; tags?: [string, number][] }) {
  const doc = testDocument(id, siteId, at(i), { title: `导入文档 ${id}` });
  const s = [
    env.DB.prepare(insertSql(TABLES.documents)).bind(...toRow(TABLES.documents, doc)),
    env.DB.prepare('INSERT INTO placements (document_id, site_id, column_id, pinned) VALUES (?, ?, ?, 0)').bind(id, siteId, `${siteId}/tzgg`),
  ];
  if (opts.imported !== false)
    s.push(
      env.DB.prepare(
        "INSERT INTO import_records (source_id, record_id, document_id, site_id, content_hash, outcome, updated_at) VALUES ('old-site', ?, ?, ?, 'h', 'imported', ?)",
      ).bind(`r-${id}`, id, siteId, at(i)),
    );
  if (opts.topic)
    s.push(
      env.DB.prepare("INSERT INTO document_topics (document_id, topic, confidence, source, needs_review) VALUES (?, ?, ?, 'auto', ?)").bind(
        id,
        opts.topic[0],
        opts.topic[1],
        opts.topic[2] ? 1 : 0,
      ),
    );
  for (const [interest, confidence] of opts.tags ?? [])
    s.push(
      env.DB.prepare("INSERT INTO document_tags (document_id, interest, confidence, source, needs_review) VALUES (?, ?, ?, 'auto', ?)").bind(
        id,
        interest,
        confidence,
        confidence < 0.5 ? 1 : 0,
      ),
    );
  await env.DB.batch(s);
}

const count = async (sql: string, ...args: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...args)
    .first<{ n: number }>())!.n;

beforeAll(async () => {
  await seedRegistry();
  await env.DB.batch(
    ['gxzf', 'nanning'].map((site, i) =>
      env.DB.prepare(
        "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES (?, ?, NULL, 'tzgg', '通知公告', 'notice', '通知公告', '[]', ?)",
      ).bind(`${site}/tzgg`, site, i),
    ),
  );
  // nanning: one whose topic waits, one whose tags wait, one settled, one not imported; gxzf: one waiting.
  await seedDocument('imp-topic', 'nanning', 1, { topic: ['工业、交通', 0.42, true], tags: [['jiaotong', 0.9]] });
  await seedDocument('imp-tags', 'nanning', 2, {
    topic: ['科技、教育/教育', 0.93, false],
    tags: [
      ['jiaoyu', 0.31],
      ['keji', 0.27],
    ],
  });
  await seedDocument('imp-settled', 'nanning', 3, { topic: ['卫生、体育', 0.95, false], tags: [['yiliao', 0.9]] });
  await seedDocument('cms-own', 'nanning', 4, { imported: false, tags: [['keji', 0.2]] });
  await seedDocument('imp-region', 'gxzf', 5, { topic: ['其他', 0.2, true] });
  // The CMS's copy of imp-topic, as the import store writes it.
  const data = JSON.stringify({ kind: 'article', title: '导入文档 imp-topic', topic: null, interests: [] });
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO cms_documents (id, site_id, column_id, state, level, depth, revision, published_at, scheduled_at, created_by, created_at, updated_at) VALUES ('imp-topic', 'nanning', 'nanning/tzgg', 'published', NULL, 1, 1, ?1, NULL, 'import:old-site', ?1, ?1)",
    ).bind(at(1)),
    env.DB.prepare(
      "INSERT INTO cms_revisions (document_id, revision, data, hash, author_id, created_at) VALUES ('imp-topic', 1, ?, 'x', 'import:old-site', ?)",
    ).bind(data, at(1)),
  ]);
  await addAccount('iq-ed', 'iq-editor', 'Import-queue-editor-2026', [{ role: 'editor', siteId: 'nanning' }]);
  await addAccount('iq-out', 'iq-outsider', 'Import-queue-outside-2026', [{ role: 'editor', siteId: 'gxzf' }]);
  [editor, outsider] = await Promise.all([login('iq-editor', 'Import-queue-editor-2026'), login('iq-outsider', 'Import-queue-outside-2026')]);
});

describe('classificationWrites', () => {
  it('stores the guess, fills documents.topic only when settled, and keeps an editor’s decision', async () => {
    await seedDocument('imp-new', 'nanning', 6, {});
    const doc = { id: 'imp-new', title: '关于同意高速公路增设收费站的复函', bodyHtml: '<p>同意增设收费站。</p>', topic: null };
    await env.DB.batch(classificationWrites(env.DB, doc, { topic: '工业、交通', confidence: 0.91, source: 'auto', needsReview: false }));
    const row = () => env.DB.prepare('SELECT topic, confidence, source, needs_review FROM document_topics WHERE document_id = ?').bind('imp-new').first();
    expect(await row()).toEqual({ topic: '工业、交通', confidence: 0.91, source: 'auto', needs_review: 0 });
    const topicOf = async () => (await env.DB.prepare("SELECT topic FROM documents WHERE id = 'imp-new'").first<{ topic: string | null }>())!.topic;
    expect(await topicOf()).toBe('工业、交通');
    // Sent again, now unsure: the queue gets it, the public metadata keeps what the store wrote (null).
    await env.DB.prepare("UPDATE documents SET topic = NULL WHERE id = 'imp-new'").run();
    await env.DB.batch(classificationWrites(env.DB, doc, { topic: '其他', confidence: 0.3, source: 'auto', needsReview: true }));
    expect(await row()).toEqual({ topic: '其他', confidence: 0.3, source: 'auto', needs_review: 1 });
    expect(await topicOf()).toBeNull();
    // An editor settled it: a later import changes nothing of that, and the document shows the editor's topic.
    await env.DB.prepare("UPDATE document_topics SET topic = '国防', confidence = 1, source = 'editor', needs_review = 0 WHERE document_id = 'imp-new'").run();
    await env.DB.prepare("UPDATE documents SET topic = NULL WHERE id = 'imp-new'").run();
    await env.DB.batch(classificationWrites(env.DB, doc));
    expect(await row()).toEqual({ topic: '国防', confidence: 1, source: 'editor', needs_review: 0 });
    expect(await topicOf()).toBe('国防');
    await env.DB.batch([
      env.DB.prepare("DELETE FROM document_topics WHERE document_id = 'imp-new'"),
      env.DB.prepare("DELETE FROM import_records WHERE document_id = 'imp-new'"),
    ]);
  });
});

describe('/admin/import/queue', () => {
  it('sends a reader without a session to the login form, for the list and for a change', async () => {
    const list = await get(null, '/admin/import/queue');
    expect(list.status).toBe(303);
    expect(list.headers.get('location')).toBe('/admin/login?next=%2Fadmin%2Fimport%2Fqueue');
    const change = await post(null, '/admin/import/queue/imp-topic', [['topic', '国防']]);
    expect(change.status).toBe(303);
    expect(change.headers.get('location')).toMatch(/^\/admin\/login/);
  });

  it('lists the imported documents waiting for review on the editor’s own sites, with the guesses and their confidence', async () => {
    const res = await get(editor, '/admin/import/queue');
    expect(res.status).toBe(200);
    const page = await res.text();
    const rows = [...page.matchAll(/<tr data-document="([^"]+)">/g)].map((m) => m[1]);
    expect(rows.sort()).toEqual(['imp-tags', 'imp-topic']);
    expect(page).toContain('href="/admin/documents/imp-topic"');
    expect(page).toContain('工业、交通（42%）');
    expect(page).toContain('教育入学（31%）');
    expect(page).toContain('南宁市人民政府门户网站');
    expect(page).toContain('href="/admin/import/queue"'); // the nav link
    const theirs = await (await get(outsider, '/admin/import/queue')).text();
    expect([...theirs.matchAll(/<tr data-document="([^"]+)">/g)].map((m) => m[1])).toEqual(['imp-region']);
  });

  it('filters by kind and by site, and refuses a bad filter naming it', async () => {
    const topics = await (await get(editor, '/admin/import/queue?kind=topic')).text();
    expect([...topics.matchAll(/<tr data-document="([^"]+)">/g)].map((m) => m[1])).toEqual(['imp-topic']);
    const interests = await (await get(editor, '/admin/import/queue?kind=interest')).text();
    expect([...interests.matchAll(/<tr data-document="([^"]+)">/g)].map((m) => m[1])).toEqual(['imp-tags']);
    // A site the editor may not write to shows nothing of it.
    const other = await (await get(editor, '/admin/import/queue?site=gxzf')).text();
    expect(other).not.toContain('imp-region');
    const bad = await get(editor, '/admin/import/queue?kind=everything');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('类型：');
  });

  it('pages through a long queue', async () => {
    for (let i = 0; i < 20; i++) await seedDocument(`imp-many-${String(i).padStart(2, '0')}`, 'nanning', 10 + i, { tags: [['wenlv', 0.2]] });
    const first = await (await get(editor, '/admin/import/queue')).text();
    expect(first.match(/<tr data-document=/g)).toHaveLength(20);
    expect(first).toContain('共 22 篇待确认，第 1/2 页');
    expect(first).toContain('href="/admin/import/queue?page=2"');
    const second = await (await get(editor, '/admin/import/queue?page=2')).text();
    expect(second.match(/<tr data-document=/g)).toHaveLength(2);
    await env.DB.batch([
      env.DB.prepare("DELETE FROM document_tags WHERE document_id LIKE 'imp-many-%'"),
      env.DB.prepare("DELETE FROM import_records WHERE document_id LIKE 'imp-many-%'"),
    ]);
  });

  it('has labelled controls, scoped headers and one form per row', async () => {
    const page = await (await get(editor, '/admin/import/queue')).text();
    for (const th of page.match(/<th\b[^>]*>/g)!) expect(th).toContain('scope="col"');
    for (const [, id] of page.matchAll(/<select id="([^"]+)"/g)) expect(page).toContain(`<label for="${id}">`);
    for (const box of page.match(/<input type="checkbox"[^>]*>/g)!) expect(page).toContain(`<label class="choice">${box}`);
    expect(page.match(/<fieldset><legend>兴趣领域<\/legend>/g)).toHaveLength(2);
    expect(page).toContain('<caption>');
    expect(page.match(/<h1>/g)).toHaveLength(1);
  });

  it('confirms a correction in one batch: topic, metadata, tags, CMS revision, search queue and audit', async () => {
    const res = await post(editor, '/admin/import/queue/imp-topic', [
      ['topic', '城乡建设、环境保护'],
      ['interests', 'zhufang'],
      ['interests', 'jiaotong'],
      ['kind', 'topic'],
      ['page', '1'],
      ['site', ''],
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/import/queue?kind=topic&done=1');
    expect(
      await env.DB.prepare("SELECT topic, confidence, source, needs_review, reviewed_by FROM document_topics WHERE document_id = 'imp-topic'").first(),
    ).toEqual({
      topic: '城乡建设、环境保护',
      confidence: 1,
      source: 'editor',
      needs_review: 0,
      reviewed_by: 'iq-ed',
    });
    expect(await env.DB.prepare("SELECT topic, interests FROM documents WHERE id = 'imp-topic'").first()).toEqual({
      topic: '城乡建设、环境保护',
      interests: '["zhufang","jiaotong"]',
    });
    expect(
      (await env.DB.prepare("SELECT interest, confidence, source, needs_review FROM document_tags WHERE document_id = 'imp-topic' ORDER BY interest").all())
        .results,
    ).toEqual([
      { interest: 'jiaotong', confidence: 1, source: 'editor', needs_review: 0 },
      { interest: 'zhufang', confidence: 1, source: 'editor', needs_review: 0 },
    ]);
    expect(await count("SELECT count(*) AS n FROM search_queue WHERE kind = 'document' AND document_id = 'imp-topic'")).toBe(1);
    const audit = await env.DB.prepare("SELECT action, account_id, site_id, target, detail FROM audit_log WHERE action = 'document.classify'").all();
    expect(audit.results).toEqual([
      {
        action: 'document.classify',
        account_id: 'iq-ed',
        site_id: 'nanning',
        target: 'imp-topic',
        detail: '主题分类：城乡建设、环境保护；兴趣领域：住房、交通出行（原为 工业、交通）',
      },
    ]);
    const cms = await env.DB.prepare(
      "SELECT c.revision, r.data, r.author_id FROM cms_documents c JOIN cms_revisions r ON r.document_id = c.id AND r.revision = c.revision WHERE c.id = 'imp-topic'",
    ).first<{ revision: number; data: string; author_id: string }>();
    expect(cms!.revision).toBe(2);
    expect(cms!.author_id).toBe('iq-ed');
    expect(JSON.parse(cms!.data)).toMatchObject({ title: '导入文档 imp-topic', topic: '城乡建设、环境保护', interests: ['zhufang', 'jiaotong'] });
    // Settled: off the queue.
    const page = await (await get(editor, '/admin/import/queue?done=1')).text();
    expect(page).toContain('已保存分类。');
    expect(page).not.toContain('data-document="imp-topic"');
  });

  it('confirming the guessed first level keeps its second level', async () => {
    expect(
      (
        await post(editor, '/admin/import/queue/imp-tags', [
          ['topic', '科技、教育'],
          ['interests', 'jiaoyu'],
        ])
      ).status,
    ).toBe(303);
    expect(await env.DB.prepare("SELECT topic FROM documents WHERE id = 'imp-tags'").first()).toEqual({ topic: '科技、教育/教育' });
  });

  it('refuses a bad topic or interest with a 400 naming the field, writing nothing', async () => {
    const before = await count("SELECT count(*) AS n FROM audit_log WHERE action = 'document.classify'");
    const topic = await post(editor, '/admin/import/queue/imp-settled', [['topic', '教育']]);
    expect(topic.status).toBe(400);
    expect(await topic.text()).toContain('主题分类：请从列表中选择一个主题分类');
    const interest = await post(editor, '/admin/import/queue/imp-settled', [
      ['topic', '卫生、体育'],
      ['interests', 'astrology'],
    ]);
    expect(interest.status).toBe(400);
    expect(await interest.text()).toContain('兴趣领域：');
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action = 'document.classify'")).toBe(before);
    expect(await env.DB.prepare("SELECT source FROM document_topics WHERE document_id = 'imp-settled'").first()).toEqual({ source: 'auto' });
  });

  it('refuses another site’s editor (403), a missing CSRF token (403) and a document that was not imported (404)', async () => {
    const other = await post(outsider, '/admin/import/queue/imp-settled', [['topic', '国防']]);
    expect(other.status).toBe(403);
    expect(await other.text()).toContain('无权');
    const noCsrf = await post(editor, '/admin/import/queue/imp-settled', [['topic', '国防']], false);
    expect(noCsrf.status).toBe(403);
    expect((await post(editor, '/admin/import/queue/cms-own', [['topic', '国防']])).status).toBe(404);
    expect(await env.DB.prepare("SELECT topic, source FROM document_topics WHERE document_id = 'imp-settled'").first()).toEqual({
      topic: '卫生、体育',
      source: 'auto',
    });
  });
});

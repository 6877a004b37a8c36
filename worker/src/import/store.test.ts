/**
 * The import store and the push API (issue 15), in workerd against a real D1 and R2: validation record by record,
 * idempotence by (source, record id), updates as new revisions, deduplication into placements with the issuer's
 * copy kept, hostile markup and illegal links, dry runs, deletions, hidden sources, and signed pushes.
 */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signImportRequest, type ImportDocumentInput } from '@ywtc/cms-schema';
import { seedRegistry } from '../testing/sites.ts';
import { D1Backend, drainSearchQueue, enqueueDocument } from '@ywtc/search';
import { importDocuments } from './store.ts';
import { registerSource } from './source-keys.ts';
import { classifyStatements, queuedDocument } from './classification.ts';

const SOURCE = { id: 'nn-platform', siteIds: ['nanning', 'gxzf'], hidden: false };
const BODY =
  '<p>为进一步做好城乡居民基本医疗保险参保缴费工作，现将2027年度集中缴费有关事项通知如下。</p><p>一、缴费时间：2026年9月1日至12月31日。</p><p>二、缴费标准：每人每年400元。</p><p>三、缴费方式：可通过税务APP、银行网点或社区代办点缴纳。</p>';
const record = (sourceId: string, extra: Partial<ImportDocumentInput> = {}): ImportDocumentInput => ({
  sourceId,
  siteId: 'nanning',
  column: 'tzgg',
  kind: 'notice',
  title: '关于做好2027年度城乡居民医保集中缴费工作的通知',
  bodyHtml: BODY,
  publishedAt: '2026-09-01 10:00',
  url: `http://old.nanning.example/tzgg/${sourceId}.html`,
  ...extra,
});
const count = async (sql: string, ...args: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...args)
    .first<number>('n')) ?? 0;

beforeAll(async () => {
  await seedRegistry();
  await env.DB.batch(
    [
      ['nanning', 'tzgg', '通知公告', 'notice'],
      ['nanning', 'zcwj', '政策文件', 'policy'],
      ['gxzf', 'tzgg', '通知公告', 'notice'],
    ].map(([site, slug, name, kind]) =>
      env.DB.prepare(
        "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES (?, ?, NULL, ?, ?, ?, '栏目说明文字', '[]', 0)",
      ).bind(`${site}/${slug}`, site, slug, name, kind),
    ),
  );
  await env.DB.prepare("INSERT INTO check_terms (list, term, replacement, note) VALUES ('illegal-domain', 'bad-casino.example', '', '')").run();
});

beforeEach(async () => {
  await env.DB.batch(
    [
      'import_records',
      'documents',
      'cms_documents',
      'cms_revisions',
      'placements',
      'document_fingerprints',
      'import_redirects',
      'search_queue',
      'render_queue',
      'document_tags',
      'document_topics',
    ].map((t) => env.DB.prepare(`DELETE FROM ${t}`)),
  );
});

describe('the import store', () => {
  it('writes a whole document with everything it owes, and reports each bad record by field without writing it', async () => {
    const results = await importDocuments(env, SOURCE, [
      record('a1'),
      record('a2', { publishedAt: '近日' }),
      record('a3', { column: 'nosuch' }),
      record('a4', { siteId: 'other-site' }),
      { sourceId: 'a5', siteId: 'nanning' },
      record('a1', { title: '重复标识的另一条记录' }),
    ]);
    expect(results.map((r) => r.outcome)).toEqual(['imported', 'failed', 'failed', 'failed', 'failed', 'failed']);
    expect(results[1]).toMatchObject({ field: 'publishedAt' });
    expect(results[1]!.reason).toContain('无法识别的时间');
    expect(results[2]).toMatchObject({ field: 'column' });
    expect(results[3]).toMatchObject({ field: 'siteId' });
    expect(results[4]!.field).toBeTruthy();
    expect(results[5]).toMatchObject({ field: 'sourceId' });
    const id = results[0]!.documentId!;
    const doc = await env.DB.prepare('SELECT published_at, issued_on, source, source_url, owner_site_id FROM documents WHERE id = ?').bind(id).first();
    // The source's publish time and 发布日期, not the import's.
    expect(doc).toMatchObject({
      published_at: '2026-09-01T02:00:00.000Z',
      issued_on: '2026-09-01',
      owner_site_id: 'nanning',
      source_url: 'http://old.nanning.example/tzgg/a1.html',
    });
    expect(await count("SELECT COUNT(*) AS n FROM cms_documents WHERE id = ? AND state = 'published'", id)).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM placements WHERE document_id = ?', id)).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM search_queue WHERE document_id = ?', id)).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM render_queue WHERE document_id = ?', id)).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM document_fingerprints WHERE document_id = ?', id)).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM document_topics WHERE document_id = ?', id)).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM document_tags WHERE document_id = ?', id)).toBeGreaterThan(0);
    expect(
      await count("SELECT COUNT(*) AS n FROM import_redirects WHERE host = 'old.nanning.example' AND path = '/tzgg/a1.html' AND document_id = ?", id),
    ).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'document.import' AND target = ?", id)).toBeGreaterThan(0);
    // Nothing at all of the failed ones.
    expect(await count('SELECT COUNT(*) AS n FROM documents')).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM import_records WHERE source_id = 'nn-platform'")).toBe(1);
  });

  it('is idempotent by record id: the same record again changes nothing, a changed one becomes a new revision of the same document', async () => {
    const [first] = await importDocuments(env, SOURCE, [record('b1')]);
    const [again] = await importDocuments(env, SOURCE, [record('b1')]);
    expect(again).toMatchObject({ outcome: 'unchanged', documentId: first!.documentId });
    const [changed] = await importDocuments(env, SOURCE, [record('b1', { title: '关于做好2027年度城乡居民医保集中缴费工作的补充通知' })]);
    expect(changed).toMatchObject({ outcome: 'updated', documentId: first!.documentId });
    expect(await count('SELECT COUNT(*) AS n FROM documents')).toBe(1);
    expect(await count('SELECT revision AS n FROM cms_documents WHERE id = ?', first!.documentId)).toBe(2);
    expect(await env.DB.prepare('SELECT title FROM documents WHERE id = ?').bind(first!.documentId).first('title')).toContain('补充通知');
  });

  it('keeps an editor’s 主题分类 and 兴趣领域 when the source sends the record again, changed', async () => {
    const [first] = await importDocuments(env, SOURCE, [record('e1')]);
    const id = first!.documentId!;
    const doc = (await queuedDocument(env.DB, id))!;
    await env.DB.batch(await classifyStatements(env.DB, doc, { topic: '卫生、体育', interests: ['jiaoyu', 'yanglao'] }, 'acct-editor', new Date()));
    const [changed] = await importDocuments(env, SOURCE, [record('e1', { title: '关于做好2027年度城乡居民医保集中缴费工作的补充通知' })]);
    expect(changed).toMatchObject({ outcome: 'updated', documentId: id });
    expect(await env.DB.prepare('SELECT topic, interests FROM documents WHERE id = ?').bind(id).first()).toEqual({
      topic: '卫生、体育',
      interests: '["jiaoyu","yanglao"]',
    });
    const tags = await env.DB.prepare('SELECT interest, source FROM document_tags WHERE document_id = ? ORDER BY interest').bind(id).all();
    expect(tags.results).toEqual([
      { interest: 'jiaoyu', source: 'editor' },
      { interest: 'yanglao', source: 'editor' },
    ]);
    expect(await env.DB.prepare('SELECT source, needs_review FROM document_topics WHERE document_id = ?').bind(id).first()).toEqual({
      source: 'editor',
      needs_review: 0,
    });
    // The CMS's copy (a new revision) carries the editor's choice too, so an edit there starts from it.
    const data = await env.DB.prepare(
      'SELECT r.data FROM cms_documents c JOIN cms_revisions r ON r.document_id = c.id AND r.revision = c.revision WHERE c.id = ?',
    )
      .bind(id)
      .first<string>('data');
    expect(JSON.parse(data!)).toMatchObject({
      title: '关于做好2027年度城乡居民医保集中缴费工作的补充通知',
      topic: '卫生、体育',
      interests: ['jiaoyu', 'yanglao'],
    });
  });

  it('places a repost of a stored notice instead of copying it, and keeps the issuer’s own copy as the source', async () => {
    const [repost] = await importDocuments(env, SOURCE, [record('c1', { source: '南宁市人民政府办公室' })]);
    // The same notice, reformatted, with a page footer, from the regional portal's platform, whose unit issued it.
    const issuerCopy = record('c2', {
      siteId: 'gxzf',
      source: '广西壮族自治区人民政府办公厅',
      bodyHtml: `<div style="font-size:16px">${BODY.replace(/<\/p><p>/g, '<br>')}</div><p>【打印本页】【关闭窗口】</p>`,
      url: 'http://www.gxzf.example/tzgg/c2.html',
    });
    const [merged] = await importDocuments(env, { ...SOURCE, id: 'gx-platform' }, [issuerCopy]);
    expect(merged).toMatchObject({ outcome: 'merged', documentId: repost!.documentId });
    expect(await count('SELECT COUNT(*) AS n FROM documents')).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM placements WHERE document_id = ?', repost!.documentId)).toBe(2);
    expect(await env.DB.prepare('SELECT owner_site_id, source FROM documents WHERE id = ?').bind(repost!.documentId).first()).toEqual({
      owner_site_id: 'gxzf',
      source: '广西壮族自治区人民政府办公厅',
    });
    // A near copy stored in an earlier batch (one character edited) is found through the SimHash bands in D1.
    const [near] = await importDocuments(env, { ...SOURCE, id: 'county-platform' }, [record('c4', { bodyHtml: BODY.replace('有关事项', '相关事项') })]);
    expect(near).toMatchObject({ outcome: 'merged', documentId: repost!.documentId });
    // A different notice of the same template is its own document.
    const [other] = await importDocuments(env, SOURCE, [
      record('c3', {
        bodyHtml: BODY.replace('400元', '380元').replace('2026年9月1日至12月31日', '2025年9月1日至12月31日'),
        title: '关于做好2026年度城乡居民医保集中缴费工作的通知',
      }),
    ]);
    expect(other!.outcome).toBe('imported');
  });

  it('sanitizes hostile markup and takes out links to illegal sites, reporting both', async () => {
    const [r] = await importDocuments(env, SOURCE, [
      record('d1', {
        bodyHtml: `${BODY}<script>alert(1)</script><img src=x onerror=alert(2) alt="图"><p><a href="https://www.bad-casino.example/x">点此</a></p>`,
      }),
    ]);
    expect(r!.outcome).toBe('imported');
    expect(r!.warnings.join()).toContain('不安全');
    expect(r!.warnings.join()).toContain('bad-casino.example');
    const body = await env.DB.prepare('SELECT body_html FROM documents WHERE id = ?').bind(r!.documentId).first<string>('body_html');
    expect(body).not.toMatch(/<script|onerror|bad-casino/);
    expect(body).toContain('点此');
  });

  it('writes nothing in a dry run, and decides the same', async () => {
    const results = await importDocuments(env, SOURCE, [record('e1'), record('e2', { publishedAt: '' })], { dryRun: true });
    expect(results.map((r) => r.outcome)).toEqual(['imported', 'failed']);
    for (const t of ['documents', 'import_records', 'search_queue', 'render_queue', 'placements'])
      expect(await count(`SELECT COUNT(*) AS n FROM ${t}`)).toBe(0);
  });

  it('takes a deleted record off its site, and a hidden source owes no pages or index until the switch-over', async () => {
    const [r] = await importDocuments(env, SOURCE, [record('f1')]);
    const [d] = await importDocuments(env, SOURCE, [{ sourceId: 'f1', op: 'delete', siteId: 'nanning' }]);
    expect(d).toMatchObject({ outcome: 'deleted', documentId: r!.documentId });
    expect(await count('SELECT COUNT(*) AS n FROM placements WHERE document_id = ?', r!.documentId)).toBe(0);
    await env.DB.batch([env.DB.prepare('DELETE FROM search_queue'), env.DB.prepare('DELETE FROM render_queue')]);
    const [h] = await importDocuments(env, { ...SOURCE, id: 'rd-migration', hidden: true }, [record('g1', { title: '关于召开市人大常委会第十次会议的公告' })]);
    expect(h!.outcome).toBe('imported');
    expect(await count('SELECT COUNT(*) AS n FROM search_queue')).toBe(0);
    expect(await count('SELECT COUNT(*) AS n FROM render_queue')).toBe(0);
    // Not findable before the switch-over even when something asks the index to take it (a reindex, a stray task)…
    await env.DB.prepare(
      "INSERT INTO import_sources (id, name, site_ids, hidden, key_hash, key_secret, created_at) VALUES ('rd-migration', '人大网迁移', '[\"nanning\"]', 1, NULL, NULL, '2026-12-01T00:00:00Z')",
    ).run();
    const backend = new D1Backend(env.DB, { cache: false });
    await enqueueDocument(env.DB, h!.documentId!, new Date().toISOString()).run();
    await drainSearchQueue(env.DB, backend);
    expect(await count('SELECT COUNT(*) AS n FROM search_docs WHERE document_id = ?', h!.documentId)).toBe(0);
    // …and once the site is live, it is.
    await env.DB.prepare(
      "INSERT INTO site_switchovers (site_id, state, started_at, updated_at) VALUES ('nanning', 'live', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z')",
    ).run();
    await enqueueDocument(env.DB, h!.documentId!, new Date().toISOString()).run();
    await drainSearchQueue(env.DB, backend);
    expect(await count('SELECT COUNT(*) AS n FROM search_docs WHERE document_id = ?', h!.documentId)).toBe(1);
  });
});

describe('the push API', () => {
  let key = '';
  beforeAll(async () => {
    const r = await registerSource(env.DB, { id: 'push-src', name: '南宁市分建平台', siteIds: ['nanning'], hidden: false, push: true }, env.INGEST_TOKEN);
    if ('field' in r) throw new Error(r.message);
    key = r.key!;
  });
  const push = async (body: unknown, opts: { key?: string; path?: string; method?: string; at?: number } = {}) => {
    const path = opts.path ?? '/api/import/v1/batches';
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const auth = await signImportRequest('push-src', opts.key ?? key, opts.method ?? 'POST', path, text, opts.at);
    return SELF.fetch(`http://localhost${path}`, {
      method: opts.method ?? 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: text,
    });
  };

  it('serves the JSON Schema of the format, generated from the model', async () => {
    const res = await SELF.fetch('http://localhost/api/import/v1/schema.json');
    expect(res.status).toBe(200);
    const schema = await res.json<{ properties: { documents: { items: { required: string[]; properties: Record<string, unknown> } } } }>();
    expect(schema.properties.documents.items.required).toEqual(expect.arrayContaining(['sourceId', 'siteId', 'column', 'title', 'bodyHtml', 'publishedAt']));
    expect(Object.keys(schema.properties.documents.items.properties)).toEqual(expect.arrayContaining(['indexNumber', 'docNumber', 'attachments', 'url']));
  });

  it('accepts a signed batch and answers per record (the second copy of one notice merged into the first)', async () => {
    const res = await push({
      format: 'ywtc-import-1',
      documents: [record('p1'), record('p2', { publishedAt: '二〇二六年九月二日' }), record('p3', { title: '' })],
    });
    expect(res.status).toBe(200);
    const body = await res.json<{ counts: Record<string, number>; results: { outcome: string; field?: string }[] }>();
    expect(body.counts).toMatchObject({ imported: 1, merged: 1, failed: 1 });
    expect(body.results[2]).toMatchObject({ outcome: 'failed', field: 'title' });
  });

  it('refuses unsigned, wrongly signed, stale and foreign-site requests, and a malformed batch with the field named', async () => {
    const batch = { format: 'ywtc-import-1', documents: [record('q1')] };
    expect((await SELF.fetch('http://localhost/api/import/v1/batches', { method: 'POST', body: JSON.stringify(batch) })).status).toBe(401);
    expect((await push(batch, { key: 'ywtc_import_wrong' })).status).toBe(401);
    expect((await push(batch, { at: Date.now() - 3_600_000 })).status).toBe(401);
    const foreign = await push({ format: 'ywtc-import-1', columns: [{ siteId: 'gxzf', slug: 'xw', name: '新闻栏目', kind: 'news' }] });
    expect(foreign.status).toBe(403);
    const bad = await push({ format: 'other', documents: [] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'format' });
    // A record for another site is the record's failure, not the batch's.
    const other = await (
      await push({ format: 'ywtc-import-1', documents: [record('q2', { siteId: 'gxzf' })] })
    ).json<{ results: { outcome: string; field: string }[] }>();
    expect(other.results[0]).toMatchObject({ outcome: 'failed', field: 'siteId' });
  });

  it('stores an attachment by its content hash and refuses a disguised executable', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
    const path = `/api/import/v1/attachments/${encodeURIComponent('缴费指南.pdf')}`;
    const auth = await signImportRequest('push-src', key, 'PUT', path, pdf);
    const res = await SELF.fetch(`http://localhost${path}`, { method: 'PUT', headers: { authorization: auth }, body: pdf });
    expect(res.status).toBe(201);
    const a = await res.json<{ key: string; sha256: string }>();
    expect(a.key).toBe(`attachments/${a.sha256}.pdf`);
    expect(await env.PAGES.head(a.key)).not.toBeNull();
    const exe = new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]);
    const path2 = `/api/import/v1/attachments/${encodeURIComponent('通知.pdf')}`;
    const bad = await SELF.fetch(`http://localhost${path2}`, {
      method: 'PUT',
      headers: { authorization: await signImportRequest('push-src', key, 'PUT', path2, exe) },
      body: exe,
    });
    expect(bad.status).toBe(400);
  });
});

/**
 * A migrated site's switch-over in workerd, on a real render: started (the render queue then holds the site's page
 * updates), rendered into a hidden version while the live site keeps serving the old pages, judged by the inspector on
 * that version, refused on a 单项否决 unless overridden with a reason, then made live in one pointer write — the site
 * serves the new pages, the search index is owed for every document, the covered held tasks are gone, the old host
 * redirects. Each step asked for twice changes nothing the second time; only platform staff and machines may ask.
 */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { ManifestSchema, PointerSchema, SiteSchema, TABLES, insertSql, publicationKeys as keys, toRow } from '@ywtc/cms-schema';
import { SITES, seedRegistry } from '../testing/sites.ts';
import { testDocument } from '../testing/documents.ts';
import { addAccount, login, type Session } from '../testing/accounts.ts';
import { rebuildSite } from '../render/whole-site.ts';
import { enqueueRenders, processRenderQueue } from '../render/render-queue.ts';

const ADMIN = 'http://127.0.0.1:8787';
const PASSWORD = 'Switchover-test-2026';
const OLD = 'www.nnjjjc.gov.cn';
const recent = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

const liveVersion = async (siteId = 'nnjw') => PointerSchema.parse(await (await env.PAGES.get(keys.pointer(siteId)))!.json()).version;
const manifestPaths = async (version: string) => Object.keys(ManifestSchema.parse(await (await env.PAGES.get(keys.manifest('nnjw', version)))!.json()).pages);
const page = (path: string) => SELF.fetch(`http://jw.nanning.gov.cn${path}`, { headers: { 'Accept-Encoding': 'identity' }, redirect: 'manual' });
const state = () =>
  env.DB.prepare("SELECT state, version, verdict FROM site_switchovers WHERE site_id = 'nnjw'").first<{ state: string; version: string; verdict: string }>();
const count = async (sql: string, ...args: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...args)
    .first<{ n: number }>())!.n;
const machine = (body: unknown) =>
  SELF.fetch(`${ADMIN}/_ingest/import/switchover`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${'t'.repeat(48)}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
const post = (s: Session, siteId: string, fields: Record<string, string>) =>
  SELF.fetch(`${ADMIN}/admin/import/switchover/${siteId}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Cookie: s.cookie, Origin: ADMIN, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: s.csrf, ...fields }),
  });
const get = (s: Session, path: string) => SELF.fetch(`${ADMIN}${path}`, { headers: { Cookie: s.cookie }, redirect: 'manual' });

async function addDocument(id: string, title: string, days: number) {
  await env.DB.batch([
    env.DB.prepare(insertSql(TABLES.documents)).bind(...toRow(TABLES.documents, testDocument(id, 'nnjw', recent(days), { title }))),
    env.DB.prepare("INSERT INTO placements (document_id, site_id, column_id, pinned) VALUES (?, 'nnjw', 'nnjw/gzdt', 0)").bind(id),
  ]);
}

let platform: Session, cityAdmin: Session, v0: string;
beforeAll(async () => {
  await seedRegistry();
  const jw = SiteSchema.parse({
    ...SITES[1]!,
    id: 'nnjw',
    name: '南宁市纪委监委网站',
    kind: 'discipline-commission',
    parentId: 'nanning',
    domains: ['jw.nanning.gov.cn'],
    idCode: '4501000021',
    sortOrder: 7,
  });
  await env.DB.batch([
    env.DB.prepare(insertSql(TABLES.sites)).bind(...toRow(TABLES.sites, jw)),
    env.DB.prepare(insertSql(TABLES.siteHosts)).bind('jw.nanning.gov.cn', 'nnjw'),
    env.DB.prepare(
      "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES ('nnjw/gzdt', 'nnjw', NULL, 'gzdt', '工作动态', 'news', '工作动态', '[]', 0)",
    ),
    env.DB.prepare(
      "INSERT INTO import_sources (id, name, site_ids, hidden, key_hash, key_secret, created_at) VALUES ('nnjw-old', '南宁市纪委监委原网站', '[\"nnjw\"]', 1, NULL, NULL, '2026-01-01T00:00:00.000Z')",
    ),
  ]);
  await addDocument('jw-first', '南宁市纪委监委召开全体会议', 3);
  // The platform's site as it is before the migration: published, live.
  v0 = (await rebuildSite(env, 'nnjw', 'http://{domain}.localhost:8787'))!.version;
  await addAccount('so-platform', 'so-platform', PASSWORD, [{ role: 'platform-admin', siteId: null }]);
  await addAccount('so-city', 'so-city', PASSWORD, [{ role: 'site-admin', siteId: 'nanning' }]);
  [platform, cityAdmin] = (await Promise.all(['so-platform', 'so-city'].map((u) => login(u, PASSWORD)))) as [Session, Session];
});

describe('a switch-over', () => {
  it('is for platform staff and machines only, for a site with an import source, and says which field is wrong', async () => {
    expect((await post(cityAdmin, 'nnjw', { step: 'start' })).status).toBe(403);
    const noSource = await post(platform, 'gxzf', { step: 'start' });
    expect(noSource.status).toBe(409);
    expect(await noSource.text()).toContain('网站：该网站没有导入来源或导入内容');
    const badStep = await machine({ siteId: 'nnjw', step: 'launch' });
    expect(badStep.status).toBe(400);
    expect(((await badStep.json()) as { message: string }).message).toContain('步骤：');
    expect((await machine({ siteId: 'nowhere', step: 'start' })).status).toBe(404);
    expect((await SELF.fetch(`${ADMIN}/_ingest/import/switchover`, { method: 'POST', body: '{}' })).status).toBe(401);
    expect(await state()).toBeNull();
  });

  it('started: the render queue holds the site’s page updates while the content is imported', async () => {
    const res = await post(platform, 'nnjw', { step: 'start' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/import/switchover/nnjw?done=start');
    expect((await state())?.state).toBe('importing');
    expect(await (await get(platform, '/admin/import/switchover/nnjw')).text()).toContain('导入中（待生成新版本）');
    // Imported from a hidden source (store.ts): placed, with no render or search task; and an editor's change meanwhile.
    await addDocument('jw-new', '南宁市纪委监委通报三起典型问题', 1);
    await env.DB.prepare(
      "INSERT INTO import_redirects (host, path, site_id, document_id, target_path, source_id) VALUES (?, '/content.jsp?id=5', 'nnjw', 'jw-new', NULL, 'nnjw-old')",
    )
      .bind(OLD)
      .run();
    await env.DB.batch([enqueueRenders(env.DB, 'jw-first', new Date().toISOString())]);
    const run = await processRenderQueue(env);
    expect(run.tasks).toBe(0);
    expect(await count("SELECT count(*) AS n FROM render_queue WHERE site_id = 'nnjw'")).toBe(1);
    expect(await liveVersion()).toBe(v0);
    expect((await page('/gzdt/jw-new.html')).status).toBe(404);
    // Until the switch-over the old host is not sent to pages that do not exist yet.
    expect((await SELF.fetch(`http://${OLD}/content.jsp?id=5`, { redirect: 'manual' })).status).toBe(404);
    // Asked again: nothing changes.
    expect(((await (await machine({ siteId: 'nnjw', step: 'start' })).json()) as { changed: boolean }).changed).toBe(false);
  });

  it('rendered into a hidden version: written to R2, the live site still serving the old pages', async () => {
    const res = await machine({ siteId: 'nnjw', step: 'render' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { state: string; version: string; changed: boolean };
    expect(body).toMatchObject({ state: 'rendered', changed: true });
    expect(body.version).not.toBe(v0);
    expect(await manifestPaths(body.version)).toContain('/gzdt/jw-new.html');
    expect(await manifestPaths(v0)).not.toContain('/gzdt/jw-new.html');
    expect(await liveVersion()).toBe(v0);
    expect((await page('/gzdt/jw-new.html')).status).toBe(404);
    expect(await (await page('/gzdt/')).text()).not.toContain('通报三起典型问题');
    // Repeated (a retry after a lost answer): the same version, no second render.
    const again = (await (await machine({ siteId: 'nnjw', step: 'render' })).json()) as { version: string; changed: boolean };
    expect(again).toMatchObject({ version: body.version, changed: false });
  });

  it('inspected: the inspector judges the hidden version, not the live one', async () => {
    // A 留言 unanswered for four months: a 单项否决 the version must not go live with.
    await env.DB.prepare(
      "INSERT INTO consult_messages (id, site_id, code_hash, title, question, received_at) VALUES ('m1', 'nnjw', 'h1', '反映问题', '问题内容', ?)",
    )
      .bind(recent(120))
      .run();
    const res = await machine({ siteId: 'nnjw', step: 'inspect' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { state: string; verdict: { vetoes: number; byKind: Record<string, number>; vetoReasons: string[] } };
    expect(body.state).toBe('inspected');
    expect(body.verdict.vetoes).toBeGreaterThan(0);
    expect(body.verdict.byKind['consult-overdue']).toBe(1);
    const row = await state();
    const stored = JSON.parse(row!.verdict) as { inspection: { pages: number; items: { url: string }[] } };
    const hiddenHtml = (await manifestPaths(row!.version)).filter((p) => p.endsWith('.html')).length;
    const liveHtml = (await manifestPaths(v0)).filter((p) => p.endsWith('.html')).length;
    expect(hiddenHtml).toBeGreaterThan(liveHtml);
    expect(stored.inspection.pages).toBe(hiddenHtml);
    const html = await (await get(platform, '/admin/import/switchover/nnjw')).text();
    expect(html).toContain('单项否决');
    expect(html).toContain('href="#kind-consult-overdue"');
    expect(html).toContain('id="kind-consult-overdue"');
    expect(((await (await machine({ siteId: 'nnjw', step: 'inspect' })).json()) as { changed: boolean }).changed).toBe(false);
  });

  it('activation is refused on a veto, and an override needs a reason', async () => {
    const refused = await post(platform, 'nnjw', { step: 'activate' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('新版本存在单项否决问题，不能上线');
    const short = await post(platform, 'nnjw', { step: 'activate', reason: '急' });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('强制上线理由：至少 4 个字');
    expect(await liveVersion()).toBe(v0);
    expect((await state())?.state).toBe('inspected');
  });

  it('activated (overridden, audited): one pointer write makes the new pages live, search owed, held tasks dropped, old host redirected', async () => {
    const version = (await state())!.version;
    const res = await post(platform, 'nnjw', { step: 'activate', reason: '留言已线下办结，系统记录待补录' });
    expect(res.status).toBe(303);
    expect(await liveVersion()).toBe(version);
    expect((await state())?.state).toBe('live');
    const live = await page('/gzdt/jw-new.html');
    expect(live.status).toBe(200);
    expect(await live.text()).toContain('南宁市纪委监委通报三起典型问题');
    expect(await (await page('/gzdt/')).text()).toContain('通报三起典型问题');
    expect((await env.DB.prepare("SELECT document_id FROM search_queue WHERE kind = 'document' ORDER BY document_id").all()).results).toEqual([
      { document_id: 'jw-first' },
      { document_id: 'jw-new' },
    ]);
    expect(await count("SELECT count(*) AS n FROM render_queue WHERE site_id = 'nnjw'")).toBe(0);
    const audit = await env.DB.prepare("SELECT account_id, detail FROM audit_log WHERE action = 'import.switchover.override'").first<{
      account_id: string;
      detail: string;
    }>();
    expect(audit?.account_id).toBe('so-platform');
    expect(audit?.detail).toContain('留言已线下办结');
    const moved = await SELF.fetch(`http://${OLD}/content.jsp?id=5`, { redirect: 'manual' });
    expect([moved.status, moved.headers.get('location')]).toEqual([301, 'http://jw.nanning.gov.cn/gzdt/jw-new.html']);
  });

  it('is harmless to repeat once live, and the site’s page updates flow again', async () => {
    const version = await liveVersion();
    for (const step of ['start', 'render', 'inspect', 'activate']) {
      const res = await machine({ siteId: 'nnjw', step });
      expect([step, res.status]).toEqual([step, step === 'render' ? 409 : 200]);
    }
    expect(await liveVersion()).toBe(version);
    expect(await count("SELECT count(*) AS n FROM search_queue WHERE kind = 'document'")).toBe(2);
    expect(await count("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'import.switchover.%'")).toBe(4);
    await env.DB.batch([enqueueRenders(env.DB, 'jw-first', new Date().toISOString())]);
    const run = await processRenderQueue(env, { siteId: 'nnjw' });
    expect(run.tasks).toBe(1);
    expect(await count("SELECT count(*) AS n FROM render_queue WHERE site_id = 'nnjw'")).toBe(0);
  });
});

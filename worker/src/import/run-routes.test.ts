/**
 * `npm run import` through the Worker (run-routes.ts), in workerd: the machine token only; a run begun, continued
 * after a kill and finished; batches written by the store; unmapped addresses, attachments and the index round;
 * each bad body a 400 naming its field in Chinese, with nothing written.
 */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedRegistry } from '../testing/sites.ts';

const ADMIN = 'http://admin.gxzf.gov.cn';
const TOKEN = 't'.repeat(48);
const SOURCE = { id: 'nn-old-site', name: '南宁市旧网站', siteIds: ['nanning'], hidden: false };
const COUNTS = { imported: 0, updated: 0, unchanged: 0, merged: 0, deleted: 0, failed: 0 };
const call = (method: string, path: string, body?: unknown, token: string | null = TOKEN) =>
  SELF.fetch(`${ADMIN}/_ingest/import${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: body instanceof Uint8Array ? body : JSON.stringify(body) }),
  });
const count = async (sql: string, ...args: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...args)
    .first<number>('n')) ?? 0;
const record = (sourceId: string, extra: Record<string, unknown> = {}) => ({
  sourceId,
  siteId: 'nanning',
  column: 'tzgg',
  kind: 'notice',
  title: `关于做好城乡居民医保集中缴费工作的通知（第${sourceId}号）`,
  bodyHtml: `<p>现将城乡居民基本医疗保险集中缴费有关事项通知如下，编号 ${sourceId}。</p><p>缴费时间为每年9月1日至12月31日，可通过税务APP或银行网点缴纳。</p>`,
  publishedAt: '2026-09-01 10:00',
  url: `http://old.nanning.example/tzgg/${sourceId}.html`,
  ...extra,
});

beforeAll(async () => {
  await seedRegistry();
  await env.DB.prepare(
    "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES ('nanning/tzgg', 'nanning', NULL, 'tzgg', '通知公告', 'notice', '栏目说明文字', '[]', 0)",
  ).run();
});

describe('import runs through the publishing API', () => {
  it('answers the machine token only', async () => {
    expect((await call('POST', '/runs', { source: SOURCE, kind: 'file', runId: 'imp-1' }, null)).status).toBe(401);
    expect((await call('POST', '/runs', { source: SOURCE, kind: 'file', runId: 'imp-1' }, 'x'.repeat(48))).status).toBe(401);
    expect(await count('SELECT count(*) n FROM import_runs')).toBe(0);
  });

  it('begins a run, writes its batches, continues it after a kill and finishes it', async () => {
    const begun = await call('POST', '/runs', { source: SOURCE, kind: 'file', runId: 'imp-first' });
    expect(begun.status).toBe(200);
    expect(await begun.json()).toEqual({ runId: 'imp-first', resume: null, importedUrls: [] });
    expect(await count("SELECT count(*) n FROM import_sources WHERE id = 'nn-old-site' AND key_hash IS NULL")).toBe(1);

    const batch = await call('POST', '/documents', { source: SOURCE, records: [record('r1'), record('r2'), record('r3', { publishedAt: '近日' })] });
    expect(batch.status).toBe(200);
    const { results } = (await batch.json()) as { results: { outcome: string; field?: string }[] };
    expect(results.map((r) => r.outcome)).toEqual(['imported', 'imported', 'failed']);
    expect(results[2]!.field).toBe('publishedAt');
    expect(await count("SELECT count(*) n FROM import_records WHERE source_id = 'nn-old-site' AND outcome = 'imported'")).toBe(2);
    expect(await count('SELECT count(*) n FROM search_queue')).toBeGreaterThanOrEqual(2);
    const progress = await call('POST', '/runs/imp-first', { sourceId: SOURCE.id, counts: { ...COUNTS, imported: 2, failed: 1 }, records: 3, done: false });
    expect(progress.status).toBe(200);

    // Killed here: the next start of the same source continues this run from its cursor.
    const again = (await (await call('POST', '/runs', { source: SOURCE, kind: 'crawl', runId: 'imp-second' })).json()) as {
      runId: string;
      resume: { id: string; records: number; counts: typeof COUNTS };
      importedUrls: string[];
    };
    expect(again.runId).toBe('imp-first');
    expect(again.resume).toMatchObject({ id: 'imp-first', records: 3, counts: { imported: 2, failed: 1 } });
    expect(again.importedUrls.sort()).toEqual(['r1', 'r2']);
    expect(await count('SELECT count(*) n FROM import_runs')).toBe(1);
    // Sent again after the kill, the batch changes nothing.
    const resent = (await (await call('POST', '/documents', { source: SOURCE, records: [record('r1'), record('r2')] })).json()) as {
      results: { outcome: string }[];
    };
    expect(resent.results.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged']);
    expect(
      (await call('POST', '/runs/imp-first', { sourceId: SOURCE.id, counts: { ...COUNTS, imported: 2, unchanged: 2, failed: 1 }, records: 5, done: true }))
        .status,
    ).toBe(200);
    expect(await env.DB.prepare("SELECT state, cursor FROM import_runs WHERE id = 'imp-first'").first()).toEqual({ state: 'done', cursor: '{"records":5}' });

    // Another source cannot move this run.
    const foreign = await call('POST', '/runs/imp-first', { sourceId: 'someone-else', counts: COUNTS, records: 0, done: true });
    expect(foreign.status).toBe(404);
    expect(((await foreign.json()) as { field: string }).field).toBe('runId');
  });

  it('writes nothing on a dry run', async () => {
    const before = await count('SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM import_runs) + (SELECT count(*) FROM audit_log) n');
    const begun = (await (await call('POST', '/runs', { source: { ...SOURCE, id: 'nn-dry' }, kind: 'file', dryRun: true, runId: 'imp-dry' })).json()) as {
      resume: unknown;
    };
    expect(begun.resume).toBeNull();
    const r = (await (await call('POST', '/documents', { source: SOURCE, records: [record('d1')], dryRun: true })).json()) as {
      results: { outcome: string }[];
    };
    expect(r.results[0]!.outcome).toBe('imported');
    const file = new TextEncoder().encode('%PDF-1.4 dry run');
    expect((await call('PUT', '/attachments/plan.pdf?dryRun=1', file)).status).toBe(200);
    expect((await env.PAGES.list({ prefix: 'attachments/' })).objects).toHaveLength(0);
    expect(await count("SELECT count(*) n FROM import_sources WHERE id = 'nn-dry'")).toBe(0);
    expect(await count('SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM import_runs) + (SELECT count(*) FROM audit_log) n')).toBe(before);
  });

  it('records unmapped addresses, stores attachments by content hash and runs the index the import owes', async () => {
    const u = await call('POST', '/unmapped', {
      sourceId: SOURCE.id,
      items: [{ url: 'http://old.nanning.example/zwgk/list_3.html?page=2', reason: '列表页' }],
    });
    expect(u.status).toBe(200);
    expect(await env.DB.prepare("SELECT path, reason FROM import_unmapped WHERE host = 'old.nanning.example'").first()).toEqual({
      path: '/zwgk/list_3.html?page=2',
      reason: '列表页',
    });
    const pdf = new TextEncoder().encode('%PDF-1.4 the plan');
    const stored = (await (await call('PUT', `/attachments/${encodeURIComponent('实施方案.pdf')}`, pdf)).json()) as { key: string; name: string };
    expect(stored.name).toBe('实施方案.pdf');
    expect(stored.key).toMatch(/^attachments\/[0-9a-f]{64}\.pdf$/);
    expect(await env.PAGES.head(stored.key)).not.toBeNull();
    const refused = (await (await call('PUT', '/attachments/tool.pdf', new TextEncoder().encode('MZ\x90\x00 not a pdf'))).json()) as { error?: string };
    expect(refused.error).toBeTruthy();

    const queued = await count('SELECT count(*) n FROM search_queue');
    expect(queued).toBeGreaterThan(0);
    const round = (await (await call('POST', '/index', {})).json()) as { tasks: number; indexed: number; failed: string | null };
    expect(round).toMatchObject({ tasks: queued, failed: null });
    expect(round.indexed).toBeGreaterThanOrEqual(2);
    expect(await count('SELECT count(*) n FROM search_queue')).toBe(0);
  });

  it('refuses a bad body with a 400 naming the field in Chinese, writing nothing', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/runs', { source: { ...SOURCE, siteIds: [] }, kind: 'file', runId: 'imp-x' }, 'source.siteIds'],
      ['POST', '/runs', { source: SOURCE, kind: 'ftp', runId: 'imp-x' }, 'kind'],
      ['POST', '/runs', { source: { ...SOURCE, siteIds: ['no-such-site'] }, kind: 'file', runId: 'imp-x' }, 'source.siteIds'],
      ['POST', '/documents', { source: SOURCE, records: [] }, 'records'],
      ['POST', '/documents', { source: SOURCE, records: Array.from({ length: 501 }, (_, i) => record(`m${i}`)) }, 'records'],
      ['POST', '/documents', 'not json', 'body'],
      ['POST', '/runs/imp-first', { sourceId: SOURCE.id, counts: { ...COUNTS, imported: -1 }, records: 1, done: false }, 'counts.imported'],
      ['POST', '/unmapped', { sourceId: SOURCE.id, items: [{ url: 'javascript:alert(1)', reason: 'x' }] }, 'items.0.url'],
      ['POST', '/columns', { sourceId: SOURCE.id, columns: [] }, 'columns'],
    ];
    const before = await count('SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM import_runs) + (SELECT count(*) FROM import_unmapped) n');
    for (const [method, path, body, field] of cases) {
      const res = await SELF.fetch(`${ADMIN}/_ingest/import${path}`, {
        method,
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      expect(res.status, `${path} ${field}`).toBe(400);
      const answer = (await res.json()) as { field: string; message: string };
      expect(answer.field, path).toBe(field);
      expect(answer.message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(await count('SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM import_runs) + (SELECT count(*) FROM import_unmapped) n')).toBe(before);
  });
});

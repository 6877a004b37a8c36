import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest, Pointer } from '@ywtc/cms-schema';
import { seedRegistry } from '../testing/sites.ts';
import { addAccount, login } from '../testing/accounts.ts';
import { buildPack, prepareFile } from '@ywtc/sites/edge';

const auth = { Authorization: `Bearer ${'t'.repeat(48)}` };
const api = (path: string, init: RequestInit = {}) =>
  SELF.fetch(`http://127.0.0.1:8787/_ingest${path}`, { ...init, headers: { ...auth, ...(init.headers as Record<string, string> | undefined) } });

function frame(manifest: unknown, pointer: unknown, pack: Uint8Array): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({ manifest, pointer }));
  const body = new Uint8Array(4 + header.byteLength + pack.byteLength);
  new DataView(body.buffer).setUint32(0, header.byteLength);
  body.set(header, 4);
  body.set(pack, 4 + header.byteLength);
  return body;
}
function version(v: string, pages: Record<string, string>, siteId = 'gxzf', previous: Manifest | null = null) {
  const packed = buildPack(v, new Map(Object.entries(pages).map(([p, s]) => [p, prepareFile(p, new TextEncoder().encode(s))])), previous);
  const manifest: Manifest = { siteId, version: v, createdAt: new Date().toISOString(), pages: packed.pages };
  const pointer: Pointer = { version: v, publishedAt: new Date().toISOString(), rendererHash: 'r', contentRevision: 'c', pageCount: Object.keys(pages).length };
  return { manifest, pointer, pack: packed.pack };
}

beforeAll(seedRegistry);

describe('publishing API', () => {
  it('does not exist for requests without the token, and refuses a wrong one', async () => {
    expect((await SELF.fetch('http://127.0.0.1:8787/_ingest/pointers')).status).toBe(401);
    expect((await SELF.fetch('http://127.0.0.1:8787/_ingest/pointers', { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
  });

  it('pages through content tables, decoded by the schema mapping', async () => {
    const res = await api('/tables/sites?limit=1');
    expect(res.status).toBe(200);
    const page = (await res.json()) as { rows: { id: string; domains: string[]; domainListed: boolean }[]; next: number | null };
    expect(page.rows).toHaveLength(1);
    expect(page.rows[0]!.domains).toEqual(['www.gxzf.gov.cn']);
    expect(page.rows[0]!.domainListed).toBe(true);
    expect(page.next).toBe(1);
    // Only the published content and the registry: the CMS's own tables never leave the Worker.
    for (const table of ['passwords', 'accounts', 'grants', 'auditLog', 'cmsDocuments', 'revisions', 'constructor']) {
      const bad = await api(`/tables/${table}`);
      expect(bad.status, table).toBe(400);
      expect(((await bad.json()) as { field: string }).field).toBe('name');
    }
    const badLimit = await api('/tables/sites?limit=999999');
    expect(badLimit.status).toBe(400);
    expect(((await badLimit.json()) as { field: string }).field).toBe('limit');
  });

  it('publishes a version in one request and serves it at once', async () => {
    const v = version('v10', { '/index.html': '<!doctype html><title>经接口发布</title>' });
    const res = await api('/sites/gxzf/versions/v10', { method: 'POST', body: frame(v.manifest, v.pointer, v.pack) });
    expect(res.status).toBe(201);
    expect(await (await SELF.fetch('http://www.gxzf.gov.cn/')).text()).toContain('经接口发布');
    const pointers = (await (await api('/pointers')).json()) as Record<string, Record<string, string>>;
    expect(pointers.gxzf!.version).toBe('v10');
  });

  it('rejects bad input with 4xx naming the field, and leaves the live site untouched', async () => {
    const before = await (await SELF.fetch('http://www.gxzf.gov.cn/')).text();
    const v = version('v11', { '/index.html': '<!doctype html><title>不应上线</title>' });
    const cases: [string, Uint8Array, number, string][] = [
      ['/sites/gxzf/versions/v11', frame({ ...v.manifest, siteId: 'BAD ID' }, v.pointer, v.pack), 400, 'manifest.siteId'],
      ['/sites/gxzf/versions/v11', frame(v.manifest, { ...v.pointer, pageCount: -1 }, v.pack), 400, 'pointer.pageCount'],
      ['/sites/gxzf/versions/v11', frame(v.manifest, v.pointer, v.pack.slice(0, 3)), 400, 'manifest.pages'],
      ['/sites/gxzf/versions/v12', frame(v.manifest, v.pointer, v.pack), 400, 'manifest.version'],
      ['/sites/gxzf/versions/V11!', frame(v.manifest, v.pointer, v.pack), 400, 'version'],
      ['/sites/gxzf/versions/v11', new Uint8Array([0, 0, 0, 9, 1]), 400, 'body'],
    ];
    for (const [path, body, status, field] of cases) {
      const res = await api(path, { method: 'POST', body });
      expect(res.status, field).toBe(status);
      expect(((await res.json()) as { field: string }).field).toBe(field);
    }
    expect(await (await SELF.fetch('http://www.gxzf.gov.cn/')).text()).toBe(before);
  });

  it('never overwrites a published pack, and moves a pointer only to a manifest that exists', async () => {
    const v = version('v10', { '/index.html': '<!doctype html><title>覆盖</title>' });
    const again = await api('/sites/gxzf/versions/v10', { method: 'POST', body: frame(v.manifest, v.pointer, v.pack) });
    expect(again.status).toBe(409);
    const emptyOverwrite = await api('/sites/gxzf/versions/v10', { method: 'POST', body: frame({ ...v.manifest, pages: {} }, v.pointer, new Uint8Array(0)) });
    expect(emptyOverwrite.status).toBe(409); // a manifest is never replaced either, even without a pack
    const reusesMissing = version('v13', {});
    reusesMissing.manifest.pages['/index.html'] = ['v0-gone', 0, 10, 'a'.repeat(32), 'text/html; charset=utf-8', 'identity'];
    const dangling0 = await api('/sites/gxzf/versions/v13', { method: 'POST', body: frame(reusesMissing.manifest, reusesMissing.pointer, reusesMissing.pack) });
    expect(dangling0.status).toBe(409);
    expect(((await dangling0.json()) as { field: string }).field).toBe('manifest.pages');
    const dangling = await api('/sites/gxzf/current', { method: 'PUT', body: JSON.stringify({ ...v.pointer, version: 'v99' }) });
    expect(dangling.status).toBe(409);
    expect(await (await SELF.fetch('http://www.gxzf.gov.cn/')).text()).toContain('经接口发布');
    expect(await env.PAGES.head('sites/gxzf/manifests/v99')).toBeNull();
  });
});

describe('publishing one site twice at once', () => {
  const post = (v: ReturnType<typeof version>, expectedVersion: string | null) =>
    api(`/sites/nanning/versions/${v.manifest.version}`, { method: 'POST', body: frameWith(v, expectedVersion) });
  const frameWith = (v: ReturnType<typeof version>, expectedVersion: string | null) => {
    const header = new TextEncoder().encode(JSON.stringify({ manifest: v.manifest, pointer: v.pointer, expectedVersion }));
    const body = new Uint8Array(4 + header.byteLength + v.pack.byteLength);
    new DataView(body.buffer).setUint32(0, header.byteLength);
    body.set(header, 4);
    body.set(v.pack, 4 + header.byteLength);
    return body;
  };

  it('refuses the publish whose starting version is no longer live (compare-and-swap)', async () => {
    expect((await post(version('20260101t000000z-a', { '/index.html': '第一版' }, 'nanning'), null)).status).toBe(201);
    // Two builds both started from version a; the first to commit wins, the second is refused.
    expect((await post(version('20260102t000000z-b', { '/index.html': '第二版' }, 'nanning'), '20260101t000000z-a')).status).toBe(201);
    const late = await post(version('20260102t000000z-c', { '/index.html': '过时的第二版' }, 'nanning'), '20260101t000000z-a');
    expect(late.status).toBe(409);
    expect(((await late.json()) as { field: string }).field).toBe('expectedVersion');
    expect(await (await SELF.fetch('http://www.nanning.gov.cn/')).text()).toBe('第二版');
  });

  it('deletes versions nobody can reach, keeping packs that kept versions still read from', async () => {
    let previous: Manifest | null = null;
    let live = '20260102t000000z-b';
    for (const [i, day] of ['03', '04', '05', '06'].entries()) {
      const v = version(`202601${day}t000000z-x`, { '/index.html': `第${i + 3}版`, '/keep.html': '一直不变的页面' }, 'nanning', previous);
      expect((await post(v, live)).status).toBe(201);
      previous = v.manifest;
      live = v.manifest.version;
    }
    const { objects } = await env.PAGES.list({ prefix: 'sites/nanning/manifests/' });
    expect(objects.map((o) => o.key.split('/').pop()).sort()).toEqual(['20260104t000000z-x', '20260105t000000z-x', '20260106t000000z-x']);
    // /keep.html was written once, in version 03's pack, and is still served from it.
    expect(await env.PAGES.head('sites/nanning/packs/20260103t000000z-x')).not.toBeNull();
    expect(await (await SELF.fetch('http://www.nanning.gov.cn/keep.html')).text()).toBe('一直不变的页面');
    expect(await (await SELF.fetch('http://www.nanning.gov.cn/')).text()).toBe('第6版');
  });
});

describe('machines only', () => {
  it('refuses a signed-in staff member, even a platform admin, with 403', async () => {
    await addAccount('ing-admin', 'ingest-admin', 'Ingest-admin-2026', [{ role: 'platform-admin', siteId: null }]);
    const s = await login('ingest-admin', 'Ingest-admin-2026');
    const res = await SELF.fetch('http://127.0.0.1:8787/_ingest/pointers', { headers: { Cookie: s.cookie } });
    expect(res.status).toBe(403); // a person, however trusted, is not the publishing machine
    expect(
      (await SELF.fetch('http://127.0.0.1:8787/_ingest/scheduled', { method: 'POST', headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf } })).status,
    ).toBe(403);
  });

  it('tells the full publisher which sites owe page updates, and takes them off once it has published them whole', async () => {
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO render_queue (site_id, scope, document_id, column_id, related, queued_at) VALUES ('gxzf', 'site', NULL, NULL, '[]', '2026-12-04T00:00:00Z')",
      ),
      env.DB.prepare(
        "INSERT INTO render_queue (site_id, scope, document_id, column_id, related, queued_at) VALUES ('nanning', 'site', NULL, NULL, '[]', '2026-12-04T00:00:00Z')",
      ),
    ]);
    const pending = (await (await api('/render-queue')).json()) as { pending: Record<string, number> };
    expect(Object.keys(pending.pending).sort()).toEqual(['gxzf', 'nanning']);
    const bad = await api('/render-queue/ack', { method: 'POST', body: JSON.stringify({ siteId: 'gxzf' }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { field: string }).field).toBe('upTo');
    const ack = await api('/render-queue/ack', { method: 'POST', body: JSON.stringify({ siteId: 'gxzf', upTo: pending.pending.gxzf }) });
    expect(await ack.json()).toEqual({ ok: true, removed: 1 });
    expect(Object.keys(((await (await api('/render-queue')).json()) as { pending: Record<string, number> }).pending)).toEqual(['nanning']);
  });

  it("runs the Cron Trigger's work on demand and reports it", async () => {
    const res = await api('/scheduled', { method: 'POST' });
    expect(res.status).toBe(200);
    const report = (await res.json()) as { released: string[]; search: { tasks: number }; pages: { tasks: number } };
    expect(report.released).toEqual([]);
    expect(report.pages.tasks).toBeGreaterThanOrEqual(1); // nanning's task from the test above
    expect(await env.DB.prepare('SELECT count(*) AS n FROM render_queue').first('n')).toBe(0);
  });
});

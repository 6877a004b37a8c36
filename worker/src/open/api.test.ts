/**
 * The open-data interfaces in workerd with D1 and the quota Durable Object: every catalogue entry of a small
 * cluster answered in JSON, CSV and XML and each valid against its own schema; paging; incremental sync with
 * tombstones after publish and withdraw through the CMS, removal from a site, and deletion; keys, grants and quotas; bad input.
 */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DATASETS,
  ProblemSchema,
  TABLES,
  UsccSchema,
  usccCheckChar,
  buildCatalogue,
  envelopeSchema,
  insertSql,
  toRow,
  type Grant,
  type OpenInterface,
  type StaffPrincipal,
  type UnitPrincipal,
} from '@ywtc/cms-schema';
import { SITES, seedRegistry } from '../testing/sites.ts';
import { addAccount, login, type Session } from '../testing/accounts.ts';
import { decodeCsv, decodeXml } from '../testing/open-formats.ts';
import { forgetCatalogue } from './catalogue.ts';
import { pruneChanges } from './sync.ts';
import { applyFor, createKey, decideApplication, registerUnit, revokeKey, rotateKey, setUnitStatus } from './units.ts';

const ORIGIN = 'http://127.0.0.1:8787';
const PASSWORD = 'Open-test-2026';
let catalogue: OpenInterface[] = [];
const byName = (dataset: string, scopeSiteId: string, scopeKind = 'subtree') =>
  catalogue.find((i) => i.dataset === dataset && i.scopeSiteId === scopeSiteId && i.scopeKind === scopeKind)!;

const cms = (s: Session, method: string, path: string, body?: unknown) =>
  SELF.fetch(`${ORIGIN}/api/cms${path}`, {
    method,
    headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json', Origin: ORIGIN },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const data = (code: string, key: string | null, query = '', headers: Record<string, string> = {}) =>
  SELF.fetch(`${ORIGIN}/open/v1/data/${code}${query}`, { headers: { ...(key ? { 'X-Api-Key': key } : {}), ...headers } });

let editor: Session, reviewer: Session;
let serial = 0;
/** A document through the real CMS chain: created, submitted, signed off at every level, published. */
async function publishDoc(title: string, column = 'nanning/zcwj', kind = 'policy'): Promise<string> {
  const n = ++serial;
  const draft =
    kind === 'policy'
      ? {
          kind,
          title,
          bodyHtml: `<p>${title}。</p>`,
          source: '南宁市人民政府办公室',
          issuer: '南宁市人民政府办公室',
          docNumber: `南府办〔2026〕${n}号`,
          indexNumber: `450100001/2026-${String(n).padStart(5, '0')}`,
          writtenOn: '2026-11-20',
          topic: '综合政务',
        }
      : { kind, title, bodyHtml: `<p>${title}。</p>`, source: '南宁市人民政府办公室' };
  const created = await cms(editor, 'POST', '/documents', { siteId: 'nanning', columnId: column, draft });
  expect(created.status, await created.clone().text()).toBe(201);
  const { id, depth } = (await created.json()) as { id: string; depth: number };
  expect((await cms(editor, 'POST', `/documents/${id}/submit`, {})).status).toBe(200);
  for (let level = 0; level < depth; level++) expect((await cms(reviewer, 'POST', `/documents/${id}/approve`, {})).status).toBe(200);
  const pub = await cms(editor, 'POST', `/documents/${id}/publish`, {});
  expect(pub.status, await pub.clone().text()).toBe(200);
  return id;
}

/** A unit registered, with a key; grants applied for (and, when conditional, approved by the region's site admin, above every owner). */
async function unitWithKey(name: string, first17: string, codes: string[], quota = 1000) {
  const uscc = UsccSchema.parse(first17 + usccCheckChar(first17));
  const reg = await registerUnit(env.DB, {
    unitName: name,
    uscc,
    contactName: '李四',
    contactPhone: '13900000000',
    contactEmail: 'contact@example.cn',
    purpose: '用于政策研究和数据分析，不对外发布。',
    username: `u${uscc.slice(-6).toLowerCase()}`,
    password: PASSWORD,
  });
  if (!reg.ok) throw new Error(reg.message);
  const p: UnitPrincipal = {
    kind: 'unit',
    accountId: reg.value.accountId,
    unitId: reg.value.unitId,
    unitName: name,
    username: 'x',
    csrfToken: '',
    sessionHash: '',
  };
  const approver = staffWith('gx-admin', { role: 'site-admin', siteId: 'gxzf' });
  for (const code of codes) {
    const a = await applyFor(env.DB, p, { code, purpose: '用于政策研究和数据分析。', dailyQuota: quota, endsOn: '2027-06-30' });
    if (!a.ok) throw new Error(`${code}: ${a.message}`);
    if (a.value.status === 'pending') {
      const d = await decideApplication(env.DB, approver, a.value.id, { decision: 'approve', reason: '' });
      if (!d.ok) throw new Error(d.message);
    }
  }
  const k = await createKey(env.DB, p);
  if (!k.ok) throw new Error(k.message);
  return { p, key: k.value.key, keyId: k.value.id };
}

/** A staff member as the access layer makes one, for calling the stored operations directly. */
const staffWith = (accountId: string, g: Pick<Grant, 'role' | 'siteId'>): StaffPrincipal => ({
  kind: 'staff',
  accountId,
  username: accountId,
  displayName: accountId,
  grants: [{ id: `g-${accountId}`, accountId, columnIds: [], level: null, ...g }],
  csrfToken: '',
  sessionHash: '',
});

let full: { p: UnitPrincipal; key: string; keyId: string };

beforeAll(async () => {
  await seedRegistry();
  const col = (id: string, kind: string, name: string, i: number) =>
    env.DB.prepare(insertSql(TABLES.columns)).bind(
      ...toRow(TABLES.columns, {
        id,
        siteId: id.split('/')[0]!,
        parentId: null,
        slug: id.split('/')[1]!,
        name,
        kind: kind as 'policy',
        description: name,
        keywords: [],
        sortOrder: i,
      }),
    );
  await env.DB.batch([
    col('nanning/zcwj', 'policy', '政策文件', 0),
    col('nanning/tzgg', 'notice', '通知公告', 1),
    col('nanning/gzdt', 'work-news', '工作动态', 2),
    col('gxzf/zcwj', 'policy', '政策文件', 0),
  ]);
  catalogue = buildCatalogue(SITES, new Date().toISOString());
  await env.DB.batch(catalogue.map((i) => env.DB.prepare(insertSql(TABLES.openInterfaces)).bind(...toRow(TABLES.openInterfaces, i))));
  forgetCatalogue();
  await addAccount('ed', 'open-ed', PASSWORD, [{ role: 'editor', siteId: 'nanning' }]);
  await addAccount('rv', 'open-rv', PASSWORD, [
    { role: 'reviewer', siteId: 'nanning', level: 1 },
    { role: 'reviewer', siteId: 'nanning', level: 2 },
  ]);
  editor = await login('open-ed', PASSWORD);
  reviewer = await login('open-rv', PASSWORD);
  await publishDoc('南宁市关于促进消费的若干措施');
  await publishDoc('=HYPERLINK("http://evil.example")，关于公式的通知', 'nanning/tzgg', 'notice');
  await publishDoc('南宁市工作动态一则', 'nanning/gzdt', 'article');
  full = await unitWithKey(
    '广西数据研究院',
    '91450100MA5L0F0A0',
    catalogue.map((i) => i.code),
  );
});

describe('the catalogue', () => {
  it('lists every entry publicly, each with its fields and filters from the zod definitions', async () => {
    const res = await SELF.fetch(`${ORIGIN}/open/v1/interfaces`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { total: number; data: { code: string }[] };
    expect(body.total).toBe(catalogue.length);
    const one = (await (await SELF.fetch(`${ORIGIN}/open/v1/interfaces/${byName('policies', 'nanning').code}`)).json()) as {
      fields: { name: string; description: string }[];
      filters: { name: string }[];
    };
    expect(one.fields.map((f) => f.name)).toEqual(Object.keys(DATASETS.policies.record.shape));
    expect(one.fields.every((f) => f.description.length > 1)).toBe(true);
    expect(one.filters.map((f) => f.name)).toEqual(['issuer', 'doc_number', 'year', 'topic', 'validity', 'site']);
  });
});

describe('every interface of the cluster', () => {
  it('answers in JSON, CSV and XML, each valid against its own schema and carrying the same records', async () => {
    for (const i of catalogue) {
      const record = DATASETS[i.dataset].record;
      const json = await data(i.code, full.key, '?limit=20');
      expect(json.status, `${i.code} ${await json.clone().text()}`).toBe(200);
      expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const body = envelopeSchema(record)
        .strict()
        .parse(await json.json());
      for (const r of body.data) record.strict().parse(r);
      const csv = await data(i.code, full.key, '?limit=20&format=csv');
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      const fromCsv = decodeCsv(await csv.text(), record);
      expect(fromCsv.header).toEqual(Object.keys(record.shape));
      expect(fromCsv.records.map((r) => record.strict().parse(r))).toEqual(body.data);
      const xml = await data(i.code, full.key, '?limit=20', { Accept: 'application/xml' });
      expect(xml.headers.get('content-type')).toBe('application/xml; charset=utf-8');
      const fromXml = decodeXml(await xml.text(), record);
      expect(fromXml.interfaceCode).toBe(i.code);
      expect(fromXml.records.map((r) => record.strict().parse(r))).toEqual(body.data);
    }
  });

  it('escapes cells a spreadsheet would run as formulas', async () => {
    const text = await (await data(byName('notices', 'nanning').code, full.key, '?format=csv')).text();
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")，关于公式的通知"`);
  });

  it('gives times in +08:00 and only the scope it names', async () => {
    const body = (await (await data(byName('policies', 'nanning').code, full.key)).json()) as { data: { published_at: string; site_id: string }[] };
    expect(body.data.length).toBeGreaterThan(0);
    for (const r of body.data) {
      expect(r.published_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
      expect(r.site_id).toBe('nanning');
    }
    const province = (await (await data(byName('policies', 'gxzf', 'site').code, full.key)).json()) as { data: unknown[] };
    expect(province.data).toEqual([]);
  });
});

describe('paging', () => {
  it('walks every record once with the cursor, and refuses a forged cursor', async () => {
    for (let i = 0; i < 5; i++) await publishDoc(`南宁市第 ${i} 号分页测试文件`);
    const code = byName('policies', 'nanning').code;
    const all = (await (await data(code, full.key, '?limit=500')).json()) as { data: { id: string }[] };
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await data(code, full.key, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const body = (await res.json()) as { data: { id: string }[]; page: { next_cursor: string | null } };
      seen.push(...body.data.map((r) => r.id));
      cursor = body.page.next_cursor;
      if (cursor) expect(res.headers.get('x-next-cursor')).toBe(cursor);
    } while (cursor);
    expect(seen).toEqual(all.data.map((r) => r.id));
    expect(new Set(seen).size).toBe(seen.length);
    const forged = await data(code, full.key, '?cursor=eyJtIjoibGlzdCJ9');
    expect(forged.status).toBe(400);
    expect(ProblemSchema.parse(await forged.json()).errors?.[0]?.field).toBe('cursor');
  });
});

describe('incremental sync', () => {
  it('keeps a mirror exact through publish, withdraw, removal from the site and delete, with tombstones', async () => {
    const code = byName('policies', 'nanning').code;
    const mirror = new Map<string, unknown>();
    // First a full listing; its first page's generated_at is where incremental sync starts.
    const first = (await (await data(code, full.key, '?limit=500')).json()) as { data: { id: string }[]; generated_at: string };
    for (const r of first.data) mirror.set(r.id, r);
    let since = first.generated_at;
    const sync = async () => {
      let cursor: string | null = null;
      let next: string | null;
      do {
        const res = await data(code, full.key, `?limit=2&since=${encodeURIComponent(since)}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status, await res.clone().text()).toBe(200);
        const body = (await res.json()) as {
          data: { id: string }[];
          deleted: { id: string; deleted_at: string }[];
          page: { next_cursor: string | null };
          sync: { next_since: string | null };
        };
        for (const r of body.data) mirror.set(r.id, r);
        for (const t of body.deleted) mirror.delete(t.id);
        cursor = body.page.next_cursor;
        next = body.sync.next_since;
      } while (cursor);
      since = next!;
    };
    const truth = async () => ((await (await data(code, full.key, '?limit=500')).json()) as { data: { id: string }[] }).data;

    const added = await publishDoc('南宁市同步测试：新发布的文件');
    const gone = await publishDoc('南宁市同步测试：将撤下的文件');
    await sync();
    expect([...mirror.values()]).toEqual(expect.arrayContaining(await truth()));
    expect(mirror.has(added) && mirror.has(gone)).toBe(true);

    expect((await cms(editor, 'POST', `/documents/${gone}/withdraw`, { reason: '内容调整，撤下重发' })).status).toBe(200);
    // A document taken off the site (as when a repost is cancelled): out of the nanning interface.
    const shared = await publishDoc('南宁市同步测试：将从网站撤下栏目的文件');
    await sync();
    expect(mirror.has(gone)).toBe(false);
    expect(mirror.has(shared)).toBe(true);
    await env.DB.prepare('DELETE FROM placements WHERE document_id = ?').bind(shared).run();
    const deleted = await publishDoc('南宁市同步测试：将删除的文件');
    await sync();
    expect(mirror.has(shared)).toBe(false);
    expect(mirror.has(deleted)).toBe(true);
    await env.DB.batch([
      env.DB.prepare('DELETE FROM placements WHERE document_id = ?').bind(deleted),
      env.DB.prepare('DELETE FROM interpretation_links WHERE policy_id = ? OR interpretation_id = ?').bind(deleted, deleted),
      env.DB.prepare('DELETE FROM qa_entries WHERE source_document_id = ?').bind(deleted),
      env.DB.prepare('DELETE FROM documents WHERE id = ?').bind(deleted),
    ]);
    await sync();
    expect(mirror.has(deleted)).toBe(false);
    const now = await truth();
    expect(new Set(mirror.keys())).toEqual(new Set(now.map((r) => r.id)));
    expect(now.map((r) => mirror.get(r.id))).toEqual(now);
  });

  it('refuses since on a statistics interface, a since without offset, and a since older than the change log keeps after pruning', async () => {
    const stats = await data(byName('publication-stats', 'nanning').code, full.key, '?since=2026-01-01T00:00:00%2B08:00');
    expect(stats.status).toBe(400);
    expect(ProblemSchema.parse(await stats.json()).errors?.[0]?.field).toBe('since');
    const noOffset = await data(byName('policies', 'nanning').code, full.key, '?since=2026-01-01T00:00:00');
    expect(noOffset.status).toBe(400);
    // The scheduled work keeps 90 days of changes: run it as of a day in September, a change of January goes.
    await env.DB.prepare("INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('document', 'old-one', NULL, ?)")
      .bind(Date.parse('2026-01-02T00:00:00Z'))
      .run();
    expect(await pruneChanges(env.DB, new Date('2026-09-01T00:00:00Z'))).toBe(1);
    const old = await data(byName('policies', 'nanning').code, full.key, '?since=2026-01-01T00:00:00%2B08:00');
    expect(old.status).toBe(410);
    await env.DB.prepare("DELETE FROM meta WHERE key = 'open_changes_floor'").run();
  });
});

describe('revalidation', () => {
  it('answers 304 to If-None-Match with the same ETag, and a new ETag once the data changes', async () => {
    const code = byName('notices', 'nanning').code;
    const a = await data(code, full.key);
    const etag = a.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{24}"$/);
    expect((await data(code, full.key, '', { 'If-None-Match': etag })).status).toBe(304);
    expect((await data(code, full.key, '?format=csv', { 'If-None-Match': etag })).status).toBe(200);
    await publishDoc('南宁市关于修订的通知', 'nanning/tzgg', 'notice');
    const b = await data(code, full.key, '', { 'If-None-Match': etag });
    expect(b.status).toBe(200);
    expect(b.headers.get('etag')).not.toBe(etag);
  });
});

describe('keys and grants', () => {
  it('refuses no key and an unknown key with 401, and a key in the query string with 400 naming the header', async () => {
    const code = byName('policies', 'nanning').code;
    const none = await data(code, null);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(ProblemSchema.parse(await none.json()).detail).toContain('X-Api-Key');
    expect((await data(code, `ywtc_${'B'.repeat(43)}`)).status).toBe(401);
    expect((await data(code, 'not-a-key')).status).toBe(401);
    const inQuery = await data(code, null, `?api_key=${full.key}`);
    expect(inQuery.status).toBe(400);
    const p = ProblemSchema.parse(await inQuery.json());
    expect(p.detail).toContain('X-Api-Key');
    expect(p.errors?.[0]?.field).toBe('api_key');
  });

  it("never lets unit A's key read a conditional interface granted only to unit B", async () => {
    const conditional = byName('column-updates', 'nanning');
    expect(conditional.openType).toBe('conditional');
    const b = await unitWithKey('南宁某研究所', '12450100MB0A9C8X0', [conditional.code]);
    const a = await unitWithKey('南宁某咨询公司', '91450103MA5K9B1E2', [byName('policies', 'nanning').code]);
    expect((await data(conditional.code, b.key)).status).toBe(200);
    const refused = await data(conditional.code, a.key);
    expect(refused.status).toBe(403);
    expect(ProblemSchema.parse(await refused.json()).detail).toContain('有条件开放');
  });

  it('refuses a revoked key at once, the old key after rotation, an expired key, and a suspended unit', async () => {
    const u = await unitWithKey('某高校课题组', '12450000498500060', [byName('policies', 'nanning').code]);
    const code = byName('policies', 'nanning').code;
    expect((await data(code, u.key)).status).toBe(200);
    const rotated = await rotateKey(env.DB, u.p, u.keyId);
    if (!rotated.ok) throw new Error(rotated.message);
    expect((await data(code, u.key)).status).toBe(401);
    expect((await data(code, rotated.value.key)).status).toBe(200);
    await revokeKey(env.DB, u.p, rotated.value.id);
    const revoked = await data(code, rotated.value.key);
    expect(revoked.status).toBe(401);
    expect(ProblemSchema.parse(await revoked.json()).title).toBe('密钥已吊销');
    const again = await createKey(env.DB, u.p);
    if (!again.ok) throw new Error(again.message);
    await env.DB.prepare('UPDATE open_keys SET expires_at = ? WHERE id = ?')
      .bind(new Date(Date.now() - 1000).toISOString(), again.value.id)
      .run();
    const expired = await data(code, again.value.key);
    expect(expired.status).toBe(401);
    expect(ProblemSchema.parse(await expired.json()).title).toBe('密钥已过期');
    const fresh = await unitWithKey('将被暂停的单位', '91450100MA5K8T7P3', [code]);
    expect((await data(code, fresh.key)).status).toBe(200);
    const platformAdmin = staffWith('pa', { role: 'platform-admin', siteId: null });
    expect((await setUnitStatus(env.DB, platformAdmin, fresh.p.unitId, { suspend: true, reason: '超范围使用数据' })).ok).toBe(true);
    const suspended = await data(code, fresh.key);
    expect(suspended.status).toBe(401);
    expect(ProblemSchema.parse(await suspended.json()).title).toBe('单位已被暂停使用');
    await setUnitStatus(env.DB, platformAdmin, fresh.p.unitId, { suspend: false, reason: '' });
    expect((await data(code, fresh.key)).status).toBe(200);
  });
});

describe('quotas', () => {
  it('lets exactly the daily quota through under concurrency, then 429 with Retry-After and RateLimit headers', async () => {
    const u = await unitWithKey('配额测试单位', '91450100MA5K6Q2R1', [byName('templates', 'gxzf', 'region').code], 25);
    const code = byName('templates', 'gxzf', 'region').code;
    const answers = await Promise.all(Array.from({ length: 60 }, () => data(code, u.key, '?limit=1')));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(25);
    expect(statuses.filter((s) => s === 429)).toHaveLength(35);
    const refused = answers.find((r) => r.status === 429)!;
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('ratelimit-policy')).toBe('"daily";q=25;w=86400');
    expect(refused.headers.get('ratelimit')).toMatch(/^"daily";r=0;t=\d+$/);
    expect(ProblemSchema.parse(await refused.json()).title).toBe('当日调用量已用完');
  });
});

describe('the short-window limit', () => {
  it('refuses a key past 1,000 calls in 10 seconds with 429, Retry-After and the burst policy (Rate Limiting binding)', async () => {
    expect(env.OPEN_RATE_LIMIT).toBeDefined();
    const code = byName('templates', 'gxzf', 'region').code;
    const u = await unitWithKey('频率测试单位', '91450100MA5K3H4J5', [code], 100_000);
    const statuses: number[] = [];
    let limited: Response | null = null;
    // Calls in rounds of 100 at once until the limiter refuses one: more than 1,000 must fall in one 10-s window
    // however slowly this machine answers (at most 4,000 calls).
    for (let round = 0; round < 40 && !limited; round++) {
      const answers = await Promise.all(Array.from({ length: 100 }, () => data(code, u.key, '?limit=1')));
      for (const r of answers) {
        statuses.push(r.status);
        if (r.status === 429 && !limited) limited = r;
        else await r.arrayBuffer();
      }
    }
    expect(limited).not.toBeNull();
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1000);
    expect(limited!.headers.get('retry-after')).toBe('10');
    expect(limited!.headers.get('ratelimit-policy')).toBe('"burst";q=1000;w=10');
    expect(ProblemSchema.parse(await limited!.json()).title).toBe('调用过于频繁');
  }, 60_000);
});

describe('bad input', () => {
  it('names the field for unknown parameters, wrong types, huge limits, repeated parameters and filters out of scope', async () => {
    const code = byName('policies', 'nanning').code;
    const cases: [string, string][] = [
      ['?foo=1', 'foo'],
      ['?limit=abc', 'limit'],
      ['?limit=100000', 'limit'],
      ['?limit=0', 'limit'],
      ['?year=19', 'year'],
      ['?validity=unknown', 'validity'],
      ['?format=pdf', 'format'],
      ['?site=gxzf', 'site'],
      ['?site=NOT_A_SITE', 'site'],
      ['?limit=1&limit=2', 'limit'],
      ['?cursor=%00%01', 'cursor'],
      [`?issuer=${'长'.repeat(100)}`, 'issuer'],
    ];
    for (const [q, field] of cases) {
      const res = await data(code, full.key, q);
      expect(res.status, q).toBe(400);
      const p = ProblemSchema.parse(await res.json());
      expect(
        p.errors?.map((e) => e.field),
        q,
      ).toContain(field);
      expect(p.detail).toMatch(/[\u4e00-\u9fa5]/);
    }
    const unknown = await data('GX-OPEN-9999', full.key);
    expect(unknown.status).toBe(404);
  });
});

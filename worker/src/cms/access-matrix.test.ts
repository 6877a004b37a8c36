/**
 * Every mutating CMS endpoint, over HTTP, for every role × own / child / unrelated site: the expected answer is
 * written out from the rules (分级管理、内容自管、权责一致), not computed by the access function under test.
 * Grants are on 南宁 (own); 兴宁区 is below it (child); 柳州 is beside it (unrelated). A wrong allow or a wrong
 * deny fails, and a denied call must leave the document as it was.
 */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { SiteSchema, TABLES, insertSql, toRow } from '@ywtc/cms-schema';
import { SITES, seedRegistry } from '../testing/sites.ts';
import { addAccount, login as loginAs, type Session, type TestGrant } from '../testing/accounts.ts';

const ORIGIN = 'http://127.0.0.1:8787';
const PASSWORD = 'Matrix-test-2026';
type Place = 'own' | 'child' | 'unrelated';
const SITE_OF: Record<Place, string> = { own: 'nanning', child: 'nnxn', unrelated: 'liuzhou' };
const ROLES = ['platform-admin', 'site-admin', 'editor', 'reviewer-1', 'reviewer-2', 'auditor'] as const;
type Role = (typeof ROLES)[number];

/** The rules, spelled out: which role may do which kind of thing where. */
const WRITE_LIKE = { 'platform-admin': 'all', 'site-admin': 'subtree', editor: 'own' } as const;
function expected(role: Role, kind: 'write' | 'review-1' | 'review-2' | 'audit' | 'platform', place: Place): boolean {
  if (role === 'platform-admin') return true;
  const inSubtree = place !== 'unrelated';
  switch (kind) {
    case 'write': {
      const scope = WRITE_LIKE[role as keyof typeof WRITE_LIKE];
      return scope === 'subtree' ? inSubtree : scope === 'own' ? place === 'own' : false;
    }
    case 'review-1':
      return role === 'reviewer-1' && inSubtree;
    case 'review-2':
      return role === 'reviewer-2' && inSubtree;
    case 'audit':
      return role === 'auditor' && inSubtree;
    case 'platform':
      return false;
  }
}

const login = (username: string) => loginAs(username, PASSWORD);
const call = async (s: Session, method: string, path: string, body?: unknown) => {
  const init: RequestInit = {
    method,
    headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, Origin: ORIGIN, ...(body instanceof FormData ? {} : { 'Content-Type': 'application/json' }) },
  };
  if (body !== undefined) init.body = body instanceof FormData ? body : JSON.stringify(body);
  const res = await SELF.fetch(`${ORIGIN}/api/cms${path}`, init);
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
};

let admin: Session;
const sessions = {} as Record<Role, Session>;
let serial = 0;
const draft = (title: string) => ({
  kind: 'policy',
  title,
  bodyHtml: `<p>${title}。</p>`,
  source: '南宁市人民政府办公室',
  issuer: '南宁市人民政府办公室',
  docNumber: `南府规〔2026〕${++serial}号`,
  indexNumber: `450100001/2026-${String(serial).padStart(5, '0')}`,
  writtenOn: '2026-11-20',
});

/** A document on `site`, brought by the platform admin into the state an endpoint needs. */
async function docIn(site: string, state: 'draft' | 'review-1' | 'review-2' | 'approved' | 'published'): Promise<{ id: string; revision: number }> {
  const created = await call(admin, 'POST', '/documents', { siteId: site, columnId: `${site}/zcwj`, draft: draft(`矩阵测试文件${serial}`) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  const order = ['draft', 'review-1', 'review-2', 'approved', 'published'];
  const steps = ['submit', 'approve', 'approve', 'publish'];
  for (let i = 0; i < order.indexOf(state); i++) expect((await call(admin, 'POST', `/documents/${id}/${steps[i]}`, {})).status).toBe(200);
  return { id, revision: 1 };
}
const stateOf = async (id: string) =>
  (await env.DB.prepare('SELECT state, level, revision FROM cms_documents WHERE id = ?').bind(id).first()) as Record<string, unknown>;

interface Outcome {
  status: number;
  id?: string;
  before?: Record<string, unknown>;
}
interface Endpoint {
  name: string;
  kind: Parameters<typeof expected>[1];
  run: (s: Session, site: string) => Promise<Outcome>;
}
const pdf = () => {
  const f = new FormData();
  f.set('file', new File([new TextEncoder().encode('%PDF-1.4\n%%EOF\n')], '附件.pdf', { type: 'application/pdf' }));
  f.set('revision', '1');
  return f;
};
const onDoc =
  (state: Parameters<typeof docIn>[1], request: (s: Session, id: string) => Promise<{ status: number }>) =>
  async (s: Session, site: string): Promise<Outcome> => {
    const d = await docIn(site, state);
    const before = await stateOf(d.id);
    return { ...(await request(s, d.id)), id: d.id, before };
  };

const ENDPOINTS: Endpoint[] = [
  { name: 'POST /documents', kind: 'write', run: (s, site) => call(s, 'POST', '/documents', { siteId: site, columnId: `${site}/zcwj`, draft: draft('新建') }) },
  { name: 'PUT /documents/:id', kind: 'write', run: onDoc('draft', (s, id) => call(s, 'PUT', `/documents/${id}`, { revision: 1, draft: draft('改过') })) },
  { name: 'POST …/restore', kind: 'write', run: onDoc('draft', (s, id) => call(s, 'POST', `/documents/${id}/restore`, { revision: 1, from: 1 })) },
  { name: 'POST …/attachments', kind: 'write', run: onDoc('draft', (s, id) => call(s, 'POST', `/documents/${id}/attachments`, pdf())) },
  { name: 'POST …/submit', kind: 'write', run: onDoc('draft', (s, id) => call(s, 'POST', `/documents/${id}/submit`, {})) },
  { name: 'POST …/approve (level 1)', kind: 'review-1', run: onDoc('review-1', (s, id) => call(s, 'POST', `/documents/${id}/approve`, {})) },
  { name: 'POST …/reject (level 1)', kind: 'review-1', run: onDoc('review-1', (s, id) => call(s, 'POST', `/documents/${id}/reject`, { comment: '请修改' })) },
  { name: 'POST …/approve (level 2)', kind: 'review-2', run: onDoc('review-2', (s, id) => call(s, 'POST', `/documents/${id}/approve`, {})) },
  { name: 'POST …/reject (level 2)', kind: 'review-2', run: onDoc('review-2', (s, id) => call(s, 'POST', `/documents/${id}/reject`, { comment: '请修改' })) },
  { name: 'POST …/publish', kind: 'write', run: onDoc('approved', (s, id) => call(s, 'POST', `/documents/${id}/publish`, {})) },
  {
    name: 'POST …/schedule',
    kind: 'write',
    run: onDoc('approved', (s, id) => call(s, 'POST', `/documents/${id}/schedule`, { at: new Date(Date.now() + 3600_000).toISOString() })),
  },
  { name: 'POST …/withdraw', kind: 'write', run: onDoc('published', (s, id) => call(s, 'POST', `/documents/${id}/withdraw`, { reason: '调整' })) },
  // 转载 into the site under test, of a document published on 自治区 (the receiving unit decides).
  {
    name: 'POST …/shares',
    kind: 'write',
    run: async (s, site) => {
      const d = await docIn('gxzf', 'published');
      return { ...(await call(s, 'POST', `/documents/${d.id}/shares`, { siteId: site, columnId: `${site}/zcwj` })), id: d.id };
    },
  },
  {
    name: 'DELETE …/shares/:site',
    kind: 'write',
    run: async (s, site) => {
      const d = await docIn('gxzf', 'published');
      expect((await call(admin, 'POST', `/documents/${d.id}/shares`, { siteId: site, columnId: `${site}/zcwj` })).status).toBe(201);
      return { ...(await call(s, 'DELETE', `/documents/${d.id}/shares/${site}`)), id: d.id };
    },
  },
  { name: 'POST /check-terms', kind: 'platform', run: (s) => call(s, 'POST', '/check-terms', { list: 'caution', term: `矩阵词${++serial}`, note: '' }) },
  {
    name: "GET /audit (the site's entries)",
    kind: 'audit',
    run: async (s, site) => {
      const r = await call(s, 'GET', `/audit?site=${site}`);
      // Reading is "allowed" when the site's entries come back, "denied" on a 403 or when none are visible.
      return { status: r.status === 200 && ((r.body.entries as unknown[]) ?? []).length === 0 ? 403 : r.status };
    },
  },
];

beforeAll(async () => {
  await seedRegistry();
  const base = { ...SITES[1]!, domainListed: true };
  const more = [
    SiteSchema.parse({
      ...base,
      id: 'nnxn',
      name: '南宁市兴宁区人民政府门户网站',
      kind: 'county-portal',
      parentId: 'nanning',
      divisionCode: '450102',
      domains: ['www.nnxn.gov.cn'],
      idCode: '4501020001',
      sortOrder: 2,
    }),
    SiteSchema.parse({
      ...base,
      id: 'liuzhou',
      name: '柳州市人民政府门户网站',
      kind: 'city-portal',
      parentId: 'gxzf',
      divisionCode: '450200',
      domains: ['www.liuzhou.gov.cn'],
      idCode: '4502000001',
      sortOrder: 3,
    }),
  ];
  await env.DB.batch([
    ...more.map((s) => env.DB.prepare(insertSql(TABLES.sites)).bind(...toRow(TABLES.sites, s))),
    ...['gxzf', 'nanning', 'nnxn', 'liuzhou'].map((site, i) =>
      env.DB.prepare(
        "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES (?, ?, NULL, 'zcwj', '政策文件', 'policy', '政策文件', '[]', ?)",
      ).bind(`${site}/zcwj`, site, i),
    ),
  ]);
  await addAccount('m-admin', 'm-admin', PASSWORD, [{ role: 'platform-admin', siteId: null }]);
  const grants: Record<Role, TestGrant> = {
    'platform-admin': { role: 'platform-admin', siteId: null },
    'site-admin': { role: 'site-admin', siteId: 'nanning' },
    editor: { role: 'editor', siteId: 'nanning' },
    'reviewer-1': { role: 'reviewer', siteId: 'nanning', level: 1 },
    'reviewer-2': { role: 'reviewer', siteId: 'nanning', level: 2 },
    auditor: { role: 'auditor', siteId: 'nanning' },
  };
  for (const role of ROLES) await addAccount(`m-${role}`, `m-${role}-user`, PASSWORD, [grants[role]]);
  admin = await login('m-admin');
  for (const role of ROLES) sessions[role] = await login(`m-${role}-user`);
  // Something in each site's audit log to find.
  for (const site of Object.values(SITE_OF)) await docIn(site, 'draft');
}, 60_000);

describe('role × endpoint × own / child / unrelated site', () => {
  for (const ep of ENDPOINTS) {
    it(
      ep.name,
      async () => {
        const wrong: string[] = [];
        for (const role of ROLES)
          for (const place of ['own', 'child', 'unrelated'] as Place[]) {
            const site = SITE_OF[place];
            const allow = expected(role, ep.kind, place);
            const r = await ep.run(sessions[role], site);
            const ok = r.status >= 200 && r.status < 300;
            if (ok !== allow) wrong.push(`${role} on ${place} (${site}): expected ${allow ? 'allow' : 'deny'}, got ${r.status}`);
            if (!allow && !ok && ![403, 404].includes(r.status)) wrong.push(`${role} on ${place}: a denial must be 403/404, got ${r.status}`);
            // A denied step leaves the document exactly as it was.
            if (!allow && r.id && r.before) {
              const after = await stateOf(r.id);
              if (JSON.stringify(after) !== JSON.stringify(r.before))
                wrong.push(`${role} on ${place}: the denied call changed ${JSON.stringify(r.before)} to ${JSON.stringify(after)}`);
            }
          }
        expect(wrong).toEqual([]);
      },
      60_000,
    );
  }
});

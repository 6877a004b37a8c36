/**
 * 千人千网 in the CMS, in workerd with D1: a 办事指南 goes through 先审后发 like any document and is stored with its
 * elements; every publish stores the document's interest tags (the editor's, or the classifier's) in the same
 * transaction; editors pin and block items of their own site's 热点 list (role-checked, audited); the tag queue
 * shows what the classifier was unsure of.
 */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { SearchParamsSchema, searchD1 } from '@ywtc/search';
import { seedRegistry } from '../testing/sites.ts';
import { addAccount, login, type Session } from '../testing/accounts.ts';

const ORIGIN = 'http://127.0.0.1:8787';
let editor: Session, reviewer: Session, outsider: Session;

const api = (s: Session, method: string, path: string, body?: unknown) =>
  SELF.fetch(`${ORIGIN}/api/cms${path}`, {
    method,
    headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json', Origin: ORIGIN },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const form = (s: Session, path: string, fields: Record<string, string>) =>
  SELF.fetch(`${ORIGIN}${path}`, {
    method: 'POST',
    headers: { Cookie: s.cookie, Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: s.csrf, ...fields }).toString(),
    redirect: 'manual',
  });

const GUIDE = {
  basis: '《婚姻登记条例》第四条',
  conditions: '内地居民结婚，男女双方应当共同到一方当事人常住户口所在地的婚姻登记机关办理结婚登记。',
  materials: ['本人的户口簿、身份证', '本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明'],
  place: '南宁市民政局婚姻登记处（示例地址）',
  agency: '南宁市民政局',
  fee: '不收费',
  hours: '工作日 9:00—17:00',
  phone: '0771-1234567',
  process: '申请、受理、审查、登记、颁证',
  promiseDays: 0,
  scenes: ['hy-jhdj'],
  onlineUrl: null,
};

async function publishDraft(columnId: string, draft: Record<string, unknown>): Promise<string> {
  const created = await api(editor, 'POST', '/documents', { siteId: 'nanning', columnId, draft });
  expect(created.status, await created.clone().text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  expect((await api(editor, 'POST', `/documents/${id}/submit`, {})).status).toBe(200);
  expect((await api(reviewer, 'POST', `/documents/${id}/approve`, {})).status).toBe(200);
  const published = await api(editor, 'POST', `/documents/${id}/publish`, {});
  expect(published.status, await published.clone().text()).toBe(200);
  return id;
}
const tagsOf = async (id: string) =>
  (await env.DB.prepare('SELECT interest, confidence, source, needs_review FROM document_tags WHERE document_id = ? ORDER BY confidence DESC').bind(id).all())
    .results;

beforeAll(async () => {
  await seedRegistry();
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES ('nanning/zwfw', 'nanning', NULL, 'zwfw', '办事服务', 'service', '办事指南', '[]', 0)",
    ),
    env.DB.prepare(
      "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES ('nanning/tzgg', 'nanning', NULL, 'tzgg', '通知公告', 'notice', '通知公告', '[]', 1)",
    ),
  ]);
  await addAccount('p-ed', 'p-editor', 'Personal-editor-2026', [{ role: 'editor', siteId: 'nanning' }]);
  await addAccount('p-rv', 'p-reviewer', 'Personal-review-2026', [{ role: 'reviewer', siteId: 'nanning', level: 1 }]);
  await addAccount('p-out', 'p-outsider', 'Personal-outside-2026', [{ role: 'editor', siteId: 'gxzf' }]);
  [editor, reviewer, outsider] = await Promise.all([
    login('p-editor', 'Personal-editor-2026'),
    login('p-reviewer', 'Personal-review-2026'),
    login('p-outsider', 'Personal-outside-2026'),
  ]);
});

describe('办事指南 and interest tags through the CMS', () => {
  it('publishes a 办事指南 with its elements through review, tagged with the editor’s 兴趣领域, and findable', async () => {
    const id = await publishDraft('nanning/zwfw', {
      kind: 'guide',
      title: '结婚登记',
      bodyHtml: '<p>内地居民办理结婚登记的指南。</p>',
      source: '南宁市民政局',
      interests: ['hunyin'],
      guide: GUIDE,
    });
    const row = await env.DB.prepare('SELECT kind, guide, interests FROM documents WHERE id = ?')
      .bind(id)
      .first<{ kind: string; guide: string; interests: string }>();
    expect(row!.kind).toBe('guide');
    expect(JSON.parse(row!.guide)).toEqual(GUIDE);
    expect(JSON.parse(row!.interests)).toEqual(['hunyin']);
    expect(await tagsOf(id)).toEqual([{ interest: 'hunyin', confidence: 1, source: 'editor', needs_review: 0 }]);
    const found = await searchD1(env.DB, SearchParamsSchema.parse({ q: '结婚登记' }));
    expect(found.hits.map((h) => h.id)).toContain(id);
  });

  it('refuses a guide without its elements, naming the field', async () => {
    const res = await api(editor, 'POST', '/documents', {
      siteId: 'nanning',
      columnId: 'nanning/zwfw',
      draft: { kind: 'guide', title: '结婚登记', bodyHtml: '<p>x</p>', source: '南宁市民政局', guide: { ...GUIDE, materials: [] } },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { issues: { field: string; message: string }[] };
    expect(body.issues).toContainEqual({ field: 'draft.guide.materials', message: '请至少列出一项办理材料' });
  });

  it('tags a document without 兴趣领域 automatically, in the publish’s own transaction', async () => {
    const id = await publishDraft('nanning/tzgg', {
      kind: 'notice',
      title: '关于做好2026年秋季义务教育招生入学工作的通知',
      bodyHtml: '<p>各县（市、区）教育局：为做好义务教育学校招生入学工作，现将有关事项通知如下。</p>',
      source: '南宁市教育局',
    });
    const tags = await tagsOf(id);
    expect(tags[0]).toMatchObject({ interest: 'jiaoyu', source: 'auto', needs_review: 0 });
    // The editor sees them on the document's page, and the API returns them.
    const page = await (await SELF.fetch(`${ORIGIN}/admin/documents/${id}`, { headers: { Cookie: editor.cookie } })).text();
    expect(page).toMatch(/兴趣标签：教育入学（自动 \d+%）/);
    const { tags: fromApi } = (await (await api(editor, 'GET', `/documents/${id}`)).json()) as { tags: { interest: string; source: string }[] };
    expect(fromApi[0]).toMatchObject({ interest: 'jiaoyu', source: 'auto' });
  });
});

describe('热点信息 in the CMS', () => {
  let placed = '';
  beforeAll(async () => {
    placed = (await env.DB.prepare("SELECT document_id AS id FROM placements WHERE site_id = 'nanning' LIMIT 1").first<{ id: string }>())!.id;
  });
  const overrides = async () => (await env.DB.prepare("SELECT document_id, action FROM hot_overrides WHERE site_id = 'nanning'").all()).results;

  it('lets the site’s editor pin and block, each audited, and undo it', async () => {
    const pin = await form(editor, '/admin/hot', { siteId: 'nanning', documentId: placed, action: 'pin' });
    expect(pin.status).toBe(303);
    expect(pin.headers.get('location')).toBe('/admin/hot?site=nanning&done=pin');
    expect(await overrides()).toEqual([{ document_id: placed, action: 'pin' }]);
    const page = await (await SELF.fetch(`${ORIGIN}/admin/hot?site=nanning`, { headers: { Cookie: editor.cookie } })).text();
    expect(page).toContain('置顶');
    expect((await form(editor, '/admin/hot', { siteId: 'nanning', documentId: placed, action: 'block' })).status).toBe(303);
    expect(await overrides()).toEqual([{ document_id: placed, action: 'block' }]);
    expect((await form(editor, '/admin/hot', { siteId: 'nanning', documentId: placed, action: 'clear' })).status).toBe(303);
    expect(await overrides()).toEqual([]);
    const audit = await env.DB.prepare("SELECT action, account_id, site_id FROM audit_log WHERE action LIKE 'hot.%' ORDER BY seq").all();
    expect(audit.results).toEqual([
      { action: 'hot.pin', account_id: 'p-ed', site_id: 'nanning' },
      { action: 'hot.block', account_id: 'p-ed', site_id: 'nanning' },
      { action: 'hot.clear', account_id: 'p-ed', site_id: 'nanning' },
    ]);
  });

  it('refuses another site’s editor, a document not on the site, a bad action and a missing CSRF token', async () => {
    const other = await form(outsider, '/admin/hot', { siteId: 'nanning', documentId: placed, action: 'block' });
    expect(other.status).toBe(400);
    expect(await other.text()).toContain('您不能管理这个网站的热点信息');
    const missing = await form(editor, '/admin/hot', { siteId: 'nanning', documentId: 'no-such-doc', action: 'pin' });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('本站没有已发布的文档“no-such-doc”');
    const bad = await form(editor, '/admin/hot', { siteId: 'nanning', documentId: placed, action: 'promote' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('操作：操作只能是置顶、屏蔽或取消');
    const noCsrf = await SELF.fetch(`${ORIGIN}/admin/hot`, {
      method: 'POST',
      headers: { Cookie: editor.cookie, Origin: ORIGIN, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ siteId: 'nanning', documentId: placed, action: 'block' }).toString(),
      redirect: 'manual',
    });
    expect(noCsrf.status).toBe(403);
    expect(await overrides()).toEqual([]);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action LIKE 'hot.%'").first<{ n: number }>())!.n).toBe(3);
  });

  it('lists the documents whose automatic tags need an editor, on the editor’s own sites only', async () => {
    await env.DB.batch([
      env.DB.prepare("INSERT INTO document_tags (document_id, interest, confidence, source, needs_review) VALUES (?, 'keji', 0.31, 'auto', 1)").bind(placed),
    ]);
    const mine = await (await SELF.fetch(`${ORIGIN}/admin/tags`, { headers: { Cookie: editor.cookie } })).text();
    expect(mine).toContain(`/admin/documents/${placed}`);
    expect(mine).toContain('科技创新（31%）');
    const theirs = await (await SELF.fetch(`${ORIGIN}/admin/tags`, { headers: { Cookie: outsider.cookie } })).text();
    expect(theirs).not.toContain(placed);
  });
});

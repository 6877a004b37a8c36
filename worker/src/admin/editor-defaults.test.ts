/**
 * The new-document form and the 解读 picker in workerd: the column the form starts on (the editor's last, else
 * the site's most used, never just the first in the site's order) and the policy search behind the picker (by
 * title or 发文字号 in any bracket style, live 政策文件 only, for editors), server-rendered as radio buttons.
 */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { DocumentSchema, TABLES, insertSql, toRow } from '@ywtc/cms-schema';
import { seedRegistry } from '../testing/sites.ts';
import { addAccount, login, type Session } from '../testing/accounts.ts';

const ORIGIN = 'http://127.0.0.1:8787';
const PASSWORD = 'Defaults-test-2026';
const api = (s: Session, method: string, path: string, body?: unknown) =>
  SELF.fetch(`${ORIGIN}/api/cms${path}`, {
    method,
    headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json', Origin: ORIGIN },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const pageOf = async (s: Session, path: string) => (await SELF.fetch(`${ORIGIN}${path}`, { headers: { Cookie: s.cookie } })).text();
const selectedColumn = (html: string) => /<option value="([^"]+)" data-kind="[^"]*" selected>/.exec(html)?.[1] ?? null;

const column = (id: string, name: string, kind: string, order: number) =>
  env.DB.prepare(
    "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES (?, 'nanning', NULL, ?, ?, ?, ?, '[]', ?)",
  ).bind(id, id.split('/')[1]!, name, kind, name, order);

/** A document in the content store, placed on 南宁 (live) or not (withdrawn). */
function stored(id: string, kind: string, title: string, docNumber: string | null, columnId: string | null, publishedAt = '2026-03-01T02:00:00Z') {
  const doc = DocumentSchema.parse({
    id,
    kind,
    title,
    bodyHtml: '<p>正文</p>',
    summary: '',
    keywords: [],
    author: '',
    source: '南宁市人民政府办公室',
    sourceUrl: null,
    publishedAt,
    attachments: [],
    ownerSiteId: 'nanning',
    isDemo: false,
    indexNumber: null,
    issuer: kind === 'notice' ? null : '南宁市人民政府办公室',
    docNumber,
    writtenOn: null,
    issuedOn: publishedAt.slice(0, 10),
    topic: null,
    subjectWords: [],
    validity: null,
    interests: [],
    guide: null,
  });
  return [
    env.DB.prepare(insertSql(TABLES.documents)).bind(...toRow(TABLES.documents, doc)),
    ...(columnId ? [env.DB.prepare('INSERT INTO placements (document_id, site_id, column_id, pinned) VALUES (?, ?, ?, 0)').bind(id, 'nanning', columnId)] : []),
  ];
}

let editor: Session, other: Session, reviewer: Session;
beforeAll(async () => {
  await seedRegistry();
  await env.DB.batch([
    column('nanning/xxgkzn', '信息公开指南', 'disclosure-guide', 0),
    column('nanning/zcwj', '政策文件', 'policy', 1),
    column('nanning/zcjd', '政策解读', 'interpretation', 2),
    column('nanning/tzgg', '通知公告', 'notice', 3),
    ...stored('nn-p1', 'policy', '南宁市关于支持邕江沿岸民宿发展的实施意见', '南府规〔2026〕3号', 'nanning/zcwj', '2026-03-02T02:00:00Z'),
    ...stored('nn-p2', 'policy', '南宁市民宿管理办法（已撤回）', '南府规〔2026〕4号', null),
    ...stored('nn-n1', 'notice', '关于民宿消防检查的通知', null, 'nanning/tzgg'),
    ...stored('nn-n2', 'notice', '关于开展春季植树活动的通知', null, 'nanning/tzgg'),
    ...stored('nn-n3', 'notice', '关于公布第一批示范点的通知', null, 'nanning/tzgg'),
  ]);
  await addAccount('df-ed', 'df-ed', PASSWORD, [{ role: 'editor', siteId: 'nanning' }]);
  await addAccount('df-ed2', 'df-ed2', PASSWORD, [{ role: 'editor', siteId: 'nanning' }]);
  await addAccount('df-rv', 'df-rv', PASSWORD, [{ role: 'reviewer', siteId: 'nanning', level: 1 }]);
  [editor, other, reviewer] = await Promise.all([login('df-ed', PASSWORD), login('df-ed2', PASSWORD), login('df-rv', PASSWORD)]);
});

describe('the column the new-document form starts on', () => {
  it("is the site's most used column for an editor who has written nothing there, not the first column", async () => {
    expect(selectedColumn(await pageOf(editor, '/admin/documents/new?site=nanning'))).toBe('nanning/tzgg');
  });

  it('is the column the editor used last, for that editor only; a column asked for in the address wins', async () => {
    const res = await api(editor, 'POST', '/documents', {
      siteId: 'nanning',
      columnId: 'nanning/zcwj',
      draft: { kind: 'policy', title: '南宁市默认栏目测试文件', bodyHtml: '<p>正文</p>', source: '南宁市人民政府办公室', issuer: '南宁市人民政府办公室' },
    });
    expect(res.status).toBe(201);
    const page = await pageOf(editor, '/admin/documents/new?site=nanning');
    expect(selectedColumn(page)).toBe('nanning/zcwj');
    // The kind follows the column.
    expect(page).toMatch(/<option value="policy" selected>/);
    expect(selectedColumn(await pageOf(other, '/admin/documents/new?site=nanning'))).toBe('nanning/tzgg');
    expect(selectedColumn(await pageOf(editor, '/admin/documents/new?site=nanning&column=nanning/zcjd'))).toBe('nanning/zcjd');
  });
});

describe('the 解读 picker', () => {
  type Found = { results: { id: string; title: string; docNumber: string | null }[] };
  const find = async (s: Session, q: string) => api(s, 'GET', `/policy-search?q=${encodeURIComponent(q)}`);

  it('finds live policies by a part of the title or the 发文字号 in any bracket style, and nothing else', async () => {
    const byTitle = (await (await find(editor, '民宿')).json()) as Found;
    // Not the withdrawn policy, not the notice with the same word.
    expect(byTitle.results.map((r) => r.id)).toEqual(['nn-p1']);
    for (const q of ['南府规〔2026〕3号', '南府规[2026]3号', '南府规【2026】3', '南府规(2026)3号'])
      expect(
        ((await (await find(editor, q)).json()) as Found).results.map((r) => r.id),
        q,
      ).toEqual(['nn-p1']);
    // LIKE wildcards are text, not patterns.
    expect(((await (await find(editor, '%')).json()) as Found).results).toEqual([]);
  });

  it('names the field of a query that is too long, and is for editors only', async () => {
    const long = await find(editor, '民'.repeat(101));
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ field: 'q' });
    expect((await find(reviewer, '民宿')).status).toBe(403);
  });

  it('lists what the search found as radio buttons on the page itself, and shows the chosen policy by its title', async () => {
    const page = await pageOf(editor, `/admin/documents/new?site=nanning&column=nanning/zcjd&policyQ=${encodeURIComponent('南府规[2026]3号')}`);
    expect(page).toMatch(/<input type="radio" name="interprets" value="nn-p1">/);
    expect(page).toContain('找到 1 个');
    expect(page).toMatch(/<form id="policy-search" method="get" action="\/admin\/documents\/new#label-interprets">/);
    const res = await api(editor, 'POST', '/documents', {
      siteId: 'nanning',
      columnId: 'nanning/zcjd',
      draft: {
        kind: 'interpretation',
        title: '图解：南宁市支持民宿发展的实施意见',
        bodyHtml: '<p>解读</p>',
        source: '南宁市人民政府办公室',
        interprets: 'nn-p1',
      },
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const edit = await pageOf(editor, `/admin/documents/${id}`);
    expect(edit).toMatch(/<input type="radio" name="interprets" value="nn-p1" checked>\s*南宁市关于支持邕江沿岸民宿发展的实施意见/);
  });
});

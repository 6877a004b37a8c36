/**
 * 索引号 at publish, in workerd with D1: assigned in the national form from the unit's code when the editor left
 * it empty, unique per unit and year under concurrent publishes, kept when a document is published again, and
 * never below a number of that unit and year typed by hand.
 */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { IndexNumberSchema, cstYear } from '@ywtc/cms-schema';
import { seedRegistry } from '../testing/sites.ts';
import { addAccount, login, type Session } from '../testing/accounts.ts';
import { assignIndexNumber } from './index-numbers.ts';

const ORIGIN = 'http://127.0.0.1:8787';
const PASSWORD = 'Index-test-2026';
const UNIT = '4501000001'; // 南宁's 网站标识码 in the test registry
const YEAR = cstYear(new Date());
const call = (s: Session, method: string, path: string, body?: unknown) =>
  SELF.fetch(`${ORIGIN}/api/cms${path}`, {
    method,
    headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json', Origin: ORIGIN },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

let serial = 0;
const draft = (title: string, indexNumber: string | null = null) => ({
  kind: 'policy',
  title,
  bodyHtml: `<p>${title}的正文。</p>`,
  source: '南宁市人民政府办公室',
  issuer: '南宁市人民政府办公室',
  docNumber: `南府规〔2026〕${++serial}号`,
  indexNumber,
  writtenOn: '2026-01-05',
});

let editor: Session, rv1: Session, rv2: Session;
beforeAll(async () => {
  await seedRegistry();
  await env.DB.prepare(
    "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES ('nanning/zcwj', 'nanning', NULL, 'zcwj', '政策文件', 'policy', '政策文件', '[]', 0)",
  ).run();
  await addAccount('ix-ed', 'ix-ed', PASSWORD, [{ role: 'editor', siteId: 'nanning' }]);
  await addAccount('ix-rv1', 'ix-rv1', PASSWORD, [{ role: 'reviewer', siteId: 'nanning', level: 1 }]);
  await addAccount('ix-rv2', 'ix-rv2', PASSWORD, [{ role: 'reviewer', siteId: 'nanning', level: 2 }]);
  [editor, rv1, rv2] = await Promise.all([login('ix-ed', PASSWORD), login('ix-rv1', PASSWORD), login('ix-rv2', PASSWORD)]);
});

/** A policy taken through both review levels, ready to publish. */
async function approved(title: string, indexNumber: string | null = null): Promise<string> {
  const res = await call(editor, 'POST', '/documents', { siteId: 'nanning', columnId: 'nanning/zcwj', draft: draft(title, indexNumber) });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  for (const [s, step] of [
    [editor, 'submit'],
    [rv1, 'approve'],
    [rv2, 'approve'],
  ] as const)
    expect((await call(s, 'POST', `/documents/${id}/${step}`, {})).status, step).toBe(200);
  return id;
}
const stored = async (id: string) =>
  (await env.DB.prepare('SELECT index_number FROM documents WHERE id = ?').bind(id).first<{ index_number: string | null }>())?.index_number ?? null;

describe('索引号 at publish', () => {
  it('is not required before submission any more: an empty one passes the checks', async () => {
    const res = await call(editor, 'POST', '/documents', { siteId: 'nanning', columnId: 'nanning/zcwj', draft: draft('关于索引号检查的测试文件') });
    const { id } = (await res.json()) as { id: string };
    const report = (await (await call(editor, 'GET', `/documents/${id}/checks`)).json()) as { errors: { field: string }[] };
    expect(report.errors.map((e) => e.field)).not.toContain('indexNumber');
  });

  it('gives concurrent publishes distinct, consecutive numbers of the unit and year, in the national form', async () => {
    const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => approved(`南宁市并发发布测试文件之${i + 1}`)));
    const published = await Promise.all(ids.map((id) => call(editor, 'POST', `/documents/${id}/publish`, {})));
    expect(published.map((r) => r.status)).toEqual(ids.map(() => 200));
    const numbers = await Promise.all(ids.map(stored));
    for (const n of numbers) expect(IndexNumberSchema.safeParse(n).success, String(n)).toBe(true);
    expect(new Set(numbers).size).toBe(ids.length);
    const serials = numbers.map((n) => Number(n!.slice(`${UNIT}/${YEAR}-`.length))).sort((a, b) => a - b);
    expect(numbers.every((n) => n!.startsWith(`${UNIT}/${YEAR}-`))).toBe(true);
    expect(serials).toEqual(serials.map((_, i) => serials[0]! + i));
    // The editor's page shows the number the document got.
    const page = await SELF.fetch(`${ORIGIN}/admin/documents/${ids[0]}`, { headers: { Cookie: editor.cookie } });
    expect(await page.text()).toContain(numbers[0]!);
  });

  it('takes a serial atomically: twenty batches at once never share one', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => `atomic-${i}`);
    await Promise.all(
      ids.map((documentId) => env.DB.batch(assignIndexNumber(env.DB, { documentId, unitCode: '4500000001', publishedAt: new Date().toISOString() }))),
    );
    const { results } = await env.DB.prepare("SELECT index_number FROM index_numbers WHERE document_id LIKE 'atomic-%'").all<{ index_number: string }>();
    expect(results).toHaveLength(20);
    expect(new Set(results.map((r) => r.index_number)).size).toBe(20);
    // Asking again for a document that has one changes nothing.
    await env.DB.batch(assignIndexNumber(env.DB, { documentId: 'atomic-0', unitCode: '4500000001', publishedAt: new Date().toISOString() }));
    expect((await env.DB.prepare("SELECT count(*) AS n FROM index_numbers WHERE document_id LIKE 'atomic-%'").first<{ n: number }>())!.n).toBe(20);
    expect((await env.DB.prepare("SELECT last FROM index_number_counters WHERE unit_code = '4500000001'").first<{ last: number }>())!.last).toBe(20);
  });

  it('keeps the number when the document is withdrawn and published again', async () => {
    const id = await approved('南宁市撤回后重新发布的测试文件');
    expect((await call(editor, 'POST', `/documents/${id}/publish`, {})).status).toBe(200);
    const first = await stored(id);
    expect(first).toMatch(new RegExp(`^${UNIT}/${YEAR}-\\d{5}$`));
    // Another publish in between moves the counter on.
    expect((await call(editor, 'POST', `/documents/${await approved('南宁市中间发布的测试文件')}/publish`, {})).status).toBe(200);
    expect((await call(editor, 'POST', `/documents/${id}/withdraw`, { reason: '内容调整' })).status).toBe(200);
    for (const [s, step] of [
      [editor, 'reopen'],
      [editor, 'submit'],
      [rv1, 'approve'],
      [rv2, 'approve'],
      [editor, 'publish'],
    ] as const)
      expect((await call(s, 'POST', `/documents/${id}/${step}`, {})).status, step).toBe(200);
    expect(await stored(id)).toBe(first);
  });

  it('keeps a number the editor typed, and numbers the next one above it', async () => {
    const typed = `${UNIT}/${YEAR}-00500`;
    const id = await approved('南宁市手工填写索引号的测试文件', typed);
    expect((await call(editor, 'POST', `/documents/${id}/publish`, {})).status).toBe(200);
    expect(await stored(id)).toBe(typed);
    const next = await approved('南宁市手工索引号之后的测试文件');
    expect((await call(editor, 'POST', `/documents/${next}/publish`, {})).status).toBe(200);
    expect(await stored(next)).toBe(`${UNIT}/${YEAR}-00501`);
  });
});

/**
 * With MEILISEARCH_HOST set, every index write of the CMS goes to Meilisearch (and the D1 index the platform
 * reads its statistics from): a publish sends the document, a withdrawal deletes it. When Meilisearch is
 * unreachable the content change still commits and its index update waits in the queue, which the Cron
 * Trigger's work finishes. The requests are recorded by the stand-in of worker/vitest.config.ts.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../index.ts';
import { seedRegistry } from '../testing/sites.ts';
import { addAccount, login, type Session } from '../testing/accounts.ts';
import { scheduledWork } from '../platform/scheduled.ts';

const meili = { ...env, MEILISEARCH_HOST: 'http://meili.test', MEILISEARCH_API_KEY: 'k'.repeat(32) } as typeof env;
const ORIGIN = 'http://127.0.0.1:8787';
let editor: Session;
let reviewer: Session;

interface Sent {
  method: string;
  url: string;
  body: string;
}
const record = async (): Promise<Sent[]> => (await env.OUTBOUND_LOG.fetch('http://log/')).json();
const setMode = (mode: 'up' | 'down') => env.OUTBOUND_LOG.fetch('http://log/', { method: 'PUT', body: JSON.stringify({ mode }) });
const clear = () => env.OUTBOUND_LOG.fetch('http://log/', { method: 'DELETE' });

async function api(s: Session, method: string, path: string, body?: unknown): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${ORIGIN}/api/cms${path}`, {
      method,
      headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    meili,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

/** A notice in Nanning's 通知公告 (one review level), approved and ready to publish. */
async function approved(title: string): Promise<string> {
  const created = await api(editor, 'POST', '/documents', {
    siteId: 'nanning',
    columnId: 'nanning/tzgg',
    draft: { kind: 'notice', title, bodyHtml: `<p>${title}。</p>`, source: '南宁市人民政府办公室' },
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  expect((await api(editor, 'POST', `/documents/${id}/submit`)).status).toBe(200);
  expect((await api(reviewer, 'POST', `/documents/${id}/approve`)).status).toBe(200);
  return id;
}
const documentsSent = (sent: Sent[]) => sent.filter((s) => s.method === 'POST' && s.url.startsWith('/indexes/ywtc-documents/documents?'));
const deletesSent = (sent: Sent[]) => sent.filter((s) => s.method === 'POST' && s.url === '/indexes/ywtc-documents/documents/delete-batch');

beforeAll(async () => {
  await seedRegistry();
  await env.DB.prepare(
    "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES ('nanning/tzgg', 'nanning', NULL, 'tzgg', '通知公告', 'notice', '通知公告', '[]', 0)",
  ).run();
  await addAccount('m-ed', 'meili-editor', 'Meili-editor-2026', [{ role: 'editor', siteId: 'nanning' }]);
  await addAccount('m-rv', 'meili-reviewer', 'Meili-review-2026', [{ role: 'reviewer', siteId: 'nanning', level: 1 }]);
  [editor, reviewer] = await Promise.all([login('meili-editor', 'Meili-editor-2026'), login('meili-reviewer', 'Meili-review-2026')]);
});

describe('search writes with Meilisearch configured', () => {
  it('a CMS publish sends the document to Meilisearch, and a withdrawal deletes it there', async () => {
    const id = await approved('关于开展2026年冬季消防安全检查的通知');
    await clear();
    const published = await api(editor, 'POST', `/documents/${id}/publish`);
    expect(published.status).toBe(200);
    expect(await published.json()).toMatchObject({ state: 'published', index: { pending: false } });
    const sent = documentsSent(await record());
    expect(sent).toHaveLength(1);
    const docs = JSON.parse(sent[0]!.body) as { id: string; title: string; siteIds: string[] }[];
    expect(docs.map((d) => [d.id, d.title, d.siteIds])).toEqual([[id, '关于开展2026年冬季消防安全检查的通知', ['nanning']]]);
    // The D1 index the platform reads its statistics from has it too, and nothing is left owed.
    expect(await env.DB.prepare('SELECT document_id FROM search_docs WHERE document_id = ?').bind(id).first()).toEqual({ document_id: id });
    expect(await env.DB.prepare('SELECT count(*) AS n FROM search_queue').first('n')).toBe(0);

    await clear();
    expect((await api(editor, 'POST', `/documents/${id}/withdraw`, { reason: '检查安排调整' })).status).toBe(200);
    const deletes = deletesSent(await record());
    expect(deletes).toHaveLength(1);
    expect(JSON.parse(deletes[0]!.body)).toHaveLength(1);
    expect(await env.DB.prepare('SELECT 1 FROM search_docs WHERE document_id = ?').bind(id).first()).toBeNull();
  });

  it('with Meilisearch down the publish still commits, and the queued index update is finished by the scheduled work', async () => {
    const id = await approved('关于做好2027年元旦期间安全生产工作的通知');
    await clear();
    await setMode('down');
    const published = await api(editor, 'POST', `/documents/${id}/publish`);
    expect(published.status).toBe(200);
    expect(await published.json()).toMatchObject({ state: 'published', index: { pending: true } });
    expect(await env.DB.prepare('SELECT 1 FROM placements WHERE document_id = ?').bind(id).first()).not.toBeNull();
    const owed = await env.DB.prepare('SELECT kind, document_id, attempts, last_error FROM search_queue').all<{
      kind: string;
      document_id: string;
      attempts: number;
      last_error: string;
    }>();
    expect(owed.results).toHaveLength(1);
    expect(owed.results[0]).toMatchObject({ kind: 'document', document_id: id, attempts: 1 });

    await setMode('up');
    const report = await scheduledWork(meili, new Date(), () => {});
    expect(report.search).toMatchObject({ tasks: 1, indexed: 1, failed: null });
    expect(documentsSent(await record()).some((s) => s.body.includes(id))).toBe(true);
    expect(await env.DB.prepare('SELECT count(*) AS n FROM search_queue').first('n')).toBe(0);
  });
});

/**
 * reindexStep against a real D1 content store: the D1 index is rewritten only where fingerprints differ; another
 * backend (Meilisearch, which cannot run here: a recording stand-in) gets every document and the deletions the
 * D1 index still knows of.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { D1Backend, reindexAll, type SearchBackend, type SearchDocument } from '@ywtc/search';
import { seedRegistry } from '../testing/sites.ts';

const insertDoc = (id: string, title: string) => [
  env.DB.prepare(
    `INSERT INTO documents (id, kind, title, body_html, summary, keywords, author, source, published_at, attachments, owner_site_id, is_demo, subject_words)
    VALUES (?, 'notice', ?, '<p>正文：' || ? || '</p>', '摘要', '[]', '办公室', '南宁市人民政府', '2025-05-01T09:00:00+08:00', '[]', 'nanning', 1, '[]')`,
  ).bind(id, title, title),
  env.DB.prepare("INSERT INTO placements (document_id, site_id, column_id, pinned) VALUES (?, 'nanning', 'nanning/tzgg', 0)").bind(id),
];

class Recording implements SearchBackend {
  readonly name = 'meilisearch' as const;
  indexed: SearchDocument[] = [];
  removed: string[] = [];
  async index(docs: readonly SearchDocument[]) {
    this.indexed.push(...docs);
  }
  async remove(ids: readonly string[]) {
    this.removed.push(...ids);
  }
  async search(): Promise<never> {
    throw new Error('not used');
  }
  async setSynonyms() {}
}

beforeAll(async () => {
  await seedRegistry();
  await env.DB.batch([
    env.DB.prepare(
      "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES ('nanning/tzgg', 'nanning', NULL, 'tzgg', '通知公告', 'notice', '通知公告栏目', '[]', 0)",
    ),
    ...insertDoc('r1', '南宁市防汛工作通知'),
    ...insertDoc('r2', '南宁市春季植树通知'),
    ...insertDoc('r3', '南宁市消防检查通知'),
  ]);
});

describe('reindex', () => {
  it('indexes the placed documents with their placement facts, then finds nothing to do', async () => {
    const d1 = new D1Backend(env.DB, { cache: false });
    expect(await reindexAll(env.DB, d1, 2)).toEqual({ checked: 3, indexed: 3, removed: 0 });
    const row = await env.DB.prepare("SELECT column_kind, level, region FROM search_sites WHERE document_id = 'r1'").first();
    expect(row).toEqual({ column_kind: 'notice', level: 'city', region: '4501' });
    expect(await reindexAll(env.DB, d1, 2)).toEqual({ checked: 3, indexed: 0, removed: 0 });
  });

  it('gives another backend every document and what was withdrawn, before the D1 index forgets it', async () => {
    await env.DB.prepare("DELETE FROM placements WHERE document_id = 'r2'").run(); // withdrawn
    const other = new Recording();
    expect(await reindexAll(env.DB, other, 2)).toEqual({ checked: 2, indexed: 2, removed: 1 });
    expect(other.indexed.map((d) => d.id).sort()).toEqual(['r1', 'r3']);
    expect(other.removed).toEqual(['r2']);
    expect(await reindexAll(env.DB, new D1Backend(env.DB, { cache: false }), 2)).toEqual({ checked: 2, indexed: 0, removed: 1 });
  });

  it('keeps the reference corpus indexed without a placement: the cluster’s search finds it, a site’s never does', async () => {
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO documents (id, kind, title, body_html, summary, keywords, author, source, published_at, attachments, owner_site_id, is_demo, subject_words, issuer)
        VALUES ('ref1', 'policy', '关于印发《河北省科技型中小企业认定管理办法》的通知', '<p>科技型中小企业认定</p>', '摘要', '[]', '', '河北省科学技术厅网站',
        '2013-08-18T00:00:00+08:00', '[]', 'gxzf', 0, '[]', '河北省科学技术厅')`,
      ),
      env.DB.prepare("INSERT INTO reference_documents (document_id) VALUES ('ref1')"),
    ]);
    const d1 = new D1Backend(env.DB, { cache: false });
    expect(await reindexAll(env.DB, d1, 2)).toEqual({ checked: 3, indexed: 1, removed: 0 });
    expect(await env.DB.prepare("SELECT placements FROM search_docs WHERE document_id = 'ref1'").first()).toEqual({ placements: '[]' });
    const q = { q: '科技型中小企业', sort: 'relevance', page: 1, size: 10 } as const;
    expect((await d1.search(q)).hits.map((h) => h.id)).toEqual(['ref1']);
    expect((await d1.search({ ...q, site: 'nanning' })).hits).toEqual([]);
    // Taken out of the corpus (and on no site), it is withdrawn like any unplaced document.
    await env.DB.prepare("DELETE FROM reference_documents WHERE document_id = 'ref1'").run();
    expect(await reindexAll(env.DB, d1, 2)).toEqual({ checked: 2, indexed: 0, removed: 1 });
  });
});

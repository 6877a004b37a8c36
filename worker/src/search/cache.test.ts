/** The embedded index's result cache: kept until the index version changes, never serving a stale index for more than a second. */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { D1Backend, SearchDocumentSchema, SearchParamsSchema, bumpVersion, removeDocuments, type SearchResult } from '@ywtc/search';
import { cachedResult } from '@ywtc/search/d1-cache';

const doc = (id: string, title: string) =>
  SearchDocumentSchema.parse({
    id,
    title,
    body: `${title}。`,
    docNumber: null,
    keywords: [],
    summary: title,
    kind: 'notice',
    issuer: null,
    validity: null,
    publishedAt: '2025-03-01T09:00:00+08:00',
    placements: [{ siteId: 'gxzf', path: `/tzgg/${id}.html` }],
  });
const result = (total: number): SearchResult => ({ query: 'x', total, totalIsLowerBound: false, page: 1, size: 10, hits: [], suggestion: null });

describe('search result cache', () => {
  it('answers a repeated query from memory until the version in D1 changes, and then within a second', async () => {
    let computed = 0;
    const compute = async () => result(++computed);
    const t = 1_000_000_000_000;
    expect((await cachedResult(env.DB, 'k', compute, t)).total).toBe(1);
    expect((await cachedResult(env.DB, 'k', compute, t + 10)).total).toBe(1);
    // Another isolate wrote the index: this one notices once its second is up.
    await bumpVersion(env.DB).run();
    expect((await cachedResult(env.DB, 'k', compute, t + 500)).total).toBe(1);
    expect((await cachedResult(env.DB, 'k', compute, t + 1_500)).total).toBe(2);
    expect(computed).toBe(2);
  });

  it('shows this isolate its own index writes at once, and returns copies callers may change', async () => {
    const backend = new D1Backend(env.DB);
    const q = SearchParamsSchema.parse({ q: '防汛抗旱' });
    expect((await backend.search(q)).total).toBe(0);
    await backend.index([doc('c1', '防汛抗旱工作通知')]);
    const first = await backend.search(q);
    expect(first.hits.map((h) => h.id)).toEqual(['c1']);
    first.hits.length = 0; // a caller (best bets) rearranging its copy
    expect((await backend.search(q)).hits.map((h) => h.id)).toEqual(['c1']);
    await removeDocuments(env.DB, ['c1']);
    expect((await backend.search(q)).total).toBe(0);
    await backend.setSynonyms([['防汛', '汛期']]);
    expect((await env.DB.prepare("SELECT value FROM meta WHERE key = 'search.version'").first<{ value: string }>())!.value).toMatch(/^\d+$/);
  });
});

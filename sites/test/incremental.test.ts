/**
 * A publish or withdrawal re-renders a few pages instead of the site, and the site that results is the same,
 * page for page, as a full render of the new content: same paths, same bytes (ETags).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '@ywtc/cms-schema';
import { ensureRenderer, loadRenderer, rendererAssets, type Renderer } from '../publisher/renderer.ts';
import { indexStore } from '../publisher/routes.ts';
import { renderSite } from '../publisher/render-site.ts';
import { buildPack } from '../publisher/pack.ts';
import { nextManifest, renderChange, type SiteChange } from '../publisher/incremental.ts';
import type { Store } from '../publisher/store.ts';
import { smallStore } from './fixture.ts';
import { nodeCardRenderer } from '../publisher/cards/node.ts';

// Cards kept in memory by ETag: each full render of the fixture would otherwise redo every card.
const made = new Map<string, Uint8Array>();
const cards = { renderer: nodeCardRenderer, cache: { get: (e: string) => made.get(e), set: (e: string, b: Uint8Array) => void made.set(e, b) } };

const SITE = 'nnxn';
const originFor = (d: string) => `https://${d}`;
let renderer: Renderer;
beforeAll(async () => {
  ensureRenderer();
  renderer = await loadRenderer();
}, 120_000);

async function fullManifest(store: Store, version: string, previous: Manifest | null = null): Promise<Manifest> {
  const r = await renderSite(renderer, indexStore(store), SITE, 'https://{domain}', rendererAssets(), cards);
  const packed = buildPack(version, new Map(r.files.map((f) => [f.path, f])), previous);
  return { siteId: SITE, version, createdAt: '2026-11-28T00:00:00Z', pages: packed.pages };
}
const etags = (m: Manifest) =>
  Object.fromEntries(
    Object.entries(m.pages)
      .map(([p, e]) => [p, e[3]])
      .sort(([a], [b]) => a!.localeCompare(b!)),
  );

function clone(store: Store): Store {
  return { ...store, documents: new Map(store.documents), placements: [...store.placements], links: [...store.links] };
}

async function check(before: Store, after: Store, change: SiteChange) {
  const old = await fullManifest(before, 'v1');
  const rendered = await renderChange(renderer, indexStore(after), SITE, change, originFor, cards);
  const next = nextManifest(old, 'v2', rendered);
  expect(etags(next.manifest)).toEqual(etags(await fullManifest(after, 'v3')));
  return { rendered, next, total: Object.keys(old.pages).length };
}

describe('incremental publish', () => {
  const base = smallStore();
  const placed = base.placements.filter((p) => p.siteId === SITE);
  const policyPlacement = placed.find((p) => base.documents.get(p.documentId)!.kind === 'policy')!;
  const newsPlacement = placed.find((p) => !['policy', 'regulation', 'interpretation'].includes(base.documents.get(p.documentId)!.kind))!;

  it('publishing a policy renders its page, its lists, home, library and feeds — and matches a full render', async () => {
    const after = clone(base);
    const template = base.documents.get(policyPlacement.documentId)!;
    const doc = { ...template, id: 'cms-new-policy', title: '南宁市新发布的政策文件（测试）', publishedAt: '2026-11-28T08:00:00.000Z' };
    after.documents.set(doc.id, doc);
    after.placements.push({ documentId: doc.id, siteId: SITE, columnId: policyPlacement.columnId, pinned: 0 });
    const { rendered, next, total } = await check(base, after, { documentIds: [doc.id], columnIds: [], relatedIds: [] });
    expect(rendered.files.has('/index.html')).toBe(true);
    expect([...rendered.files.keys()].some((p) => p.startsWith('/zcwjk/'))).toBe(true);
    expect(rendered.files.has('/sitemap.xml') && rendered.files.has('/rss.xml')).toBe(true);
    expect(rendered.files.get('/cards/cms-new-policy.png')?.type).toBe('image/png');
    expect(rendered.pages).toBeLessThan(total / 3);
    expect(next.removed).toEqual([]);
  }, 60_000); // the first full render also draws the site's share cards (≈ 35 ms each)

  it('withdrawing a document drops its page and re-renders what listed it', async () => {
    const after = clone(base);
    after.placements = after.placements.filter((p) => !(p.documentId === newsPlacement.documentId));
    const { next } = await check(base, after, { documentIds: [newsPlacement.documentId], columnIds: [newsPlacement.columnId], relatedIds: [] });
    expect(next.removed.length).toBeGreaterThanOrEqual(1);
    expect(next.removed.some((p) => p.includes(newsPlacement.documentId))).toBe(true);
    expect(next.removed).toContain(`/cards/${newsPlacement.documentId}.png`);
  });

  it('publishing a 解读 re-renders its policy page, which links to it', async () => {
    const after = clone(base);
    const template = base.documents.get(newsPlacement.documentId)!;
    const doc = { ...template, id: 'cms-new-jd', kind: 'interpretation' as const, title: '图解：新政策解读（测试）', publishedAt: '2026-11-28T09:00:00.000Z' };
    after.documents.set(doc.id, doc);
    after.placements.push({ documentId: doc.id, siteId: SITE, columnId: newsPlacement.columnId, pinned: 0 });
    after.links.push({ policyId: policyPlacement.documentId, interpretationId: doc.id });
    const { rendered } = await check(base, after, { documentIds: [doc.id], columnIds: [], relatedIds: [] });
    expect([...rendered.files.keys()].some((p) => p.includes(policyPlacement.documentId))).toBe(true);
    // …and withdrawing it again restores the policy page (the link is gone from the new state, so it is passed in).
    const { rendered: back } = await check(after, base, {
      documentIds: [doc.id],
      columnIds: [newsPlacement.columnId],
      relatedIds: [policyPlacement.documentId],
    });
    expect([...back.files.keys()].some((p) => p.includes(policyPlacement.documentId))).toBe(true);
  });

  it('a change that a selection would miss is caught by the comparison (the test can fail)', async () => {
    const after = clone(base);
    after.documents.set(newsPlacement.documentId, { ...base.documents.get(newsPlacement.documentId)!, title: '改过的标题' });
    const old = await fullManifest(base, 'v1');
    // Claiming nothing changed leaves the stale page in place: the manifests differ.
    const rendered = await renderChange(renderer, indexStore(after), SITE, { documentIds: [], columnIds: [], relatedIds: [] }, originFor, cards);
    expect(etags(nextManifest(old, 'v2', rendered).manifest)).not.toEqual(etags(await fullManifest(after, 'v3')));
  });
});

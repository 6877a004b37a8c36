/**
 * Seeds the content store: registry + content, validated in full, then written in one transaction.
 * Skipped when the store already holds the same seed (same data files, same generator, same options),
 * which is what makes a second `npm start` fast.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildRegistry, loadRegistrySource } from './registry.ts';
import { buildContent, loadContentSource, type Content } from './content.ts';
import { storedFingerprint, writeContent } from './store.ts';
import { seedCatalogue } from './catalogue.ts';
import type { Site } from '@ywtc/cms-schema';
import { MirroredBackend, reindexAll, type SearchBackend } from '@ywtc/search';

export interface SeedOptions {
  now?: Date;
  newsPerColumn?: number;
  force?: boolean;
  dataDir?: string;
  /** Seed only these sites and their ancestors — a small cluster for tests. */
  siteIds?: string[];
  /**
   * The configured search backend (search/src/configured.ts). The D1 index is written in the seed's own
   * transaction; a served index elsewhere (Meilisearch) is brought in line right after, from the content store.
   */
  index?: SearchBackend;
}
export interface SeedResult {
  skipped: boolean;
  sites: number;
  documents: number;
  columns: number;
  placements: number;
}

export function seedFingerprint(dataDir: string, newsPerColumn: number): string {
  const h = createHash('sha256');
  // The content model is part of the seed: a fix to the schemas or the sanitizer must re-seed, not re-use old rows.
  for (const dir of [dataDir, import.meta.dirname, join(import.meta.dirname, '../../cms-schema/src'), join(import.meta.dirname, '../../search/data')]) {
    for (const f of readdirSync(dir).sort()) if (/\.(json|jsonl|ts|tsv)$/.test(f)) h.update(f).update(readFileSync(join(dir, f)));
  }
  // Which notices the regional portal reposts is read by search's 地区 rule (content.ts): a change to it must re-seed too.
  for (const f of ['area.ts', 'guangxi-divisions.ts']) h.update(f).update(readFileSync(join(import.meta.dirname, '../../search/src', f)));
  return h.update(`news=${newsPerColumn}`).digest('hex').slice(0, 16);
}

export function selectSites(sites: Site[], ids?: string[]): Site[] {
  if (!ids) return sites;
  const byId = new Map(sites.map((s) => [s.id, s]));
  const keep = new Set<string>();
  for (const id of ids) {
    if (!byId.has(id)) throw new Error(`no site ${id} in the registry`);
    for (let s = byId.get(id); s && !keep.has(s.id); s = s.parentId ? byId.get(s.parentId) : undefined) keep.add(s.id);
  }
  return sites.filter((s) => keep.has(s.id));
}

export function buildSeed(opts: SeedOptions = {}): { sites: Site[]; content: Content } {
  const dir = opts.dataDir ?? join(import.meta.dirname, 'data');
  const sites = selectSites(buildRegistry(loadRegistrySource(dir)), opts.siteIds);
  const content = buildContent(sites, loadContentSource(dir), { now: opts.now ?? new Date(), newsPerColumn: opts.newsPerColumn ?? 6 });
  return { sites, content };
}

export async function seed(db: D1Database, opts: SeedOptions = {}): Promise<SeedResult> {
  const dir = opts.dataDir ?? join(import.meta.dirname, 'data');
  const fingerprint = seedFingerprint(dir, opts.newsPerColumn ?? 6) + (opts.siteIds ? '-' + opts.siteIds.join(',') : '');
  if (!opts.force && (await storedFingerprint(db)) === fingerprint) {
    await seedCatalogue(db, opts.now); // a store seeded before the catalogue existed gets it now
    const n = await db
      .prepare(
        'SELECT (SELECT count(*) FROM sites) s, (SELECT count(*) FROM documents) d, (SELECT count(*) FROM columns) c, (SELECT count(*) FROM placements) p',
      )
      .first<{ s: number; d: number; c: number; p: number }>();
    return { skipped: true, sites: n!.s, documents: n!.d, columns: n!.c, placements: n!.p };
  }
  const { sites, content } = buildSeed(opts);
  await writeContent(db, sites, content, fingerprint);
  await seedCatalogue(db, opts.now);
  if (opts.index instanceof MirroredBackend) await reindexAll(db, opts.index.served, 200);
  return { skipped: false, sites: sites.length, documents: content.documents.length, columns: content.columns.length, placements: content.placements.length };
}

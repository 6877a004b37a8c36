/** The seed against a real local D1: all or nothing, and skipped when the store already holds it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, openPlatform } from '../../scripts/lib/platform.ts';
import { buildSeed, seed } from '../../scripts/seed/index.ts';
import { storedFingerprint, writeContent } from '../../scripts/seed/store.ts';

const state = mkdtempSync(join(tmpdir(), 'ywtc-seed-'));
let platform: Awaited<ReturnType<typeof openPlatform>>;
const counts = async () => platform.env.DB.prepare('SELECT (SELECT count(*) FROM sites) s, (SELECT count(*) FROM documents) d, (SELECT count(*) FROM placements) p').first<{ s: number; d: number; p: number }>();

beforeAll(async () => {
  applyMigrations(state);
  platform = await openPlatform(state);
});
afterAll(async () => {
  await platform?.dispose();
  rmSync(state, { recursive: true, force: true });
});

describe('seeding D1', () => {
  it('writes the registry and content, and skips a second identical seed', async () => {
    const first = await seed(platform.env.DB, { siteIds: ['nnxn'] });
    expect(first.skipped).toBe(false);
    expect(first.sites).toBe(3); // nnxn, nanning, gxzf
    const n = await counts();
    expect(n).toEqual({ s: 3, d: first.documents, p: first.placements });
    const second = await seed(platform.env.DB, { siteIds: ['nnxn'] });
    expect(second.skipped).toBe(true);
  });

  it('leaves the previous content whole when a write fails half-way', async () => {
    const before = await counts();
    const fingerprint = await storedFingerprint(platform.env.DB);
    const { sites, content } = buildSeed({ siteIds: ['nnxn', 'fgw-gxzf'] });
    // Passes every schema but breaks a constraint near the end of the batch: a placement in a column that does not exist.
    const broken = { ...content, placements: [...content.placements, { ...content.placements[0]!, siteId: 'fgw-gxzf', columnId: 'fgw-gxzf/missing' }] };
    await expect(writeContent(platform.env.DB, sites, broken, 'broken')).rejects.toThrow();
    expect(await counts()).toEqual(before);
    expect(await storedFingerprint(platform.env.DB)).toBe(fingerprint);
  });
});

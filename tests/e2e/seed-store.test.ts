/** The seed against a real local D1: all or nothing, and skipped when the store already holds it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, openPlatform } from '../../scripts/lib/platform.ts';
import { buildSeed, seed } from '../../scripts/seed/index.ts';
import { storedFingerprint, writeContent } from '../../scripts/seed/store.ts';
import { DEMO_ACCOUNTS, seedDemoAccounts } from '../../scripts/seed/accounts.ts';
import { verifyPassword } from '../../worker/src/cms/password.ts';

const state = mkdtempSync(join(tmpdir(), 'ywtc-seed-'));
let platform: Awaited<ReturnType<typeof openPlatform>>;
const counts = async () =>
  platform.env.DB.prepare('SELECT (SELECT count(*) FROM sites) s, (SELECT count(*) FROM documents) d, (SELECT count(*) FROM placements) p').first<{
    s: number;
    d: number;
    p: number;
  }>();

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

describe('demo accounts', () => {
  it('adds one account per role once, with hashed passwords that verify, and keeps them across a re-seed', async () => {
    expect(await seedDemoAccounts(platform.env.DB)).toBe(DEMO_ACCOUNTS.length);
    expect(await seedDemoAccounts(platform.env.DB)).toBe(0);
    const { results } = await platform.env.DB.prepare(
      'SELECT a.username, a.password_hash, a.password_salt, a.password_iterations, g.role FROM accounts a JOIN grants g ON g.account_id = a.id ORDER BY a.username',
    ).all<{ username: string; password_hash: string; password_salt: string; password_iterations: number; role: string }>();
    expect(new Set(results.map((r) => r.role))).toEqual(new Set(['platform-admin', 'site-admin', 'editor', 'reviewer', 'auditor']));
    const admin = results.find((r) => r.username === 'admin')!;
    expect(
      await verifyPassword('Demo-admin-2026', {
        passwordHash: admin.password_hash,
        passwordSalt: admin.password_salt,
        passwordIterations: admin.password_iterations,
      }),
    ).toBe(true);
    await seed(platform.env.DB, { siteIds: ['nnxn'], force: true });
    expect((await platform.env.DB.prepare('SELECT count(*) AS n FROM grants').first<{ n: number }>())!.n).toBe(results.length);
  });
});

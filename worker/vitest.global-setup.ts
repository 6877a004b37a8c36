/**
 * Before the Worker tests: the cards Worker (wrangler.cards.toml) bundled by wrangler — its wasm modules and
 * font as separate files — so the tests run it as the auxiliary Worker behind the CARDS binding, as in
 * production. Provided to the config (vitest.config.ts) as the output folder: a fresh one per run, removed when
 * the run ends, so two runs in one checkout (several people's, or a watch mode beside a run) never delete the
 * bundle from under each other's runners.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { ensureAdminClient } from '../scripts/lib/admin-client.ts';
import { ensureOpenAssets } from '../scripts/lib/open-assets.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    cardsBundleDir: string;
  }
}

export default function setup(project: TestProject) {
  ensureAdminClient(); // the Worker serves it (admin/admin-assets.ts)
  ensureOpenAssets(); // and the API reference's script, from its static assets (open/docs-routes.ts)
  const root = fileURLToPath(new URL('..', import.meta.url));
  const parent = fileURLToPath(new URL('../.wrangler', import.meta.url));
  mkdirSync(parent, { recursive: true });
  // Empty at the start (hashed file names: stale wasm would be listed too) and this run's alone.
  const out = mkdtempSync(`${parent}/cards-bundle-`);
  const r = spawnSync(
    process.execPath,
    [fileURLToPath(new URL('../node_modules/wrangler/bin/wrangler.js', import.meta.url)), 'deploy', '-c', 'wrangler.cards.toml', '--dry-run', '--outdir', out],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    },
  );
  if (r.status !== 0) {
    rmSync(out, { recursive: true, force: true });
    throw new Error(`building the cards Worker failed:\n${r.stdout}${r.stderr}`);
  }
  project.provide('cardsBundleDir', out);
  return () => rmSync(out, { recursive: true, force: true });
}

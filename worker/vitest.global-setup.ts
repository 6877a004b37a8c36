/**
 * Before the Worker tests: the cards Worker (wrangler.cards.toml) bundled by wrangler — its wasm modules and
 * font as separate files — so the tests run it as the auxiliary Worker behind the CARDS binding, as in
 * production. Provided to the config (vitest.config.ts) as the output folder.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
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
  const out = fileURLToPath(new URL('../.wrangler/cards-bundle', import.meta.url));
  rmSync(out, { recursive: true, force: true }); // hashed file names: stale wasm would be listed too
  const r = spawnSync(
    process.execPath,
    [fileURLToPath(new URL('../node_modules/wrangler/bin/wrangler.js', import.meta.url)), 'deploy', '-c', 'wrangler.cards.toml', '--dry-run', '--outdir', out],
    {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    },
  );
  if (r.status !== 0) throw new Error(`building the cards Worker failed:\n${r.stdout}${r.stderr}`);
  project.provide('cardsBundleDir', out);
}

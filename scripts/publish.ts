/**
 * `npm run publish [-- --force] [-- --remote] [-- --site gxzf]`: render and publish sites from the content store
 * to R2 without starting a server. With --remote it uses the production D1 and R2 (the [env.production]
 * bindings in wrangler.toml, marked remote) — the production publish path; it needs `wrangler login`.
 * The search index is reconciled with the content store before rendering (`npm run reindex` does only that).
 */
import { openPlatform, applyMigrations } from './lib/platform.ts';
import { seed } from './seed/index.ts';
import { configuredBackend, reindexAll } from '@ywtc/search';
import { bindingTarget, ensureRenderer, publishSites } from '../sites/publisher/index.ts';
import { ensureAdminClient } from './lib/admin-client.ts';
import { ensureOpenAssets } from './lib/open-assets.ts';

const args = process.argv.slice(2);
const remote = args.includes('--remote');
const force = args.includes('--force');
const only = args.flatMap((a, i) => (a === '--site' && args[i + 1] ? [args[i + 1]!] : []));
const origin =
  args.find((a) => a.startsWith('--origin='))?.slice('--origin='.length) ??
  (remote ? 'https://{domain}' : `http://{domain}.localhost:${process.env.PORT ?? 8787}`);

if (!remote) applyMigrations();
const platform = await openPlatform(undefined, remote);
try {
  if (args.includes('--seed')) console.log(await seed(platform.env.DB, { force }));
  // Publishing brings the search index in line with the content first (only what differs is rewritten), so
  // what the pages show and what search finds are the same content.
  const backend = configuredBackend(platform.env.DB, process.env);
  const index = await reindexAll(platform.env.DB, backend, 200);
  console.log(`search index (${backend.name}): ${index.checked} documents checked, ${index.indexed} indexed, ${index.removed} removed`);
  const r = ensureRenderer(console.log);
  // What the Worker bundles or serves besides its sources, so that `wrangler deploy` after a publish has it all.
  ensureAdminClient();
  ensureOpenAssets();
  const rep = await publishSites(bindingTarget(platform.env), {
    rendererHash: r.hash,
    originTemplate: origin,
    force,
    log: console.log,
    ...(only.length ? { only } : {}),
  });
  const built = rep.sites.filter((s) => !s.skipped);
  console.log(
    `published ${built.length} of ${rep.sites.length} sites: ${rep.htmlPages} HTML pages, ${rep.changed} changed files, ${(rep.bytes / 1e6).toFixed(1)} MB written, ${(rep.totalMs / 1000).toFixed(1)} s`,
  );
} finally {
  await platform.dispose();
}

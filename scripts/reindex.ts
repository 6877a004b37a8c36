/**
 * `npm run reindex [-- --remote] [-- --batch 200]`: brings the search index in line with the content store
 * (search/src/reindex.ts), rewriting only documents whose entry differs — which also repairs an index left
 * behind by an interrupted run. Local by default (the state `npm start` uses); --remote uses the production
 * D1 like `npm run publish -- --remote`. With MEILISEARCH_HOST set (and MEILISEARCH_API_KEY, MEILISEARCH_INDEX),
 * the Meilisearch index the Worker serves is brought in line too. Prints one line per page and a summary.
 */
import { configuredBackend, reindexAll } from '@ywtc/search';
import { applyMigrations, openPlatform, STATE_DIR } from './lib/platform.ts';

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const remote = args.includes('--remote');
const batch = Number(arg('batch') ?? 200);
if (!Number.isInteger(batch) || batch < 1 || batch > 500) {
  console.error('--batch: 1 到 500 之间的整数');
  process.exit(2);
}
const stateDir = arg('state') ?? STATE_DIR;

if (!remote) applyMigrations(stateDir);
const platform = await openPlatform(stateDir, remote);
try {
  const db = platform.env.DB;
  // The configured backend (search/src/configured.ts): Meilisearch and the D1 index, or the D1 index alone.
  const backend = configuredBackend(db, process.env);
  const t = performance.now();
  const total = await reindexAll(db, backend, batch, (s) =>
    console.log(`${backend.name}: checked ${s.checked}, indexed ${s.indexed}, removed ${s.removed}${s.next ? ` (up to ${s.next})` : ''}`),
  );
  console.log(
    `${backend.name}: ${total.checked} documents checked, ${total.indexed} indexed, ${total.removed} removed in ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
} finally {
  await platform.dispose();
}

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { unstable_readConfig } from 'wrangler';
import { defineConfig } from 'vitest/config';

/**
 * Global fetch() of the Worker under test lands here, in Node. Hosts under `.test` are answered by a small
 * Meilisearch stand-in that records every request — the tests read the record through the OUTBOUND_LOG binding
 * (GET; DELETE clears it) and switch the stand-in between answering like Meilisearch (PUT {"mode":"up"}) and
 * being unreachable (PUT {"mode":"down"}). Anything else passes through. One stand-in per workerd runner (that
 * is, per test file), so two files running side by side never see each other's requests.
 */
function meilisearchStandIn() {
  const outbound: { method: string; url: string; body: string }[] = [];
  let mode: 'up' | 'down' = 'up';
  let taskUid = 0;
  async function fakeMeilisearch(req: Request): Promise<Response> {
    const url = new URL(req.url);
    outbound.push({ method: req.method, url: url.pathname + url.search, body: req.body ? await req.text() : '' });
    if (mode === 'down') throw new TypeError('fetch failed: connect ECONNREFUSED (the test stand-in is down)');
    const task = /^\/tasks\/(\d+)$/.exec(url.pathname);
    if (task)
      return Response.json({
        uid: Number(task[1]),
        indexUid: 'ywtc-documents',
        status: 'succeeded',
        type: 'documentAdditionOrUpdate',
        error: null,
        enqueuedAt: '',
      });
    if (req.method !== 'GET' && !url.pathname.endsWith('/search'))
      return Response.json({ taskUid: ++taskUid, indexUid: 'ywtc-documents', status: 'enqueued', type: 'x', enqueuedAt: '' }, { status: 202 });
    if (url.pathname.endsWith('/settings/synonyms')) return Response.json({});
    if (url.pathname.endsWith('/search'))
      return Response.json({ hits: [], query: '', processingTimeMs: 0, hitsPerPage: 10, page: 1, totalPages: 0, totalHits: 0 });
    return Response.json({ message: 'not found', code: 'not_found', type: 'invalid_request', link: '' }, { status: 404 });
  }
  const log = async (req: Request) => {
    if (req.method === 'DELETE') {
      outbound.length = 0;
      mode = 'up';
    }
    if (req.method === 'PUT') mode = (await req.json<{ mode: 'up' | 'down' }>()).mode;
    return Response.json(outbound);
  };
  return { fakeMeilisearch, log };
}

// Worker tests run inside workerd with real local D1 and R2 (emptied before each test file), migrations applied, and
// the cards Worker (built by vitest.global-setup.ts) behind the CARDS binding. The options are built again for
// each runner the pool starts — one workerd per test file.
export default defineConfig(() => ({
  plugins: [
    cloudflareTest(async ({ inject }) => {
      const cards = inject('cardsBundleDir');
      const meilisearch = meilisearchStandIn();
      return {
        wrangler: { configPath: fileURLToPath(new URL('../wrangler.toml', import.meta.url)) },
        miniflare: {
          bindings: {
            INGEST_TOKEN: 't'.repeat(48),
            // 千人千网: the key that signs citizens' settings cookies.
            PERSONAL_SECRET: 'p'.repeat(48),
            // As behind Cloudflare: the edge sets this header, so the login throttle may count by it.
            CLIENT_ADDRESS_HEADER: 'cf-connecting-ip',
            TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url))),
            // The variables of [env.production] as wrangler reads them, so routing is tested with the deployed configuration.
            PRODUCTION_VARS: JSON.stringify(
              (
                unstable_readConfig({ config: fileURLToPath(new URL('../wrangler.toml', import.meta.url)), env: 'production' }) as {
                  vars: Record<string, unknown>;
                }
              ).vars,
            ),
          },
          serviceBindings: { OUTBOUND_LOG: meilisearch.log },
          outboundService: (req: Request) => (new URL(req.url).hostname.endsWith('.test') ? meilisearch.fakeMeilisearch(req) : fetch(req)),
          workers: [
            {
              name: 'ywtc-cards',
              // Listed module by module (the plugin neither follows a bundle's imports nor takes module rules).
              modulesRoot: cards,
              modules: [
                { type: 'ESModule', path: join(cards, 'worker.js') },
                ...readdirSync(cards)
                  .filter((f) => f.endsWith('.wasm') || f.endsWith('.woff'))
                  .map((f) => ({ type: f.endsWith('.wasm') ? ('CompiledWasm' as const) : ('Data' as const), path: join(cards, f) })),
              ],
              compatibilityDate: '2026-11-01',
              compatibilityFlags: ['nodejs_compat'],
            },
          ],
        },
      };
    }),
  ],
  test: {
    name: 'worker',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['src/**/*.test.ts'],
    setupFiles: ['./src/testing/apply-migrations.ts'],
    globalSetup: ['./vitest.global-setup.ts'],
    // Two runners, each ONE workerd for all the files it runs (isolate: false). Starting a workerd per file — the
    // runner, ≈ 480 modules fetched through vite, the migrations — took ≈ 5 s against well under a second of tests
    // for most files (50 files: 190 s; shared: ≈ 55 s). Files still start from nothing: the setup file drops every
    // table and R2 object, re-applies the migrations and resets the module registry (per-isolate caches such as the
    // registry's are module state). A group of its own (groupOrder), so that the Worker files run before the e2e
    // files and never beside them.
    maxWorkers: 2,
    isolate: false,
    sequence: { groupOrder: 1 },
  },
}));

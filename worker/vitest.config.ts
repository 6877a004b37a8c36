import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

/**
 * Global fetch() of the Worker under test lands here, in Node, for hosts the tests fake (`*.test`): a test reads
 * what was sent through the OUTBOUND_LOG binding and sets the answers through it (search/meilisearch-config.test.ts).
 * Anything else passes through.
 */
const outbound: { method: string; url: string; body: string }[] = [];
let answers: Record<string, { status: number; body: unknown }> = {};

// Worker tests run inside workerd with real local D1 and R2 (isolated per test file), migrations applied, and
// the cards Worker (built by vitest.global-setup.ts) behind the CARDS binding.
export default defineConfig(async () => ({
  plugins: [
    cloudflareTest(async ({ inject }) => {
      const cards = inject('cardsBundleDir');
      return {
        wrangler: { configPath: fileURLToPath(new URL('../wrangler.toml', import.meta.url)) },
        miniflare: {
          bindings: {
            INGEST_TOKEN: 't'.repeat(48),
            // As behind Cloudflare: the edge sets this header, so the login throttle may count by it.
            CLIENT_ADDRESS_HEADER: 'cf-connecting-ip',
            TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url))),
          },
          serviceBindings: {
            OUTBOUND_LOG: async (req: Request) => {
              if (req.method === 'DELETE') { outbound.length = 0; answers = {}; }
              if (req.method === 'PUT') answers = (await req.json()) as typeof answers;
              return Response.json(outbound);
            },
          },
          outboundService: async (req: Request) => {
            const url = new URL(req.url);
            if (!url.hostname.endsWith('.test')) return fetch(req);
            outbound.push({ method: req.method, url: req.url, body: req.body ? await req.text() : '' });
            const key = Object.keys(answers).find((k) => `${req.method} ${url.pathname}`.startsWith(k));
            const a = key ? answers[key]! : { status: 404, body: { message: 'not faked', code: 'not_found' } };
            return Response.json(a.body, { status: a.status });
          },
          workers: [{
            name: 'ywtc-cards',
            // Listed module by module (the plugin neither follows a bundle's imports nor takes module rules).
            modulesRoot: cards,
            modules: [
              { type: 'ESModule', path: join(cards, 'worker.js') },
              ...readdirSync(cards).filter((f) => f.endsWith('.wasm') || f.endsWith('.woff'))
                .map((f) => ({ type: f.endsWith('.wasm') ? ('CompiledWasm' as const) : ('Data' as const), path: join(cards, f) })),
            ],
            compatibilityDate: '2026-11-01',
            compatibilityFlags: ['nodejs_compat'],
          }],
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
  },
}));

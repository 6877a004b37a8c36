import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

// Worker tests run inside workerd with real local D1 and R2 (isolated per test file), migrations applied.
export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: fileURLToPath(new URL('../wrangler.toml', import.meta.url)) },
      miniflare: {
        bindings: { INGEST_TOKEN: 't'.repeat(48), CLIENT_ADDRESS_HEADER: 'cf-connecting-ip', TEST_MIGRATIONS: await readD1Migrations(fileURLToPath(new URL('./migrations', import.meta.url))) },
      },
    }),
  ],
  test: {
    name: 'worker',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['src/**/*.test.ts'],
    setupFiles: ['./src/testing/apply-migrations.ts'],
  },
}));

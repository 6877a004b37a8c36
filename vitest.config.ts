import { defineConfig } from 'vitest/config';

// Four projects: unit tests in Node, Worker tests inside workerd, the production bundles, and the cluster end to end.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'cms-schema/test/**/*.test.ts',
            'scripts/**/test/**/*.test.ts',
            'sites/test/**/*.test.ts',
            'themes/test/**/*.test.ts',
            'search/test/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      './worker/vitest.config.ts',
      {
        test: {
          // The production Workers as wrangler builds them for deploy (no network, no cluster).
          name: 'build',
          include: ['tests/build/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

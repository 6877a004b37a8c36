import { defineConfig } from 'vitest/config';

// Three projects: unit tests in Node, Worker tests inside workerd, and the end-to-end cluster test.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['cms-schema/test/**/*.test.ts', 'scripts/**/test/**/*.test.ts', 'sites/test/**/*.test.ts', 'themes/test/**/*.test.ts', 'search/test/**/*.test.ts'],
          environment: 'node',
        },
      },
      './worker/vitest.config.ts',
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

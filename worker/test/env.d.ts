declare module 'cloudflare:test' {
  interface ProvidedEnv {
    DB: D1Database;
    PAGES: R2Bucket;
    TEST_MIGRATIONS: import('@cloudflare/vitest-plugin').D1Migration[];
  }
}

// Bindings the tests see through `env` from cloudflare:test (wrangler.toml plus the migrations list).
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    PAGES: R2Bucket;
    INGEST_TOKEN: string;
    TEST_MIGRATIONS: import('@cloudflare/vitest-plugin').D1Migration[];
  }
}

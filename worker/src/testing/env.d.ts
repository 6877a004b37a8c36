// Bindings the tests see through `env` from cloudflare:test (wrangler.toml plus the migrations list).
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    PAGES: R2Bucket;
    INGEST_TOKEN: string;
    CLIENT_ADDRESS_HEADER: string;
    /** 千人千网: the key that signs settings cookies (worker/vitest.config.ts). */
    PERSONAL_SECRET?: string;
    SITE_ORIGIN_TEMPLATE?: string;
    /** [env.production].vars of wrangler.toml, as JSON (platform/production-routing.test.ts). */
    PRODUCTION_VARS: string;
    CARDS?: Service<import('../cards/worker.ts').default>;
    OPEN_QUOTA: DurableObjectNamespace<import('../open/quota.ts').OpenQuota>;
    OPEN_RATE_LIMIT?: RateLimit;
    ASSETS?: Fetcher;
    /** The outbound-fetch recorder of worker/vitest.config.ts: GET the record, DELETE to clear it, PUT fake answers. */
    OUTBOUND_LOG: Fetcher;
    TEST_MIGRATIONS: import('@cloudflare/vitest-plugin').D1Migration[];
  }
}

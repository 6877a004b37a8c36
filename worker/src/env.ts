export interface Env {
  DB: D1Database;
  PAGES: R2Bucket;
  /** Bearer token of the publishing API (/_ingest); unset disables it. A secret in production. */
  INGEST_TOKEN?: string;
  /** Password of the interim admin pages (user `admin`); falls back to INGEST_TOKEN. A secret in production. */
  ADMIN_TOKEN?: string;
  /** Meilisearch instead of the embedded index, when set (with MEILISEARCH_API_KEY, a secret). */
  MEILISEARCH_HOST?: string;
  MEILISEARCH_API_KEY?: string;
  MEILISEARCH_INDEX?: string;
  /**
   * Public origin of a site's pages, `{domain}` standing for its primary domain (https://{domain} in production,
   * http://{domain}.localhost:8787 locally). When set, the first publish on a site that has no pages yet renders
   * it whole inside the Worker (render/whole-site.ts); unset, such a site waits for `npm run publish`.
   */
  SITE_ORIGIN_TEMPLATE?: string;
  /** `off` disables the embedded index's result cache (benchmarks of the engine itself). */
  SEARCH_CACHE?: string;
}
export type AppEnv = { Bindings: Env };

export interface Env {
  DB: D1Database;
  PAGES: R2Bucket;
  /** Bearer token of the publishing API (/_ingest); unset disables it. A secret in production. */
  INGEST_TOKEN?: string;
}
export type AppEnv = { Bindings: Env };

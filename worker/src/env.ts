export interface Env {
  DB: D1Database;
  PAGES: R2Bucket;
}
export type AppEnv = { Bindings: Env; Variables: { siteId: string; sitePath: string; siteBase: string } };

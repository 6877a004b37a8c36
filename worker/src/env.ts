/**
 * The Worker's bindings and per-request variables, shared by every capability: one type, so no capability
 * imports another's to learn what a request carries.
 */
import type { Principal } from '@ywtc/cms-schema';
import type Cards from './cards/worker.ts';
import type { OpenQuota } from './open/quota.ts';

export interface Env {
  DB: D1Database;
  PAGES: R2Bucket;
  /** The cards Worker (cards/worker.ts, via render/cards-client.ts): share cards are drawn there, not in the Worker that serves pages. */
  CARDS?: Service<Cards>;
  /** Bearer token of the publishing API (/_ingest) for machines; unset disables it. A secret in production. */
  INGEST_TOKEN?: string;
  /**
   * The platform's own hosts and what each serves (platform/config.ts), as a JSON object or its text. Unset:
   * the loopback hosts serve everything, as on a developer's machine.
   */
  PLATFORM_HOSTS?: unknown;
  /**
   * Whose address the login throttle counts: the request header a trusted front sets (`cf-connecting-ip` on
   * Cloudflare, where the edge overwrites what a client sends). Unset: no header is trusted and every client
   * counts as one (local development, where anyone can send any header).
   */
  CLIENT_ADDRESS_HEADER?: string;
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
  /** Static assets (wrangler.toml [assets]): the API reference's script for /open/docs/api. */
  ASSETS?: Fetcher;
  /** 数据开放: exact daily quotas, one Durable Object per external unit (open/quota.ts). */
  OPEN_QUOTA: DurableObjectNamespace<OpenQuota>;
  /** 数据开放: the short-window limit per API key (Workers Rate Limiting binding, wrangler.toml [[ratelimits]]). */
  OPEN_RATE_LIMIT?: RateLimit;
  /**
   * 千人千网: the key that signs citizens' settings cookies (personal/profile-cookie.ts), ≥ 32 characters; a secret
   * in production (`wrangler secret put PERSONAL_SECRET`). Unset: no personalisation, every page is the static one.
   */
  PERSONAL_SECRET?: string;
  /** 内容监管: the schedules the Cron Trigger starts by itself, e.g. "weekly,monthly,quarterly" (inspect/scheduled.ts); unset: none. */
  INSPECT_SCHEDULES?: string;
  /** `on`: monthly and quarterly runs check external links (production; this machine reaches nothing outside). */
  INSPECT_EXTERNAL_LINKS?: string;
  /** Milliseconds of each cron call an inspection may use (default 20 000). */
  INSPECT_BUDGET_MS?: string;
  /** `on`: each cron call probes a few domains' DNS and certificates (域名管理; domains/probes.ts). */
  DOMAIN_PROBES?: string;
  /** 域名管理 probes' endpoints (DNS over HTTPS JSON, Certificate Transparency search); defaults in domains/config.ts. */
  DOH_URL?: string;
  CT_SEARCH_URL?: string;
  /** `off` disables the embedded index's result cache (benchmarks of the engine itself). */
  SEARCH_CACHE?: string;
}

/** The site a request is for, once the host (or the /_site/<domain>/ prefix) has been resolved. */
export interface SiteContext {
  id: string;
  /** Where the site's root is in this request's URL space: '/' at its own host, '/_site/<domain>/' in the preview. */
  base: string;
  /** The path inside the site, starting with '/'. */
  path: string;
}

export type AppEnv = {
  Bindings: Env;
  Variables: {
    /** Who is asking (access/authenticate.ts); set on routes that declare an access rule. */
    principal: Principal;
    /** Why a presented API key was refused (access/authenticate.ts), for the open-data routes' 401. */
    keyRefusal: 'unauthenticated' | 'key-revoked' | 'key-expired' | 'unit-suspended';
    /** The content store's change counter when an API key was checked (open/answer-cache.ts). */
    dataVersion: number;
    site: SiteContext;
  };
};

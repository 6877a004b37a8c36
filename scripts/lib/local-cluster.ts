/**
 * A small local cluster for tests and benchmarks — the one way they start one: a fresh D1/R2 state, the given
 * sites seeded (with their ancestors), the Worker served by `wrangler dev` (frozen by default, so an edit
 * elsewhere in the checkout does not restart it mid-run), and — unless `publish: false` — every seeded site
 * rendered and published through the publishing API as `npm start` does (without share cards unless asked:
 * they are images, and slow).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { applyMigrations, freePort, newIngestToken, openPlatform, startDevServer, stopProcessGroup, waitForHttp, type PlatformEnv } from './platform.ts';
import { seed } from '../seed/index.ts';
import { DEMO_ACCOUNTS, seedDemoAccounts } from '../seed/accounts.ts';
import { seedCheckTerms } from '../seed/check-terms.ts';
import { ensureRenderer, publishSites, workerTarget, type PublishReport, type PublishTarget } from '../../sites/publisher/index.ts';
import { FAMILIES, TEMPLATES, type Template } from '@ywtc/themes';

/** One template of every layout family (a different header and home arrangement for each): what the e2e checks and benches sample. */
export const oneTemplatePerFamily = (): Template[] =>
  (Object.keys(FAMILIES) as (keyof typeof FAMILIES)[]).map((f, i) => TEMPLATES.filter((t) => t.family === f)[(i * 7) % 30]!);

export interface LocalCluster {
  port: number;
  /** http://127.0.0.1:<port> — the platform host: 模板库 previews, /_site/<domain>/, /api/cms. */
  origin: string;
  /** The publishing token of this run. */
  token: string;
  /** The D1/R2 state folder (removed by stop()). */
  state: string;
  /** The public address of a site's page by its domain, e.g. http://www.nnxn.gov.cn.localhost:<port>/ (Host routing). */
  siteUrl(domain: string, path?: string): string;
  /** First page of a column of the site with at least one document, and that document (paths relative to the site root). */
  samplePages(siteId: string): { list: string; document: string };
  sites: { id: string; kind: string; domain: string }[];
  /** The publishing API of this Worker (reads D1, writes R2). */
  target(): PublishTarget;
  /** A full publish of every site, as `npm start` does it (the origin the cluster was started with). */
  publish(opts?: { force?: boolean; cards?: boolean }): Promise<PublishReport>;
  /** Logs in to the CMS API as a demo account (needs `accounts: true`): the session cookie and CSRF token. */
  login(username: string): Promise<{ cookie: string; csrf: string }>;
  /**
   * Switch a site's template the way a site admin does (PUT /api/cms/sites/:id/template as the demo platform
   * admin; needs `accounts: true`): the Worker renders the whole site again in it before it answers.
   */
  switchTemplate(siteId: string, templateId: string): Promise<void>;
  /** Stops the Worker but keeps the state (a caller then reads or changes the store in-process); stop() removes it. */
  stopServer(): void;
  stop(): void;
}

export interface LocalClusterOptions {
  /** These sites and their ancestors; every site of the registry when left out. */
  sites?: string[];
  publish?: boolean;
  /** Publish with share cards (the cards Worker must then run: `frozen: false`). */
  cards?: boolean;
  /** Where the published pages link to: the sites' `.localhost` addresses (default) or their public https origins. */
  origins?: 'localhost' | 'public';
  /** Add the demo accounts (README) so a caller can log in to the CMS. */
  accounts?: boolean;
  /** Load the pre-publish word lists (the CMS's checks). */
  checkTerms?: boolean;
  /** The Worker bundled once (default), or wrangler dev watching the sources with the cards Worker beside it. */
  frozen?: boolean;
  /** More Worker variables; SITE_ORIGIN_TEMPLATE is set to the cluster's origins unless given. */
  vars?: Record<string, string>;
  /** Runs with the seeded store before the Worker starts (read what a test needs). */
  prepare?: (env: PlatformEnv) => Promise<void>;
  log?: (line: string) => void;
}

export async function startLocalCluster(opts: LocalClusterOptions): Promise<LocalCluster> {
  const log = opts.log ?? (() => {});
  const state = mkdtempSync(join(tmpdir(), 'ywtc-local-'));
  let dev: ChildProcess | undefined;
  const stopServer = () => {
    if (dev) stopProcessGroup(dev);
    dev = undefined;
  };
  const stop = () => {
    stopServer();
    rmSync(state, { recursive: true, force: true });
  };
  try {
    log('migrating and seeding …');
    applyMigrations(state);
    const samples = new Map<string, { list: string; document: string }>();
    let sites: LocalCluster['sites'] = [];
    const platform = await openPlatform(state);
    try {
      await seed(platform.env.DB, { siteIds: opts.sites, now: new Date() });
      if (opts.accounts) await seedDemoAccounts(platform.env.DB);
      if (opts.checkTerms) await seedCheckTerms(platform.env.DB);
      sites = (
        await platform.env.DB.prepare("SELECT id, kind, json_extract(domains, '$[0]') AS domain FROM sites ORDER BY sort_order").all<
          LocalCluster['sites'][number]
        >()
      ).results;
      // A top-level column with documents, a policy column where the site has one (the 政务公开 table).
      const { results } = await platform.env.DB.prepare(
        "SELECT c.site_id, c.slug, MIN(p.document_id) AS document_id FROM columns c JOIN placements p ON p.column_id = c.id WHERE c.parent_id IS NULL GROUP BY c.site_id, c.slug ORDER BY c.site_id, c.kind = 'policy' DESC, c.sort_order",
      ).all<{ site_id: string; slug: string; document_id: string }>();
      for (const r of results) if (!samples.has(r.site_id)) samples.set(r.site_id, { list: `${r.slug}/`, document: `${r.slug}/${r.document_id}.html` });
      await opts.prepare?.(platform.env);
    } finally {
      await platform.dispose();
    }
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const token = newIngestToken();
    const originTemplate = opts.origins === 'public' ? 'https://{domain}' : `http://{domain}.localhost:${port}`;
    log('starting wrangler dev …');
    dev = startDevServer(port, 'pipe', state, token, { frozen: opts.frozen ?? true, vars: { SITE_ORIGIN_TEMPLATE: originTemplate, ...opts.vars } });
    await waitForHttp(`${origin}/healthz`, 120_000);
    const siteUrl = (domain: string, path = '/') => `http://${domain}.localhost:${port}${path}`;
    const target = () => workerTarget(origin, token);
    const publish = (p: { force?: boolean; cards?: boolean } = {}) =>
      publishSites(target(), {
        rendererHash: ensureRenderer().hash,
        originTemplate,
        cards: p.cards ?? opts.cards ?? false,
        ...(p.force ? { force: true } : {}),
      });
    if (opts.publish !== false) {
      log('rendering and publishing …');
      await publish();
    }
    const sessions = new Map<string, { cookie: string; csrf: string }>();
    const login = async (username: string) => {
      const known = sessions.get(username);
      if (known) return known;
      const account = DEMO_ACCOUNTS.find((a) => a.username === username);
      if (!account) throw new Error(`no demo account ${username}`);
      const res = await fetch(`${origin}/api/cms/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password: account.password }),
      });
      if (!res.ok) throw new Error(`CMS login ${username}: HTTP ${res.status} ${await res.text()}`);
      const session = { cookie: /^([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!, csrf: (await res.json<{ csrfToken: string }>()).csrfToken };
      sessions.set(username, session);
      return session;
    };
    return {
      port,
      origin,
      token,
      state,
      siteUrl,
      stop,
      stopServer,
      sites,
      target,
      publish,
      login,
      samplePages(siteId) {
        const s = samples.get(siteId);
        if (!s) throw new Error(`no column with documents on ${siteId}`);
        return s;
      },
      async switchTemplate(siteId, templateId) {
        const session = await login('admin');
        const res = await fetch(`${origin}/api/cms/sites/${siteId}/template`, {
          method: 'PUT',
          headers: { Cookie: session.cookie, 'X-CSRF-Token': session.csrf, 'Content-Type': 'application/json', Origin: origin },
          body: JSON.stringify({ templateId }),
        });
        if (!res.ok) throw new Error(`switching ${siteId} to ${templateId}: HTTP ${res.status} ${await res.text()}`);
      },
    };
  } catch (e) {
    stop();
    throw e;
  }
}

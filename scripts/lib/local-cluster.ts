/**
 * A small local cluster for tests and benchmarks that look at pages in a browser: a fresh D1/R2 state, the
 * given sites seeded (with their ancestors), the Worker served by `wrangler dev` (frozen, so an edit elsewhere
 * in the checkout does not restart it mid-run), and — unless `publish: false` — every seeded site rendered and
 * published through the publishing API as `npm start` does (without share cards: they are images, and slow).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { applyMigrations, freePort, newIngestToken, openPlatform, startDevServer, stopProcessGroup, waitForHttp } from './platform.ts';
import { seed } from '../seed/index.ts';
import { DEMO_ACCOUNTS, seedDemoAccounts } from '../seed/accounts.ts';
import { ensureRenderer, publishSites, workerTarget } from '../../sites/publisher/index.ts';
import { FAMILIES, TEMPLATES, type Template } from '@ywtc/themes';

/** One template of every layout family (a different header and home arrangement for each): what the e2e checks and benches sample. */
export const oneTemplatePerFamily = (): Template[] =>
  (Object.keys(FAMILIES) as (keyof typeof FAMILIES)[]).map((f, i) => TEMPLATES.filter((t) => t.family === f)[i * 7 % 30]!);

export interface LocalCluster {
  port: number;
  /** http://127.0.0.1:<port> — the platform host: 模板库 previews, /_site/<domain>/, /api/cms. */
  origin: string;
  /** The public address of a site's page by its domain, e.g. http://www.nnxn.gov.cn.localhost:<port>/ (Host routing). */
  siteUrl(domain: string, path?: string): string;
  /** First page of a column of the site with at least one document, and that document (paths relative to the site root). */
  samplePages(siteId: string): { list: string; document: string };
  sites: { id: string; kind: string; domain: string }[];
  /**
   * Switch a site's template the way a site admin does (PUT /api/cms/sites/:id/template as the demo platform
   * admin; needs `accounts: true`): the Worker renders the whole site again in it before it answers.
   */
  switchTemplate(siteId: string, templateId: string): Promise<void>;
  stop(): void;
}

export interface LocalClusterOptions {
  sites: string[];
  publish?: boolean;
  /** Add the demo accounts (README) so a caller can log in to the CMS API, e.g. to switch a site's template. */
  accounts?: boolean;
  log?: (line: string) => void;
}

export async function startLocalCluster(opts: LocalClusterOptions): Promise<LocalCluster> {
  const log = opts.log ?? (() => {});
  const state = mkdtempSync(join(tmpdir(), 'ywtc-local-'));
  let dev: ChildProcess | undefined;
  const stop = () => { if (dev) stopProcessGroup(dev); rmSync(state, { recursive: true, force: true }); };
  try {
    log('migrating and seeding …');
    applyMigrations(state);
    const samples = new Map<string, { list: string; document: string }>();
    let sites: LocalCluster['sites'] = [];
    const platform = await openPlatform(state);
    try {
      await seed(platform.env.DB, { siteIds: opts.sites, now: new Date() });
      if (opts.accounts) await seedDemoAccounts(platform.env.DB);
      sites = (await platform.env.DB.prepare("SELECT id, kind, json_extract(domains, '$[0]') AS domain FROM sites ORDER BY sort_order").all<LocalCluster['sites'][number]>()).results;
      // A top-level column with documents, a policy column where the site has one (the 政务公开 table).
      const { results } = await platform.env.DB.prepare(
        "SELECT c.site_id, c.slug, MIN(p.document_id) AS document_id FROM columns c JOIN placements p ON p.column_id = c.id WHERE c.parent_id IS NULL GROUP BY c.site_id, c.slug ORDER BY c.site_id, c.kind = 'policy' DESC, c.sort_order",
      ).all<{ site_id: string; slug: string; document_id: string }>();
      for (const r of results) if (!samples.has(r.site_id)) samples.set(r.site_id, { list: `${r.slug}/`, document: `${r.slug}/${r.document_id}.html` });
    } finally {
      await platform.dispose();
    }
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const token = newIngestToken();
    log('starting wrangler dev …');
    dev = startDevServer(port, 'pipe', state, token, { frozen: true });
    await waitForHttp(`${origin}/healthz`, 120_000);
    const siteUrl = (domain: string, path = '/') => `http://${domain}.localhost:${port}${path}`;
    if (opts.publish !== false) {
      log('rendering and publishing …');
      const { hash } = ensureRenderer();
      await publishSites(workerTarget(origin, token), { rendererHash: hash, originTemplate: `http://{domain}.localhost:${port}`, cards: false });
    }
    let session: { cookie: string; csrf: string } | undefined;
    return {
      port, origin, siteUrl, stop, sites,
      samplePages(siteId) {
        const s = samples.get(siteId);
        if (!s) throw new Error(`no column with documents on ${siteId}`);
        return s;
      },
      async switchTemplate(siteId, templateId) {
        if (!session) {
          const admin = DEMO_ACCOUNTS.find((a) => a.username === 'admin')!;
          const res = await fetch(`${origin}/api/cms/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: admin.username, password: admin.password }) });
          if (!res.ok) throw new Error(`CMS login: HTTP ${res.status} ${await res.text()}`);
          session = { cookie: /^([^;]+)/.exec(res.headers.get('set-cookie') ?? '')![1]!, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
        }
        const res = await fetch(`${origin}/api/cms/sites/${siteId}/template`, {
          method: 'PUT', headers: { Cookie: session.cookie, 'X-CSRF-Token': session.csrf, 'Content-Type': 'application/json', Origin: origin }, body: JSON.stringify({ templateId }),
        });
        if (!res.ok) throw new Error(`switching ${siteId} to ${templateId}: HTTP ${res.status} ${await res.text()}`);
      },
    };
  } catch (e) {
    stop();
    throw e;
  }
}

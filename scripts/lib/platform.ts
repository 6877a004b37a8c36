/**
 * The local platform: wrangler's D1 and R2 simulators, persisted under one state folder that `wrangler dev`,
 * the seed and the publisher all share (YWTC_STATE, default .wrangler/state).
 */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { getPlatformProxy, unstable_readConfig } from 'wrangler';
import { ensureRenderer } from '../../sites/publisher/renderer.ts';
import { ensureAdminClient } from './admin-client.ts';
import { ensureOpenAssets } from './open-assets.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const STATE_DIR = resolve(ROOT, process.env.YWTC_STATE ?? '.wrangler/state');
export const CONFIG = join(ROOT, 'wrangler.toml');
export const CARDS_CONFIG = join(ROOT, 'wrangler.cards.toml');
export const DB_NAME = 'ywtc-content';

export interface PlatformEnv {
  DB: D1Database;
  PAGES: R2Bucket;
}

/**
 * The scripts need only D1 and R2: the proxy gets a configuration with just those (from wrangler.toml), so it
 * does not start the Worker's Durable Objects, rate limits and assets it has no use for (and warn about them).
 */
function storeOnlyConfig(environment?: string): string {
  // Only the fields copied below; typed here because wrangler's Config type does not resolve for the linter.
  const c = unstable_readConfig({ config: CONFIG, ...(environment ? { env: environment } : {}) }) as unknown as {
    name: string;
    compatibility_date: string;
    compatibility_flags: string[];
    d1_databases: Record<string, unknown>[];
    r2_buckets: Record<string, unknown>[];
  };
  const file = join(ROOT, '.wrangler', `store-proxy${environment ? `.${environment}` : ''}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify({
      name: c.name,
      compatibility_date: c.compatibility_date,
      compatibility_flags: c.compatibility_flags,
      d1_databases: c.d1_databases.map((d) => ({ ...d, migrations_dir: undefined })),
      r2_buckets: c.r2_buckets,
    }),
  );
  return file;
}

/** Local simulators by default; `remote` binds the production D1 and R2 of [env.production] instead. */
export async function openPlatform(stateDir = STATE_DIR, remote = false) {
  if (remote) return getPlatformProxy<PlatformEnv>({ configPath: storeOnlyConfig('production'), remoteBindings: true });
  return getPlatformProxy<PlatformEnv>({ configPath: storeOnlyConfig(), persist: { path: join(stateDir, 'v3') }, remoteBindings: false });
}

const WRANGLER_BIN = join(dirname(createRequire(import.meta.url).resolve('wrangler/package.json')), 'bin/wrangler.js');
/** Quiet, offline wrangler: no metrics, no Cloudflare fetches, Node 22 from this process. */
export const wranglerEnv = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' };

export function wranglerSync(args: string[], opts: SpawnSyncOptions = {}) {
  if (args[0] === 'deploy' || args[0] === 'check') ensureWorkerBuilds();
  const r = spawnSync(process.execPath, [WRANGLER_BIN, ...args], { cwd: ROOT, env: wranglerEnv, encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`wrangler ${args.join(' ')} failed:\n${String(r.stdout ?? '')}${String(r.stderr ?? '')}`);
  return r;
}

export function applyMigrations(stateDir = STATE_DIR) {
  return wranglerSync(['d1', 'migrations', 'apply', DB_NAME, '--local', '--persist-to', stateDir]);
}

/**
 * `wrangler dev`, by default in its own process group (detached), so a test or benchmark can stop it with
 * workerd in one signal to the group. `npm start` keeps it in its own group instead (`detached: false`):
 * whoever stops `npm start` — Ctrl+C, or a signal to its whole process group — stops the Worker with it.
 * `ingestToken` switches on the publishing API for this run only.
 */
export function startDevServer(
  port: number,
  stdio: 'inherit' | 'pipe' = 'inherit',
  stateDir = STATE_DIR,
  ingestToken?: string,
  opts: { frozen?: boolean; vars?: Record<string, string>; detached?: boolean } = {},
): ChildProcess {
  ensureWorkerBuilds();
  const vars = [
    ...(ingestToken ? ['--var', `INGEST_TOKEN:${ingestToken}`] : []),
    '--var',
    `PERSONAL_SECRET:${personalSecret(stateDir)}`,
    ...Object.entries(opts.vars ?? {}).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
  ];
  // Frozen: the page Worker alone, from a bundle built once (share cards are then left to a full publish).
  // Otherwise both Workers in one process: the page Worker and the cards Worker behind its CARDS binding.
  const script = opts.frozen ? [frozenBundle(stateDir), '--no-bundle', '--config', CONFIG] : ['-c', CONFIG, '-c', CARDS_CONFIG];
  return spawn(
    process.execPath,
    [WRANGLER_BIN, 'dev', ...script, '--ip', '127.0.0.1', '--port', String(port), '--persist-to', stateDir, '--show-interactive-dev-session=false', ...vars],
    {
      cwd: ROOT,
      env: wranglerEnv,
      stdio,
      detached: opts.detached ?? true,
    },
  );
}

/**
 * The key that signs citizens' settings cookies (千人千网) on this machine: made once per state directory and
 * kept there, so settings survive a restart of `npm start` (in production it is a wrangler secret).
 */
export function personalSecret(stateDir = STATE_DIR): string {
  const file = join(stateDir, 'personal-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(stateDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * The Worker bundled once into `<stateDir>/bundle`: wrangler dev restarts the Worker whenever a source file
 * changes, which aborts a long benchmark if anyone edits the checkout meanwhile; the bundle does not change.
 */
function frozenBundle(stateDir: string): string {
  ensureWorkerBuilds();
  const out = join(stateDir, 'bundle');
  wranglerSync(['deploy', '--dry-run', '--outdir', out]);
  return join(out, 'index.js');
}

/** What the Worker bundles besides its sources: the site renderer (worker/src/render/) and the admin script. */
export function ensureWorkerBuilds(): void {
  ensureRenderer();
  ensureAdminClient();
  ensureOpenAssets();
}

/** A fresh random token for the publishing API of one local run. */
export const newIngestToken = () => randomBytes(32).toString('hex');

/** Stops a dev server started detached (its whole group) or not (wrangler stops workerd itself on SIGTERM). */
export function stopProcessGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/**
 * The processes holding the local store of `stateDir` — a wrangler dev started on it (its `--persist-to`) — as
 * pids, read from /proc (no pgrep needed). Zombies, already dead, are not counted.
 */
export function storeHolders(stateDir: string): string[] {
  const holders: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      const i = args.indexOf('--persist-to');
      if (i >= 0 && args[i + 1] === stateDir) holders.push(pid);
    } catch {
      /* gone meanwhile */
    }
  }
  return holders.sort();
}

/** The Worker variables a local run passes on from this environment: the search backend's, when configured. */
export const searchVarsFromEnv = (): Record<string, string> =>
  Object.fromEntries((['MEILISEARCH_HOST', 'MEILISEARCH_API_KEY', 'MEILISEARCH_INDEX'] as const).flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : [])));

export async function waitForHttp(url: string, timeoutMs: number, init?: RequestInit): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url, init);
      if (r.status < 500) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A free TCP port on the loopback interface, for a wrangler dev of a test or benchmark run. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

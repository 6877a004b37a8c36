/**
 * The production Workers as Cloudflare receives them: `wrangler deploy --dry-run --env production` builds each
 * bundle offline, and wrangler reports its upload size and gzip size — the size Cloudflare's limits apply to
 * (3 MiB gzip on the Workers Free plan, 10 MiB on Paid). Used by the test suite (tests/build) and
 * `npm run bench:worker`, which also profiles each Worker's start-up with `wrangler check startup`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CARDS_CONFIG, CONFIG, wranglerSync } from './platform.ts';

export const MiB = 1024 * 1024;
export interface WorkerSpec {
  name: string;
  config: string;
  limit: number;
  limitName: string;
}
/** The page Worker is held to the Free plan's limit (fast cold starts); the cards Worker to the Paid plan's. */
export const WORKERS: WorkerSpec[] = [
  { name: 'ywtc', config: CONFIG, limit: 3 * MiB, limitName: 'Workers Free 3 MiB' },
  { name: 'ywtc-cards', config: CARDS_CONFIG, limit: 10 * MiB, limitName: 'Workers Paid 10 MiB' },
];

export interface BuiltBundle {
  worker: WorkerSpec;
  dir: string;
  /** wrangler's own figures (KiB as it prints them, converted to bytes). */
  uploadBytes: number;
  gzipBytes: number;
  /** Each emitted module, gzip -9 on its own (source maps are not uploaded as code). */
  files: { name: string; bytes: number; gzipBytes: number }[];
  /** What wrangler printed (the bindings table among it). */
  log: string;
}

export function buildProductionBundle(worker: WorkerSpec, outdir = mkdtempSync(join(tmpdir(), `bundle-${worker.name}-`))): BuiltBundle {
  rmSync(outdir, { recursive: true, force: true });
  const r = wranglerSync(['deploy', '-c', worker.config, '--dry-run', '--env', 'production', '--outdir', outdir]);
  const log = `${String(r.stdout ?? '')}${String(r.stderr ?? '')}`;
  const m = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(log);
  if (!m) throw new Error(`no size in wrangler's output:\n${log}`);
  const files = readdirSync(outdir)
    .filter((f) => !f.endsWith('.map') && f !== 'README.md')
    .map((name) => {
      const bytes = readFileSync(join(outdir, name));
      return { name, bytes: statSync(join(outdir, name)).size, gzipBytes: gzipSync(bytes, { level: 9 }).byteLength };
    })
    .sort((a, b) => b.gzipBytes - a.gzipBytes);
  return { worker, dir: outdir, uploadBytes: Math.round(Number(m[1]) * 1024), gzipBytes: Math.round(Number(m[2]) * 1024), files, log };
}

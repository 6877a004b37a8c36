/**
 * The warm renderer: the Astro server build (renderer-adapter.ts) loaded once into this process and called
 * per page, ≈0.5 ms a page, instead of `astro build`'s per-run fixed cost and static pipeline.
 * The build is cached: it is redone only when the sources it is made from change (rendererHash).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { rendererFrom, type Renderer, type RenderFn } from './render-calls.ts';

export const SITES_DIR = join(import.meta.dirname, '..');
const ROOT = join(SITES_DIR, '..');
const DIST = join(SITES_DIR, 'dist');
const HASH_FILE = join(DIST, 'renderer-hash.txt');
const META_FILE = join(DIST, 'renderer-meta.mjs');
// Everything that decides what a page looks like or which pages exist — the publisher's routes included — so
// a change to any of it rebuilds and republishes.
const SOURCES = ['sites/src', 'sites/publisher', 'sites/astro.config.ts', 'sites/renderer-adapter.ts', 'themes/src', 'cms-schema/src', 'package-lock.json'];

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((f) => files(join(path, f)));
}

export function rendererSourceHash(): string {
  const h = createHash('sha256');
  for (const f of SOURCES.flatMap((s) => files(join(ROOT, s)))) h.update(relative(ROOT, f)).update('\0').update(readFileSync(f));
  return h.digest('hex').slice(0, 16);
}

/** Builds the renderer unless dist already holds a build of the current sources. Returns its hash and whether it built. */
export function ensureRenderer(log: (s: string) => void = () => {}): { hash: string; built: boolean; ms: number } {
  const hash = rendererSourceHash();
  if (existsSync(HASH_FILE) && readFileSync(HASH_FILE, 'utf8').trim() === hash && existsSync(join(DIST, 'server/entry.mjs')) && existsSync(META_FILE))
    return { hash, built: false, ms: 0 };
  log('构建渲染器（Astro 服务端构建）…');
  const t = Date.now();
  const astro = join(ROOT, 'node_modules/astro/bin/astro.mjs');
  const r = spawnSync(process.execPath, [astro, 'build', '--silent'], {
    cwd: SITES_DIR,
    encoding: 'utf8',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' },
  });
  if (r.status !== 0) throw new Error(`astro build failed:\n${r.stdout}\n${r.stderr}`);
  writeFileSync(HASH_FILE, hash + '\n');
  writeRendererMeta(hash);
  return { hash, built: true, ms: Date.now() - t };
}

/**
 * The Worker bundles this build too (worker/src/render/) and re-renders pages on publish; it needs to know
 * which sources the build came from (to tell whether a live site was built by the same renderer) and the
 * stylesheet its pages link to. Types: sites/renderer-meta.d.ts.
 */
function writeRendererMeta(hash: string): void {
  const assets = Object.fromEntries([...rendererAssets()].map(([path, bytes]) => [path, btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''))]));
  writeFileSync(META_FILE, `export const rendererHash = ${JSON.stringify(hash)};\nexport const assets = ${JSON.stringify(assets)};\n`);
}

/** Static files the pages reference (the stylesheet), as site paths → bytes. */
export function rendererAssets(): Map<string, Uint8Array> {
  const dir = join(DIST, 'client');
  return new Map(files(dir).map((f) => ['/' + relative(dir, f).split('\\').join('/'), readFileSync(f)]));
}

export type { Renderer, RenderFn } from './render-calls.ts';

export async function loadRenderer(): Promise<Renderer> {
  const hash = existsSync(HASH_FILE) ? readFileSync(HASH_FILE, 'utf8').trim() : Date.now().toString();
  // The query string makes a rebuilt renderer load fresh in a long-lived process.
  const mod = (await import(pathToFileURL(join(DIST, 'server/entry.mjs')).href + `?v=${hash}`)) as { render: RenderFn };
  return rendererFrom(mod.render);
}

/**
 * The interactive API docs' script (Scalar's API reference, @scalar/api-reference's self-contained browser
 * build) copied into the Worker's static assets (wrangler.toml [assets], worker/dist/assets), which the open
 * capability serves at /open/docs/api/scalar.js — from this platform, never a CDN. Copied again when the
 * installed version changes.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
export const OPEN_ASSETS_DIR = join(ROOT, 'worker/dist/assets');
export const SCALAR_OUT = join(OPEN_ASSETS_DIR, 'open/docs/api/scalar.js');

export function ensureOpenAssets(): { copied: boolean } {
  // The package exports no package.json: find its folder from the root's node_modules (npm workspaces hoist it there).
  const pkgJson = join(ROOT, 'node_modules/@scalar/api-reference/package.json');
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  const stamp = `${SCALAR_OUT}.version`;
  if (existsSync(SCALAR_OUT) && existsSync(stamp) && readFileSync(stamp, 'utf8') === version) return { copied: false };
  mkdirSync(dirname(SCALAR_OUT), { recursive: true });
  copyFileSync(join(dirname(pkgJson), 'dist/browser/standalone.js'), SCALAR_OUT);
  writeFileSync(stamp, version);
  return { copied: true };
}

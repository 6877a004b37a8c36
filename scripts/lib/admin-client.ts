/**
 * The admin pages' script (worker/src/admin/client/*.ts, browser TypeScript, type-checked by its own
 * tsconfig) bundled by esbuild into worker/dist/admin.client.js, which the Worker imports as text (a `Text`
 * rule in wrangler.toml) and serves as /admin/assets/admin.js. Rebuilt when a source changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'worker/src/admin/client');
export const ADMIN_CLIENT_OUT = join(ROOT, 'worker/dist/admin.client.js');

export function ensureAdminClient(): { built: boolean } {
  const h = createHash('sha256');
  for (const f of readdirSync(SRC).sort()) if (f.endsWith('.ts')) h.update(f).update(readFileSync(join(SRC, f)));
  const hash = h.digest('hex').slice(0, 16);
  const stamp = `${ADMIN_CLIENT_OUT}.hash`;
  if (existsSync(ADMIN_CLIENT_OUT) && existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) return { built: false };
  mkdirSync(join(ROOT, 'worker/dist'), { recursive: true });
  buildSync({
    entryPoints: [join(SRC, 'main.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2019',
    minify: true,
    charset: 'utf8',
    legalComments: 'none',
    outfile: ADMIN_CLIENT_OUT,
    logLevel: 'error',
  });
  writeFileSync(stamp, hash);
  return { built: true };
}

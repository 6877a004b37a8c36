/**
 * The production Workers bundle offline and fit Cloudflare's limits: the Worker that serves every page within
 * the Free plan's 3 MiB gzip (fast cold starts, room for the capabilities to come), the cards Worker within the
 * Paid plan's 10 MiB. The figures are in docs/benchmarks.md (npm run bench:worker).
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { WORKERS, buildProductionBundle, type BuiltBundle } from '../../scripts/lib/worker-bundles.ts';

const built: BuiltBundle[] = [];
afterAll(() => {
  for (const b of built) rmSync(b.dir, { recursive: true, force: true });
});

describe('production Worker bundles (wrangler deploy --dry-run --env production)', () => {
  it('the page Worker bundles within 3 MiB gzip, carries no card font or wasm, and binds D1, R2, the cards Worker and the platform hosts', () => {
    const b = buildProductionBundle(WORKERS[0]!);
    built.push(b);
    expect(b.gzipBytes).toBeGreaterThan(0);
    expect(b.gzipBytes).toBeLessThanOrEqual(WORKERS[0]!.limit);
    expect(b.files.map((f) => f.name).filter((n) => /\.(wasm|woff)$/.test(n))).toEqual([]);
    for (const binding of ['env.DB (ywtc-content)', 'env.PAGES (ywtc-pages)', 'env.CARDS (ywtc-cards)', 'env.PLATFORM_HOSTS', 'env.CLIENT_ADDRESS_HEADER'])
      expect(b.log).toContain(binding);
    expect(b.log).not.toMatch(/WARNING/);
  });

  it('the cards Worker bundles within 10 MiB gzip with its font and wasm modules', () => {
    const b = buildProductionBundle(WORKERS[1]!);
    built.push(b);
    expect(b.gzipBytes).toBeLessThanOrEqual(WORKERS[1]!.limit);
    const names = b.files.map((f) => f.name).join(' ');
    for (const part of ['IBMPlexSansSC-Bold.woff', 'layout.wasm', 'index_bg.wasm', 'hb-subset.wasm']) expect(names).toContain(part);
    expect(b.log).not.toMatch(/WARNING/);
  });
});

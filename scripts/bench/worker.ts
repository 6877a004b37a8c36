/**
 * `npm run bench:worker`: the production Workers' size against Cloudflare's limits and their start-up time.
 * Size: `wrangler deploy --dry-run --env production` (scripts/lib/worker-bundles.ts), wrangler's own upload and
 * gzip figures plus each module gzip -9 on its own. Start-up: `wrangler check startup` loads each bundle in a
 * local workerd with the inspector attached and profiles the module's evaluation; the CPU time it was busy
 * (samples minus idle) is the figure, the median of RUNS runs. Ends with one RESULT line per Worker.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKERS, buildProductionBundle, MiB } from '../lib/worker-bundles.ts';
import { wranglerSync } from '../lib/platform.ts';

const RUNS = Number(process.env.RUNS ?? 5);
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Busy time of a startup profile: every sample's time delta but those of the idle node. */
function activeMs(profilePath: string): number {
  const p = JSON.parse(readFileSync(profilePath, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string } }[];
    samples: number[];
    timeDeltas: number[];
  };
  const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  let us = 0;
  p.samples.forEach((s, i) => {
    if (!idle.has(s)) us += p.timeDeltas[i] ?? 0;
  });
  return us / 1000;
}

const work = mkdtempSync(join(tmpdir(), 'bench-worker-'));
try {
  for (const w of WORKERS) {
    const b = buildProductionBundle(w, join(work, w.name));
    console.log(
      `\n${w.name} (${w.config.split('/').pop() ?? w.config}): upload ${kib(b.uploadBytes)}, gzip ${kib(b.gzipBytes)} = ${(b.gzipBytes / MiB).toFixed(2)} MiB of the ${w.limitName} limit (${((b.gzipBytes / w.limit) * 100).toFixed(0)} %)`,
    );
    for (const f of b.files.slice(0, 6))
      console.log(`  ${f.name.replace(/^[0-9a-f]{40}-/, '').padEnd(34)} ${kib(f.bytes).padStart(12)}  gzip -9 ${kib(f.gzipBytes).padStart(11)}`);
    const bundle = join(work, `${w.name}.bundle`);
    wranglerSync(['deploy', '-c', w.config, '--dry-run', '--env', 'production', '--outfile', bundle]);
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const profile = join(work, `${w.name}-${i}.cpuprofile`);
      wranglerSync(['check', 'startup', '--worker', bundle, '--outfile', profile]);
      runs.push(activeMs(profile));
    }
    console.log(`  start-up (wrangler check startup, busy CPU time): ${runs.map((r) => r.toFixed(0)).join(', ')} ms → median ${median(runs).toFixed(0)} ms`);
    console.log(`RESULT worker=${w.name} gzip_kib=${(b.gzipBytes / 1024).toFixed(1)} limit_kib=${w.limit / 1024} startup_ms=${median(runs).toFixed(0)}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

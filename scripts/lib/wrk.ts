/**
 * One wrk run and what it measured: requests/s and latency percentiles. A benchmark of answers that were
 * errors measures nothing, so any non-2xx answer or socket error fails the run.
 */
import { spawnSync } from 'node:child_process';

export interface WrkResult {
  rps: number;
  p50: number;
  /** Only when the script prints `P95_US <µs>` in its done() (wrk's own --latency stops at 90 and 99). */
  p95: number;
  p99: number;
  requests: number;
}

export function runWrk(label: string, url: string, opts: { connections: number; seconds: number; script?: string; headers?: string[] }): WrkResult {
  const args = [
    '-t2',
    `-c${opts.connections}`,
    `-d${opts.seconds}s`,
    '--latency',
    ...(opts.script ? ['-s', opts.script] : []),
    ...(opts.headers ?? []).flatMap((h) => ['-H', h]),
    url,
  ];
  const r = spawnSync('wrk', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
  const out = r.stdout;
  console.log(`--- ${label}\n${out.trim()}`);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const socketErrors =
    /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/
      .exec(out)
      ?.slice(1)
      .reduce((n, x) => n + Number(x), 0) ?? 0;
  if (non2xx > 0 || socketErrors > 0)
    throw new Error(`${label}: ${non2xx} non-2xx answers and ${socketErrors} socket errors — the figures would not be of answers`);
  const toMs = (v: string, unit: string) => Number(v) * (unit === 's' ? 1000 : unit === 'us' ? 0.001 : 1);
  const pct = (p: string) => {
    const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    return m ? toMs(m[1]!, m[2]!) : NaN;
  };
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    p50: pct('50'),
    p95: Number(/P95_US (\d+)/.exec(out)?.[1] ?? NaN) / 1000,
    p99: pct('99'),
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
  };
}

/**
 * Peak resident memory (VmHWM) of this process and of every process below it (wrangler dev, workerd holding D1
 * and R2): what a benchmark's memory figure must cover. The sum of each process's own peak is an upper bound,
 * since the peaks need not coincide.
 */
import { readdirSync, readFileSync } from 'node:fs';

export function peakRssMb(): { self: number; children: number } {
  const hwm = (pid: number | string) => {
    try {
      return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    } catch {
      return 0;
    }
  };
  const kids: number[] = [];
  const walk = (pid: number) => {
    for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
      try {
        if (Number(readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === pid) {
          kids.push(Number(d));
          walk(Number(d));
        }
      } catch {
        /* gone */
      }
    }
  };
  walk(process.pid);
  return { self: hwm('self'), children: kids.reduce((n, k) => n + hwm(k), 0) };
}

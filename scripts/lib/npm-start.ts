/**
 * `npm start` as a real child process, for the tests that kill it: its own process group (so the test can
 * kill npm start with its Worker in one signal, as a terminal or a supervisor would), its own state folder and
 * port, and its output kept for diagnosis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './platform.ts';

export interface NpmStart {
  child: ChildProcess;
  output(): string;
  ready: Promise<void>;
  exited: Promise<number | null>;
}

export function runNpmStart(opts: { port: number; state: string; args?: string[] }): NpmStart {
  const child = spawn(process.execPath, [join(ROOT, 'scripts/start.ts'), ...(opts.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(opts.port), YWTC_STATE: opts.state, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.includes('集群已启动')) {
        clearInterval(timer);
        resolve();
      }
    }, 100);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`npm start exited (${code ?? 'signal'}) before it was up:\n${out.slice(-3000)}`));
    });
  });
  ready.catch(() => {});
  return { child, output: () => out, ready, exited };
}

/** SIGKILL to npm start's whole process group: npm start, wrangler and workerd, with no chance to clean up. */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

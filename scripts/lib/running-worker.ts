/**
 * The Worker `npm start` runs on a state folder, for the other commands on that folder (`npm run import`): one
 * Worker per local store, not a second workerd on the same SQLite files. While it serves, `npm start` keeps its
 * address and publishing token in <state>/worker.json (readable by this user only, like personal-secret); a
 * command finds it there and checks it still answers with that token — a file left by a killed `npm start` is
 * just stale, and ignored.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const FILE = 'worker.json';
const RunningSchema = z.object({ origin: z.url(), token: z.string().min(32), pid: z.number().int() });
export type RunningWorker = z.infer<typeof RunningSchema>;

/** Written once the Worker answers; the returned function takes it back (on stop). */
export function announceWorker(stateDir: string, origin: string, token: string): () => void {
  const file = join(stateDir, FILE);
  writeFileSync(file, JSON.stringify({ origin, token, pid: process.pid }), { mode: 0o600 });
  return () => {
    // Only our own: a later `npm start` on the same folder may have written its own since.
    try {
      const now = RunningSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (now.success && now.data.pid === process.pid) rmSync(file, { force: true });
    } catch {
      /* already gone */
    }
  };
}

/** The running Worker of this state folder, if there is one that answers its token; null otherwise. */
export async function runningWorker(stateDir: string, timeoutMs = 2000): Promise<RunningWorker | null> {
  const file = join(stateDir, FILE);
  if (!existsSync(file)) return null;
  let parsed;
  try {
    parsed = RunningSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
  if (!parsed.success) return null;
  try {
    const res = await fetch(`${parsed.data.origin}/_ingest/revision`, {
      headers: { Authorization: `Bearer ${parsed.data.token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    return res.ok ? parsed.data : null;
  } catch {
    return null;
  }
}

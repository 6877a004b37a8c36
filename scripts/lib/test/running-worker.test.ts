import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceWorker, runningWorker } from '../running-worker.ts';

const TOKEN = 'k'.repeat(64);
const state = mkdtempSync(join(tmpdir(), 'ywtc-running-'));
let server: Server;
let origin = '';

beforeAll(async () => {
  // A stand-in for the Worker's publishing API: /_ingest/revision answers the right bearer token only.
  server = createServer((req, res) => {
    const ok = req.url === '/_ingest/revision' && req.headers.authorization === `Bearer ${TOKEN}`;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(ok ? '{"revision":"x"}' : '{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => {
  server.close();
  rmSync(state, { recursive: true, force: true });
});

describe("the running npm start's Worker, as other commands find it", () => {
  it('is found while it answers its token, readable by this user only, and gone once taken back', async () => {
    expect(await runningWorker(state)).toBeNull();
    const takeBack = announceWorker(state, origin, TOKEN);
    expect(statSync(join(state, 'worker.json')).mode & 0o077).toBe(0);
    expect(await runningWorker(state)).toMatchObject({ origin, token: TOKEN });
    takeBack();
    expect(existsSync(join(state, 'worker.json'))).toBe(false);
    expect(await runningWorker(state)).toBeNull();
  });

  it('ignores a file left by a killed npm start, one with another token, and one that is not its format', async () => {
    writeFileSync(join(state, 'worker.json'), JSON.stringify({ origin: 'http://127.0.0.1:9', token: TOKEN, pid: 1 }));
    expect(await runningWorker(state, 500)).toBeNull();
    writeFileSync(join(state, 'worker.json'), JSON.stringify({ origin, token: 'x'.repeat(64), pid: 1 }));
    expect(await runningWorker(state)).toBeNull();
    writeFileSync(join(state, 'worker.json'), '{"origin": 42');
    expect(await runningWorker(state)).toBeNull();
  });

  it('takes back only its own file: a later npm start on the same folder keeps its announcement', async () => {
    const takeBack = announceWorker(state, origin, TOKEN);
    writeFileSync(join(state, 'worker.json'), JSON.stringify({ origin, token: TOKEN, pid: process.pid + 1 }));
    takeBack();
    expect(await runningWorker(state)).toMatchObject({ pid: process.pid + 1 });
  });
});

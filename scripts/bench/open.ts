/**
 * `npm run bench:open [-- --seconds 15] [-- --connections 8]`: the open-data interfaces under load, on the
 * whole registry seeded and published into a fresh local store and served by `wrangler dev`. In one run, wrk
 * against (1) a typical interface with valid keys — 南宁市及所辖县（市、区）政策文件, 20 records a page, each
 * request with one of 50 units' keys in turn, as many consumers would call it — (2) a static site page and
 * (3) /healthz. Any non-2xx answer fails the run. Then a quota of n calls a day is hit by 32 concurrent
 * connections, which must let exactly n through.
 * Last lines: RESULT open_rps=<x> static_rps=<y> hello_rps=<z> ratio=<x/z> p99_ms=<m>
 *             RESULT quota=<n> allowed=<a> refused=<r>
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { usccCheckChar } from '@ywtc/cms-schema';
import { ensureDebianPackage } from '../lib/browser.ts';
import { startLocalCluster } from '../lib/local-cluster.ts';
import { runWrk } from '../lib/wrk.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg('seconds', 15);
const CONNECTIONS = arg('connections', 8);
const UNITS = 50;
const QUOTA = 500;
const TYPICAL = '南宁市人民政府及所辖县（市、区）政策文件';
ensureDebianPackage('/usr/bin/wrk', 'wrk');

const keyOf = (i: number) => `ywtc_${createHash('sha256').update(`bench-key-${i}`).digest('base64url').slice(0, 43)}`;
const hash = (k: string) => createHash('sha256').update(k).digest('hex');
const uscc = (i: number) => {
  const first = `914501007${String(10_000_000 + i).slice(-8)}`;
  return first + usccCheckChar(first);
};

console.log('seeding the whole registry, publishing, starting wrangler dev …');
const t0 = Date.now();
const cluster = await startLocalCluster({
  log: (l) => console.log(`  ${l}`),
  prepare: async ({ DB }) => {
    const code = (await DB.prepare('SELECT code FROM open_interfaces WHERE name = ?').bind(TYPICAL).first<{ code: string }>())!.code;
    const templates = (await DB.prepare("SELECT code FROM open_interfaces WHERE dataset = 'templates'").first<{ code: string }>())!.code;
    const now = new Date().toISOString();
    const until = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const statements: D1PreparedStatement[] = [];
    // 50 units, each with a key granted the typical interface; the last also the quota test's interface.
    for (let i = 0; i <= UNITS; i++) {
      const unit = `u-bench-${i}`;
      statements.push(
        DB.prepare(
          "INSERT INTO open_units (id, name, uscc, contact_name, contact_phone, contact_email, purpose, status, suspended_reason, created_at) VALUES (?, ?, ?, '压测', '13800000000', 'bench@example.cn', '性能测试用的数据使用单位。', 'active', NULL, ?)",
        ).bind(unit, `压测单位 ${i}`, uscc(i), now),
        DB.prepare('INSERT INTO open_keys (id, unit_id, key_hash, prefix, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, NULL)').bind(
          `k-bench-${i}`,
          unit,
          hash(keyOf(i)),
          keyOf(i).slice(0, 12),
          now,
          until,
        ),
        DB.prepare(
          "INSERT INTO open_applications (id, unit_id, code, purpose, daily_quota, ends_on, status, reason, decided_by, decided_at, created_at) VALUES (?, ?, ?, '性能测试。性能测试。', ?, '2030-12-31', 'approved', NULL, 'bench', ?, ?)",
        ).bind(`a-bench-${i}`, unit, i === UNITS ? templates : code, i === UNITS ? QUOTA : 100_000, now, now),
      );
    }
    await DB.batch(statements);
  },
});
try {
  console.log(`cluster ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const { data } = await (await fetch(`${cluster.origin}/open/v1/interfaces`)).json<{ data: { code: string; name: string; dataset: string }[] }>();
  const typical = data.find((d) => d.name === TYPICAL)!;
  const quotaCode = data.find((d) => d.dataset === 'templates')!.code;
  const path = `/open/v1/data/${typical.code}?limit=20`;
  // Every key answers before anything is measured (and warms the isolate).
  for (let i = 0; i < UNITS; i++) {
    const res = await fetch(cluster.origin + path, { headers: { 'X-Api-Key': keyOf(i) } });
    if (!res.ok) throw new Error(`key ${i}: HTTP ${res.status} ${await res.text()}`);
    const body = await res.json<{ data: unknown[] }>();
    if (body.data.length !== 20) throw new Error(`the typical interface answered ${body.data.length} records, not 20`);
  }
  const lua = join(cluster.state, 'keys.lua');
  writeFileSync(
    lua,
    `local keys = {${Array.from({ length: UNITS }, (_, i) => JSON.stringify(keyOf(i))).join(',')}}\nlocal i = 0\nrequest = function()\n  i = i % #keys + 1\n  wrk.headers["X-Api-Key"] = keys[i]\n  return wrk.format("GET", ${JSON.stringify(path)})\nend\n`,
  );
  const site = cluster.sites.find((s) => s.id === 'nnxn')!;
  const staticPage = `/${cluster.samplePages('nnxn').document}`;
  // By Host header, as wrk will ask (fetch may not set Host).
  const pageStatus = await new Promise<number>((resolve, reject) =>
    request({ host: '127.0.0.1', port: cluster.port, path: staticPage, headers: { host: site.domain } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end(),
  );
  if (pageStatus !== 200) throw new Error(`${staticPage} on ${site.domain}: HTTP ${pageStatus}`);

  const open = runWrk(`open data: ${typical.code} ${TYPICAL}, limit=20, ${UNITS} keys`, cluster.origin, {
    connections: CONNECTIONS,
    seconds: SECONDS,
    script: lua,
  });
  const stat = runWrk(`static page: ${site.domain}${staticPage}`, cluster.origin + staticPage, {
    connections: CONNECTIONS,
    seconds: SECONDS,
    headers: [`Host: ${site.domain}`],
  });
  const hello = runWrk('/healthz', `${cluster.origin}/healthz`, { connections: CONNECTIONS, seconds: SECONDS });

  // The quota: 32 connections at once against a quota of QUOTA, 3 × QUOTA calls in all (each on its own
  // connection, so no reused socket closed by the server can lose an answer).
  const key = keyOf(UNITS);
  const statuses = new Map<number, number>();
  let next = 0;
  const total = QUOTA * 3;
  const one = () =>
    new Promise<number>((resolve, reject) =>
      request({ host: '127.0.0.1', port: cluster.port, path: `/open/v1/data/${quotaCode}?limit=1`, headers: { 'X-Api-Key': key }, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
        .on('error', reject)
        .end(),
    );
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < total) {
        next++;
        const status = await one();
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const allowed = statuses.get(200) ?? 0;
  const refused = statuses.get(429) ?? 0;
  if (allowed + refused !== total) throw new Error(`answers other than 200 and 429: ${JSON.stringify([...statuses])}`);

  console.log(
    `open ${open.rps.toFixed(0)} req/s (p50 ${open.p50.toFixed(1)} ms, p99 ${open.p99.toFixed(1)} ms); static ${stat.rps.toFixed(0)} req/s (p99 ${stat.p99.toFixed(1)} ms); /healthz ${hello.rps.toFixed(0)} req/s (p99 ${hello.p99.toFixed(1)} ms); ${CONNECTIONS} connections, ${SECONDS} s each`,
  );
  console.log(
    `RESULT open_rps=${open.rps.toFixed(0)} static_rps=${stat.rps.toFixed(0)} hello_rps=${hello.rps.toFixed(0)} ratio=${(open.rps / hello.rps).toFixed(2)} p99_ms=${open.p99.toFixed(1)}`,
  );
  console.log(`RESULT quota=${QUOTA} allowed=${allowed} refused=${refused}`);
  if (allowed !== QUOTA) process.exitCode = 1;
} finally {
  cluster.stop();
}

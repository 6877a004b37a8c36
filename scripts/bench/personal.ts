/**
 * `npm run bench:personal [-- --seconds 15] [-- --connections 8]`: what 千人千网 costs at serve time, on the
 * whole registry seeded and published into a fresh local store and served by `wrangler dev`. In one run, wrk
 * against (1) a county portal's home page without a cookie — the stored page with its 热点 list, (2) the same
 * page with settings cookies — 20 citizens' profiles in turn, each made through the real 定制我的网站 form
 * (different interests, services and home counties), so every request verifies a signature, ranks the cluster's
 * shared content and rewrites the page — and (3) /healthz. Any non-2xx answer fails the run, and the personal
 * run checks first that every profile's page carries 为您推荐.
 * Last line: RESULT static_rps=<a> personal_rps=<b> hello_rps=<c> personal_ratio=<b/a> p95_ms=<m>
 */
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { INTEREST_CODES, SCENE_CODES } from '@ywtc/cms-schema';
import { ensureDebianPackage } from '../lib/browser.ts';
import { startLocalCluster } from '../lib/local-cluster.ts';
import { runWrk } from '../lib/wrk.ts';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg('seconds', 15);
const CONNECTIONS = arg('connections', 8);
const PROFILES = 20;
const SITE = 'nnxn';
ensureDebianPackage('/usr/bin/wrk', 'wrk');

/** One HTTP exchange by Host header, as wrk will send it. */
function exchange(port: number, host: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: { host, ...init.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

console.log('seeding the whole registry, publishing, starting wrangler dev …');
const t0 = Date.now();
const cluster = await startLocalCluster({ log: (l) => console.log(`  ${l}`) });
try {
  console.log(`cluster ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const site = cluster.sites.find((s) => s.id === SITE)!;
  const counties = cluster.sites.filter((s) => s.kind === 'county-portal').map((s) => s.id);
  // Profiles through the settings form, as citizens make them: 2–4 interests, 1–3 services, a county.
  const cookies: string[] = [];
  for (let i = 0; i < PROFILES; i++) {
    const fields = new URLSearchParams();
    for (let k = 0; k < 2 + (i % 3); k++) fields.append('interests', INTEREST_CODES[(i * 5 + k * 3) % INTEREST_CODES.length]!);
    for (let k = 0; k < 1 + (i % 3); k++) fields.append('services', SCENE_CODES[(i * 7 + k * 11) % SCENE_CODES.length]!);
    fields.set('region', i % 2 ? SITE : counties[(i * 13) % counties.length]!);
    const res = await exchange(cluster.port, site.domain, '/_me/', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
    });
    const set = String(res.headers['set-cookie'] ?? '');
    if (res.status !== 303 || !set.startsWith('ywtc_me=')) throw new Error(`settings form: HTTP ${res.status} ${res.body.slice(0, 300)}`);
    cookies.push(set.split(';')[0]!);
  }
  for (const cookie of cookies) {
    const res = await exchange(cluster.port, site.domain, '/', { headers: { cookie } });
    if (res.status !== 200 || !res.body.includes('为您推荐') || !res.body.includes('我的常用服务'))
      throw new Error(`personal home page: HTTP ${res.status}, blocks ${res.body.includes('为您推荐') ? '' : 'missing'}`);
  }
  const plain = await exchange(cluster.port, site.domain, '/');
  if (plain.status !== 200 || plain.body.includes('为您推荐') || !plain.body.includes('data-slot="hot-list"><li>'))
    throw new Error(`static home page: HTTP ${plain.status}, or it is not the static page with its 热点 list`);

  const p95Script = (name: string, headers: string[]) => {
    const file = join(cluster.state, name);
    writeFileSync(
      file,
      `local cookies = {${headers.map((h) => JSON.stringify(h)).join(',')}}\nlocal i = 0\nrequest = function()\n  i = i % math.max(#cookies, 1) + 1\n  if #cookies > 0 then wrk.headers["Cookie"] = cookies[i] end\n  return wrk.format("GET", "/")\nend\ndone = function(summary, latency, requests)\n  io.write(string.format("P95_US %d\\n", latency:percentile(95)))\nend\n`,
    );
    return file;
  };
  const home = `${cluster.origin}/`;
  const host = [`Host: ${site.domain}`, 'Accept-Encoding: gzip'];
  const stat = runWrk(`home page without a cookie: ${site.domain}/`, home, {
    connections: CONNECTIONS,
    seconds: SECONDS,
    headers: host,
    script: p95Script('static.lua', []),
  });
  const personal = runWrk(`home page with ${PROFILES} citizens' settings: ${site.domain}/`, home, {
    connections: CONNECTIONS,
    seconds: SECONDS,
    headers: host,
    script: p95Script('personal.lua', cookies),
  });
  const hello = runWrk('/healthz', `${cluster.origin}/healthz`, { connections: CONNECTIONS, seconds: SECONDS });
  console.log(
    `static ${stat.rps.toFixed(0)} req/s (p95 ${stat.p95.toFixed(1)} ms); personal ${personal.rps.toFixed(0)} req/s (p50 ${personal.p50.toFixed(1)} ms, p95 ${personal.p95.toFixed(1)} ms, p99 ${personal.p99.toFixed(1)} ms); /healthz ${hello.rps.toFixed(0)} req/s; ${CONNECTIONS} connections, ${SECONDS} s each`,
  );
  console.log(
    `RESULT static_rps=${stat.rps.toFixed(0)} personal_rps=${personal.rps.toFixed(0)} hello_rps=${hello.rps.toFixed(0)} personal_ratio=${(personal.rps / stat.rps).toFixed(2)} p95_ms=${personal.p95.toFixed(1)}`,
  );
} finally {
  cluster.stop();
}

/**
 * `npm run bench:search [-- --docs 100000] [-- --seconds 20]`: the real corpus scaled up to N documents (copies
 * of the seed's real documents and notices with new ids, bodies cut to 1,500 characters), indexed through the
 * Worker's publishing API into a fresh local D1, then queries replayed through the local Worker with wrk:
 * p50/p95 latency and queries/s. Last line: RESULT docs=<n> p50_ms=<x> p95_ms=<y> qps=<q>.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, applyMigrations, freePort, newIngestToken, startDevServer, stopProcessGroup, waitForHttp } from '../lib/platform.ts';
import { ensureDebianPackage } from '../lib/browser.ts';
import { loadContentSource } from '../seed/content.ts';
import { parseSynonyms, type SearchDocumentInput } from '@ywtc/search';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const N = arg('docs', 100_000);
const SECONDS = arg('seconds', 20);
ensureDebianPackage('/usr/bin/wrk', 'wrk');

const src = loadContentSource();
const base: SearchDocumentInput[] = [
  ...src.policies.map((p) => ({ id: p.id, title: p.title, body: p.body, docNumber: p.doc_number, issuer: p.issuer, date: p.publish_date ?? p.date })),
  ...src.qaDocs.map((d) => ({
    id: `ncp-${d.docid}`,
    title: (d.title_guess ?? d.text.slice(0, 40)).slice(0, 120),
    body: d.text,
    docNumber: null,
    issuer: null,
    date: '2020-03-01',
  })),
].map((d) => ({
  id: d.id,
  title: d.title,
  body: d.body.slice(0, 1500),
  docNumber: d.docNumber,
  keywords: [],
  summary: d.body.replace(/\s+/g, ' ').slice(0, 200),
  kind: 'policy' as const,
  issuer: d.issuer,
  validity: null,
  publishedAt: `${d.date}T00:00:00+08:00`,
  placements: [{ siteId: 'gxzf', path: `/zcwj/${d.id}.html` }],
}));
const docAt = (i: number): SearchDocumentInput => {
  const b = base[i % base.length]!;
  const copy = Math.floor(i / base.length);
  // Copies keep the real text; ids, sites and years vary so filters and sorting have something to do.
  return copy === 0
    ? b
    : {
        ...b,
        id: `${b.id}-c${copy}`,
        docNumber: null,
        publishedAt: `${2010 + (copy % 16)}-06-01T00:00:00+08:00`,
        placements: [{ siteId: `site-${copy % 210}`, path: `/zcwj/${b.id}-c${copy}.html` }],
      };
};

// --state DIR keeps the indexed D1 in DIR and reuses it next time (indexing 100k documents takes minutes).
const keptState = process.argv.includes('--state') ? process.argv[process.argv.indexOf('--state') + 1]! : null;
const state = keptState ?? mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'ywtc-bench-search-'));
const reuse = keptState !== null && existsSync(join(state, 'indexed.json'));
const port = await freePort();
const token = newIngestToken();
if (!reuse) applyMigrations(state);
// The engine itself first: the result cache off (SEARCH_CACHE), so every request is searched.
let dev = startDevServer(port, 'pipe', state, token, { frozen: true, vars: { SEARCH_CACHE: 'off' } });
const origin = `http://127.0.0.1:${port}`;
const auth = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
try {
  await waitForHttp(`${origin}/healthz`, 120_000);
  await fetch(`${origin}/_ingest/search/synonyms`, {
    method: 'PUT',
    headers: auth,
    body: JSON.stringify({ groups: parseSynonyms(readFileSync(join(ROOT, 'search/data/synonyms.tsv'), 'utf8')) }),
  });
  const t = performance.now();
  const BATCH = 250;
  if (reuse) console.log(`reusing the index in ${state}: ${readFileSync(join(state, 'indexed.json'), 'utf8')}`);
  for (let i = 0; i < (reuse ? 0 : N); i += BATCH) {
    const documents = Array.from({ length: Math.min(BATCH, N - i) }, (_, k) => docAt(i + k));
    const res = await fetch(`${origin}/_ingest/search/documents`, { method: 'POST', headers: auth, body: JSON.stringify({ documents }) });
    if (!res.ok) throw new Error(`indexing at ${i}: ${res.status} ${await res.text()}`);
    if ((i / BATCH) % 40 === 0) process.stdout.write(`\rindexed ${i + documents.length}/${N}`);
  }
  const indexMs = performance.now() - t;
  const dbBytes = (function size(d: string): number {
    return readdirSync(d).reduce((n, f) => {
      const p = join(d, f);
      const s = statSync(p);
      return n + (s.isDirectory() ? size(p) : s.size);
    }, 0);
  })(join(state, 'v3/d1'));
  if (!reuse) console.log(`\nindexed ${N} documents in ${(indexMs / 1000).toFixed(1)} s; D1 on disk ${(dbBytes / 1e6).toFixed(0)} MB`);
  if (keptState && !reuse)
    writeFileSync(join(state, 'indexed.json'), JSON.stringify({ docs: N, indexSeconds: +(indexMs / 1000).toFixed(1), dbMB: Math.round(dbBytes / 1e6) }));

  // Queries of the kinds citizens type, ~630 distinct: keywords and abbreviations, every question of the seed's
  // policy Q&A, and the kind sets of tests/data/search-kinds (发文字号 in other bracket styles, short title
  // phrases, the same phrases with a wrong character). Replayed in this order, round after round.
  const kindQueries = readFileSync(join(ROOT, 'tests/data/search-kinds/queries.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { query: string }).query);
  const queries = [
    '社保',
    '公积金',
    '医保',
    '住房公积金提取',
    '养老保险',
    '疫情防控',
    '复工复产',
    '减税降费',
    '小微企业',
    '营商环境',
    '国发〔2019〕5号',
    '国办发[2018]128号',
    '个人所得税',
    '道路运输',
    '行政法规',
    '职业教育',
    '乡村振兴',
    '失业保险',
    '异地就医',
    '新冠肺炎',
    ...src.qa.map((q) => q.question.slice(0, 100)),
    ...kindQueries,
  ];
  console.log(`${queries.length} queries (${new Set(queries).size} distinct)`);
  const urls = queries.map((q) => `/search.json?q=${encodeURIComponent(q)}`);
  const lua = join(state, 'replay.lua');
  writeFileSync(
    lua,
    `local urls = {${urls.map((u) => JSON.stringify(u)).join(',')}}\nlocal i = 0\nrequest = function()\n  i = i % #urls + 1\n  return wrk.format("GET", urls[i])\nend\ndone = function(summary, latency, requests)\n  io.write(string.format("P95_US %d\\n", latency:percentile(95)))\nend\n`,
  );
  // Warm the isolate and the page cache first.
  for (const u of urls) await (await fetch(origin + u)).arrayBuffer();
  const cold = replay('cache off: every request searched');
  // The same replay with the result cache on (as deployed): after the first round every query repeats.
  stopProcessGroup(dev);
  dev = startDevServer(port, 'pipe', state, token, { frozen: true });
  await waitForHttp(`${origin}/healthz`, 120_000);
  await (await fetch(origin + urls[0])).arrayBuffer();
  const cached = replay('result cache on, round-robin replay');
  console.log(`with the result cache: p50 ${cached.p50.toFixed(1)} ms, p95 ${cached.p95.toFixed(1)} ms, ${cached.qps.toFixed(0)} q/s`);

  /** wrk over the replay list, then one client alone (no queueing: what a single citizen waits). */
  function replay(label: string) {
    const r = spawnSync('wrk', ['-t2', '-c8', `-d${SECONDS}s`, '--latency', '-s', lua, origin], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`wrk failed: ${r.stderr}`);
    const out = r.stdout;
    console.log(`--- ${label}\n${out.trim()}`);
    const toMs = (v: string, unit: string) => Number(v) * (unit === 's' ? 1000 : unit === 'us' ? 0.001 : 1);
    const pct = (p: string) => {
      const m = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
      return m ? toMs(m[1]!, m[2]!) : NaN;
    };
    return {
      qps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
      p50: pct('50'),
      p95: Number(/P95_US (\d+)/.exec(out)?.[1] ?? NaN) / 1000,
      p99: pct('99'),
    };
  }
  // One client alone, cache off.
  stopProcessGroup(dev);
  dev = startDevServer(port, 'pipe', state, token, { frozen: true, vars: { SEARCH_CACHE: 'off' } });
  await waitForHttp(`${origin}/healthz`, 120_000);
  const lat: number[] = [];
  let failed = 0;
  for (let k = 0; k < Math.min(400, urls.length); k++) {
    const s = performance.now();
    const get = () => fetch(origin + urls[k % urls.length], { signal: AbortSignal.timeout(30_000) }).then((r) => r.arrayBuffer());
    try {
      await get();
      lat.push(performance.now() - s);
    } catch (e) {
      failed++;
      console.log(`request ${k} failed: ${String(e)}`);
    }
  }
  if (failed) console.log(`${failed} sequential requests failed`);
  if (lat.length === 0) lat.push(NaN);
  lat.sort((a, b) => a - b);
  const p = (q: number) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))]!;
  console.log(
    `one client alone (cache off): p50 ${p(0.5).toFixed(1)} ms, p95 ${p(0.95).toFixed(1)} ms; under load (wrk, 8 connections, cache off): p50 ${cold.p50.toFixed(1)} ms, p95 ${cold.p95.toFixed(1)} ms, p99 ${cold.p99.toFixed(1)} ms`,
  );
  console.log(`RESULT docs=${N} p50_ms=${cold.p50.toFixed(1)} p95_ms=${cold.p95.toFixed(1)} qps=${cold.qps.toFixed(0)}`);
} finally {
  stopProcessGroup(dev);
  if (!keptState) rmSync(state, { recursive: true, force: true });
}

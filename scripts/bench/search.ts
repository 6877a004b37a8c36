/**
 * `npm run bench:search [-- --docs 100000] [-- --seconds 20]`: the real corpus scaled up to N documents, indexed
 * through the Worker's publishing API into a fresh local D1, then queries replayed through the local Worker with
 * wrk: p50/p95 latency and queries/s, the result cache off (the engine itself) — the RESULT — and on.
 *
 * Scaling up without copies: the seed's real documents and notices come first as they are; every further
 * document is written from them — its body a sequence of real sentences drawn from the whole corpus, its title a
 * real title's subject in another of the titles' usual frames — with its own date and site. Terms keep the
 * corpus's frequencies, but no two documents share a text, so posting lists look like a real cluster's rather
 * than N copies of the same doclist. Any non-2xx answer (wrk's count, or a single request) fails the run.
 * Last line: RESULT docs=<n> cache=off p50_ms=<x> p95_ms=<y> qps=<q>.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, applyMigrations, freePort, newIngestToken, startDevServer, stopProcessGroup, waitForHttp } from '../lib/platform.ts';
import { ensureDebianPackage } from '../lib/browser.ts';
import { runWrk } from '../lib/wrk.ts';
import { loadContentSource } from '../seed/content.ts';
import { documentArea, parseSynonyms, type SearchDocumentInput } from '@ywtc/search';

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
  // 地区 as the product reads it (area.ts): the reader's place reorders results, and that is part of the cost.
  area: documentArea({ issuer: d.issuer, title: d.title }),
}));
/** A small deterministic PRNG (mulberry32): the same corpus on every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** Every sentence of the real corpus (the bodies cut at 。！？；and line ends), 8–150 characters. */
const sentences = base.flatMap((d) =>
  d.body
    .split(/[。！？；\n]+/)
    .map((x) => x.trim())
    .filter((x) => x.length >= 8 && x.length <= 150),
);
/** The subject of each real title: 关于…的通知 → … */
const subjects = [
  ...new Set(
    base
      .map((d) =>
        d.title
          .replace(/^(国务院|国务院办公厅)?关于(印发)?/, '')
          .replace(/(的)?(通知|意见|决定|公告|批复|函|实施方案|办法|规定|条例|解读)$/, '')
          .trim(),
      )
      .filter((x) => x.length >= 4 && x.length <= 40),
  ),
];
const FRAMES = [
  '关于{}的通知',
  '关于进一步做好{}的通知',
  '关于印发{}的通知',
  '关于加强{}的意见',
  '{}实施方案',
  '{}管理办法',
  '关于{}的公告',
  '关于{}工作的补充通知',
  '{}若干措施',
  '关于{}有关事项的通知',
];
const docAt = (i: number): SearchDocumentInput => {
  if (i < base.length) return base[i]!;
  const r = rng(i);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const body = Array.from({ length: 6 + Math.floor(r() * 15) }, () => pick(sentences)).join('。') + '。';
  const day = new Date(Date.UTC(2010, 0, 1) + Math.floor(r() * 16 * 365) * 86_400_000).toISOString().slice(0, 10);
  const id = `bench-${i}`;
  // Drawn in the order they always were (title, then kind, then issuer): the same corpus as earlier runs.
  const title = pick(FRAMES).replace('{}', pick(subjects)).slice(0, 120);
  const kind = pick(['policy', 'notice', 'article', 'interpretation'] as const);
  const issuer = pick(base).issuer;
  return {
    id,
    title,
    body: body.slice(0, 1500),
    docNumber: null,
    keywords: [],
    summary: body.slice(0, 200),
    kind,
    issuer,
    validity: null,
    publishedAt: `${day}T09:00:00+08:00`,
    placements: [{ siteId: `site-${i % 210}`, path: `/zcwj/${id}.html` }],
    area: documentArea({ issuer, title }),
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
  const queries: string[] = [
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
  // Warm the isolate and the page cache first; every query must answer 200 before anything is measured.
  for (const u of urls) {
    const res = await fetch(origin + u);
    if (!res.ok) throw new Error(`${decodeURIComponent(u)}: HTTP ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  }
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
    const r = runWrk(label, origin, { connections: 8, seconds: SECONDS, script: lua });
    return { qps: r.rps, p50: r.p50, p95: r.p95, p99: r.p99 };
  }
  // One client alone, cache off.
  stopProcessGroup(dev);
  dev = startDevServer(port, 'pipe', state, token, { frozen: true, vars: { SEARCH_CACHE: 'off' } });
  await waitForHttp(`${origin}/healthz`, 120_000);
  const lat: number[] = [];
  let failed = 0;
  for (let k = 0; k < Math.min(400, urls.length); k++) {
    const s = performance.now();
    const get = () =>
      fetch(origin + urls[k % urls.length], { signal: AbortSignal.timeout(30_000) }).then((r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        return r.arrayBuffer();
      });
    try {
      await get();
      lat.push(performance.now() - s);
    } catch (e) {
      failed++;
      console.log(`request ${k} failed: ${String(e)}`);
    }
  }
  if (failed) throw new Error(`${failed} of the sequential requests failed`);
  if (lat.length === 0) lat.push(NaN);
  lat.sort((a, b) => a - b);
  const p = (q: number) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))]!;
  console.log(
    `one client alone (cache off): p50 ${p(0.5).toFixed(1)} ms, p95 ${p(0.95).toFixed(1)} ms; under load (wrk, 8 connections, cache off): p50 ${cold.p50.toFixed(1)} ms, p95 ${cold.p95.toFixed(1)} ms, p99 ${cold.p99.toFixed(1)} ms`,
  );
  console.log(`RESULT docs=${N} cache=off p50_ms=${cold.p50.toFixed(1)} p95_ms=${cold.p95.toFixed(1)} qps=${cold.qps.toFixed(0)}`);
} finally {
  stopProcessGroup(dev);
  if (!keptState) rmSync(state, { recursive: true, force: true });
}

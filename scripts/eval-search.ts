/**
 * `npm run eval:search -- --corpus FILE.jsonl [--corpus …] --queries FILE.jsonl --qrels FILE.tsv`
 * Loads the corpora into a fresh local index through the product's indexing path (the Worker's publishing API
 * on a local wrangler dev), runs every query through the real search API (/search.json), and prints nDCG@10,
 * MRR@10 and Recall@10 — per `kind` when queries carry one — for our search and for a character-bigram BM25
 * baseline computed here over the same corpus; then the locality check (the same documents with their 地区,
 * searched from the region: system=near, and a RESULT check=locality line; it fails when an other province's
 * document ranks above a nearer one). Without arguments it uses ../shared/data/retrieval with
 * policies.jsonl mixed in as distractors. Ends with RESULT lines.
 *
 * Tune and report on different queries: every query falls, by a hash of its id, into `tune` (half) or
 * `report` (the other half). Choices about search (weights, budgets, what counts as a word) are made looking
 * at `tune` only; the figures docs/benchmarks.md gives are `report`'s — queries no choice was made on.
 * Corpus formats: {docid, title_guess, text} (retrieval corpus) and {id, title, body, …} (policies.jsonl).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, applyMigrations, freePort, newIngestToken, startDevServer, stopProcessGroup, waitForHttp } from './lib/platform.ts';
import { documentArea, parseSynonyms, type Area, type SearchDocumentInput } from '@ywtc/search';
import { readJsonl } from './lib/jsonl.ts';

const args = process.argv.slice(2);
const many = (name: string) => args.flatMap((a, i) => (a === `--${name}` && args[i + 1] ? [args[i + 1]!] : []));
const SHARED = join(ROOT, '../shared/data');
const corpora = many('corpus').length ? many('corpus') : [join(SHARED, 'retrieval/ncp-gov-corpus.jsonl'), join(SHARED, 'policies.jsonl')];
const queriesFile = many('queries')[0] ?? join(SHARED, 'retrieval/ncp-gov-queries.dev.jsonl');
const qrelsFile = many('qrels')[0] ?? join(SHARED, 'retrieval/ncp-gov-qrels.dev.tsv');
for (const f of [...corpora, queriesFile, qrelsFile])
  if (!existsSync(f)) {
    console.error(`missing ${f}`);
    process.exit(2);
  }

const jsonl = (f: string) => readJsonl(f);
const str = (v: unknown) => (typeof v === 'string' ? v : '');
// Ids are kept as they are in the files (document ids in the index may carry any case).
const docs: SearchDocumentInput[] = corpora.flatMap(jsonl).map((r) => {
  const id = str(r.docid) || str(r.id);
  const title = (str(r.title_guess) || str(r.title) || str(r.text).slice(0, 40)).slice(0, 300) || id;
  const body = str(r.text) || str(r.body);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(str(r.publish_date)) ? str(r.publish_date) : /^\d{4}-\d{2}-\d{2}$/.test(str(r.date)) ? str(r.date) : '2020-03-01';
  return {
    id,
    title,
    body: body.slice(0, 1_000_000),
    docNumber: str(r.doc_number) || null,
    keywords: [],
    summary: body.replace(/\s+/g, ' ').slice(0, 200),
    kind: 'policy',
    issuer: str(r.issuer) || null,
    validity: null,
    publishedAt: `${date}T00:00:00+08:00`,
    placements: [{ siteId: 'eval', path: `/${id}.html` }],
  };
});
/** The split a query id falls into: stable across runs and machines (sha-256 of the id). */
const splitOf = (id: string): 'tune' | 'report' => (createHash('sha256').update(id).digest().readUInt32BE(0) / 2 ** 32 < 0.5 ? 'tune' : 'report');
const queries = jsonl(queriesFile).map((q) => {
  const id = str(q.qid) || str(q.id);
  return { id, text: str(q.query) || str(q.text), kind: str(q.kind) || 'all', split: splitOf(id) };
});
const qrels = new Map<string, Map<string, number>>();
for (const line of readFileSync(qrelsFile, 'utf8').split('\n')) {
  const [qid, , docid, rel] = line.trim().split(/\s+/);
  if (!qid || qid === 'qid' || !docid) continue;
  const m = qrels.get(qid) ?? new Map<string, number>();
  m.set(docid, Number(rel));
  qrels.set(qid, m);
}

// --- metrics
function metrics(ranked: string[], rel: Map<string, number>) {
  const gains = ranked.slice(0, 10).map((d) => rel.get(d) ?? 0);
  const dcg = gains.reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  const ideal = [...rel.values()]
    .sort((a, b) => b - a)
    .slice(0, 10)
    .reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  const first = gains.findIndex((g) => g > 0);
  const relevant = [...rel.values()].filter((g) => g > 0).length;
  return { ndcg: ideal ? dcg / ideal : 0, mrr: first >= 0 ? 1 / (first + 1) : 0, recall: relevant ? gains.filter((g) => g > 0).length / relevant : 0 };
}

// --- baseline: character-bigram BM25 (k1 = 1.2, b = 0.75) over title + text
function bigrams(text: string): string[] {
  const chars = [...text.normalize('NFKC').replace(/[^\p{L}\p{N}]+/gu, ' ')];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) if (chars[i] !== ' ' && chars[i + 1] !== ' ') out.push(chars[i]! + chars[i + 1]!);
  return out;
}
function baseline() {
  const tf = docs.map((d) => {
    const m = new Map<string, number>();
    for (const t of bigrams(d.title + ' ' + d.body)) m.set(t, (m.get(t) ?? 0) + 1);
    return m;
  });
  const len = tf.map((m) => [...m.values()].reduce((a, b) => a + b, 0));
  const avg = len.reduce((a, b) => a + b, 0) / len.length;
  const df = new Map<string, number>();
  for (const m of tf) for (const t of m.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const N = docs.length;
  return (q: string) => {
    const terms = [...new Set(bigrams(q))];
    const scores = tf.map((m, i) =>
      terms.reduce((s, t) => {
        const f = m.get(t);
        if (!f) return s;
        const idf = Math.log(1 + (N - df.get(t)! + 0.5) / (df.get(t)! + 0.5));
        return s + (idf * (f * 2.2)) / (f + 1.2 * (0.25 + (0.75 * len[i]!) / avg));
      }, 0),
    );
    return scores
      .map((s, i) => [s, i] as const)
      .filter(([s]) => s > 0)
      .sort((a, b) => b[0] - a[0])
      .slice(0, 10)
      .map(([, i]) => docs[i]!.id);
  };
}

// --- our system through the Worker
const state = mkdtempSync(join(tmpdir(), 'ywtc-eval-'));
const port = await freePort();
const token = newIngestToken();
applyMigrations(state);
const dev = startDevServer(port, 'pipe', state, token, { frozen: true });
const origin = `http://127.0.0.1:${port}`;
const results: Record<'ours' | 'baseline' | 'near', Map<string, string[]>> = { ours: new Map(), baseline: new Map(), near: new Map() };
/** Per query, the 地区 scope of each hit in the locality pass (null: unknown). */
const nearAreas = new Map<string, (Area['scope'] | null)[]>();
const post = async (batch: SearchDocumentInput[], at: number) => {
  const res = await fetch(`${origin}/_ingest/search/documents`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ documents: batch }),
  });
  if (!res.ok) throw new Error(`indexing failed at ${at}: ${res.status} ${await res.text()}`);
};
const ask = async (text: string) => {
  const res = await fetch(`${origin}/search.json?${new URLSearchParams({ q: text.slice(0, 100), size: '10' })}`);
  if (!res.ok) throw new Error(`search failed: ${res.status} for ${text}`);
  return res.json<{ hits: { id: string; match: string; area?: Area | null }[] }>();
};
try {
  await waitForHttp(`${origin}/healthz`, 120_000);
  const t0 = performance.now();
  const groups = parseSynonyms(readFileSync(join(ROOT, 'search/data/synonyms.tsv'), 'utf8'));
  const syn = await fetch(`${origin}/_ingest/search/synonyms`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ groups }),
  });
  if (!syn.ok) throw new Error(`loading synonyms failed: ${syn.status} ${await syn.text()}`);
  // Quality is the text's: documents go in without their 地区, so no reader's place moves them.
  for (let i = 0; i < docs.length; i += 100) await post(docs.slice(i, i + 100), i);
  console.log(`indexed ${docs.length} documents in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  for (const q of queries)
    results.ours.set(
      q.id,
      (await ask(q.text)).hits.map((h) => h.id),
    );
  // The locality check: the same documents with the 地区 the product reads from their issuer (area.ts), the
  // same queries on the platform's search (the reader is the region): other provinces' documents must come after
  // every Guangxi, national and unplaced one, and what that costs the text ranking is reported beside it.
  const placed = docs.map((d) => ({ ...d, area: documentArea({ issuer: d.issuer ?? null, title: d.title }) }));
  for (let i = 0; i < placed.length; i += 100) await post(placed.slice(i, i + 100), i);
  for (const q of queries) {
    const hits = (await ask(q.text)).hits;
    results.near.set(
      q.id,
      hits.map((h) => h.id),
    );
    // A 发文字号 typed exactly names its document, wherever it is from: it stays first, out of this check.
    nearAreas.set(
      q.id,
      hits.filter((h) => h.match !== 'doc-number').map((h) => h.area?.scope ?? null),
    );
  }
} finally {
  stopProcessGroup(dev);
  rmSync(state, { recursive: true, force: true });
}
const bm25 = baseline();
for (const q of queries) results.baseline.set(q.id, bm25(q.text));

const kinds = ['all', ...new Set(queries.map((q) => q.kind).filter((k) => k !== 'all'))];
const lines: string[] = [];
for (const split of ['tune', 'report'] as const) {
  for (const system of ['ours', 'baseline', 'near'] as const) {
    for (const kind of kinds) {
      const qs = queries.filter((q) => q.split === split && (kind === 'all' || q.kind === kind) && qrels.has(q.id));
      const m = qs.map((q) => metrics(results[system].get(q.id) ?? [], qrels.get(q.id)!));
      const avg = (k: 'ndcg' | 'mrr' | 'recall') => (m.reduce((s, x) => s + x[k], 0) / Math.max(1, m.length)).toFixed(4);
      lines.push(`RESULT split=${split} system=${system} kind=${kind} n=${qs.length} ndcg10=${avg('ndcg')} mrr10=${avg('mrr')} recall10=${avg('recall')}`);
    }
  }
}
console.log(`${docs.length} documents, ${queries.length} queries, ${qrels.size} judged`);
// --dump FILE: per query, the rank of the first relevant document in each system (for error analysis).
const dump = many('dump')[0];
if (dump) {
  const rank = (system: 'ours' | 'baseline', q: string) => (results[system].get(q) ?? []).findIndex((d) => (qrels.get(q)?.get(d) ?? 0) > 0) + 1;
  writeFileSync(
    dump,
    queries
      .map((q) =>
        JSON.stringify({
          qid: q.id,
          query: q.text,
          ours: rank('ours', q.id),
          baseline: rank('baseline', q.id),
          oursTop: results.ours.get(q.id)?.slice(0, 3),
          relevant: [...(qrels.get(q.id)?.keys() ?? [])],
        }),
      )
      .join('\n') + '\n',
  );
}
// Locality: a query breaks it when an other province's document ranks above a nearer one.
const withBoth = queries.filter((q) => {
  const a = nearAreas.get(q.id) ?? [];
  return a.includes('other') && a.some((x) => x !== 'other');
});
const broken = withBoth.filter((q) => {
  const a = nearAreas.get(q.id)!;
  return a.findIndex((x) => x === 'other') < a.findLastIndex((x) => x !== 'other');
});
const areas = [...nearAreas.values()].flat();
const share = (scope: Area['scope'] | null) => (areas.filter((x) => x === scope).length / Math.max(1, areas.length)).toFixed(3);
lines.push(
  `RESULT check=locality queries=${queries.length} mixed=${withBoth.length} other_above_nearer=${broken.length} share_other=${share('other')} share_national=${share('national')} share_unknown=${share(null)}`,
);
for (const l of lines) console.log(l);
if (broken.length) process.exitCode = 1;

/**
 * The held-out part of `npm run eval:qa`: questions no knowledge-base entry holds, answered by the product's
 * whole path — the curated entry when one passes ANSWER_THRESHOLD, otherwise the best passage of a document in
 * force (search/src/qa-passage-d1.ts) when it passes the passage threshold swept here. How the questions and
 * their judged answers are made: scripts/eval/qa-heldout.md.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SEARCH_COLUMNS, SEARCH_TABLES, SearchDocumentSchema, indexRows, parseSynonyms, type SearchDocument } from '@ywtc/search';
import { ANSWER_THRESHOLD } from '@ywtc/search/qa-match';
import { bestQaCandidate, type SqlRows } from '@ywtc/search/qa-d1';
import { PASSAGE_THRESHOLD, bestPassageCandidate } from '@ywtc/search/qa-passage-d1';
import { tokensOf } from '@ywtc/search/qa-passage';
import { ROOT } from '../lib/platform.ts';

export interface HeldOutPair {
  id: string;
  question: string;
  answer: string;
  docid: string;
}
const unit = (s: string) => createHash('sha256').update(s).digest().readUInt32BE(0) / 2 ** 32;

/** The question retyped the way people type into a search box: spoken question words, no punctuation, no 请问. */
const SPOKEN: [RegExp, string][] = [
  [/请问|您好|你好/g, ''],
  [/如何|怎样/g, '怎么'],
  [/是什么/g, '是啥'],
  [/什么/g, '啥'],
  [/是否可以|可否|能否/g, '能不能'],
  [/是否/g, '是不是'],
  [/多长时间/g, '多久'],
  [/有哪些/g, '有啥'],
  [/[？?。！!，,、：:；;“”"（）()\s]+/g, ''],
];
export const spoken = (q: string) => SPOKEN.reduce((s, [re, to]) => s.replace(re, to), q.normalize('NFKC'));

/** A card is right when its text carries the judged answer: half the bigrams of the shorter of the two are shared. */
export function carries(card: string, answer: string): boolean {
  const a = new Set(tokensOf(answer));
  const c = new Set(tokensOf(card));
  if (a.size === 0 || c.size === 0) return false;
  let shared = 0;
  for (const t of c) if (a.has(t)) shared++;
  return shared / Math.min(a.size, c.size) >= 0.5;
}

interface Outcome {
  id: string;
  answerable: boolean;
  curated: { right: boolean } | null;
  passage: { score: number; right: boolean; text: string; doc: string } | null;
}

/**
 * `pairs`: every Q&A pair; `heldOut`: those outside the curated KB. Asked: every pair whose notice is in the
 * store (answerable from a passage; its own KB entry, if any, is not used) and every held-out pair whose notice
 * is not (no passage holds the answer unless another notice repeats it).
 */
export async function passageEval(opts: { pairs: readonly HeldOutPair[]; heldOut: readonly HeldOutPair[]; kbSql: SqlRows; dump: boolean }): Promise<void> {
  const SHARED = join(ROOT, '../shared/data');
  const jsonl = (f: string) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const notices = jsonl(join(SHARED, 'retrieval/ncp-gov-corpus.jsonl'));
  const inStore = new Set(notices.map((n) => str(n.docid)));
  const docs: SearchDocument[] = [...notices, ...jsonl(join(SHARED, 'policies.jsonl'))].map((r) => {
    const id = str(r.docid) || str(r.id);
    const body = str(r.text) || str(r.body);
    const date = /^\d{4}-\d{2}-\d{2}$/.test(str(r.date)) ? str(r.date) : '2020-03-01';
    return SearchDocumentSchema.parse({
      id,
      title: (str(r.title_guess) || str(r.title) || body.slice(0, 40)).slice(0, 300) || id,
      body,
      docNumber: str(r.doc_number).slice(0, 60) || null,
      keywords: [],
      summary: body.replace(/\s+/g, ' ').slice(0, 200),
      kind: 'policy',
      issuer: str(r.issuer).slice(0, 120) || null,
      validity: '有效',
      publishedAt: `${date}T00:00:00+08:00`,
      placements: [{ siteId: 'eval', path: `/${id}.html` }],
    });
  });
  const db = new DatabaseSync(':memory:', { enableForeignKeyConstraints: false });
  const migrations = readdirSync(join(ROOT, 'worker/migrations'))
    .filter((f) => f.endsWith('.sql'))
    .sort();
  for (const m of migrations) db.exec(readFileSync(join(ROOT, 'worker/migrations', m), 'utf8'));
  const rows = indexRows(docs);
  db.exec('BEGIN');
  for (const [table, key] of SEARCH_TABLES) {
    const cols = SEARCH_COLUMNS[table];
    const insert = db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`);
    for (const r of rows[key]) insert.run(...r.slice(0, cols.length));
  }
  db.exec('COMMIT');
  const sql: SqlRows = { batch: (queries) => Promise.resolve(queries.map((q) => db.prepare(q.sql).all(...q.params) as Record<string, unknown>[])) };
  const groups = parseSynonyms(readFileSync(join(ROOT, 'search/data/synonyms.tsv'), 'utf8'));
  if (process.env.PROBE)
    for (const q of process.env.PROBE.split(',')) {
      const hit = await bestPassageCandidate(sql, q, { groups });
      console.log('PROBE', q, hit?.score.toFixed(3), hit?.doc.id, hit?.doc.title.slice(0, 30), '|', hit?.passage);
    }

  const questions = [...opts.pairs.filter((p) => inStore.has(p.docid)), ...opts.heldOut.filter((p) => !inStore.has(p.docid))];
  const sets = {
    asked: questions.map((p) => ({ ...p, text: [...p.question].slice(0, 100).join('') })),
    spoken: questions.map((p) => ({ ...p, text: [...spoken(p.question)].slice(0, 100).join('') })),
  };
  const t0 = performance.now();
  let asked = 0;
  const results: Record<string, Outcome[]> = {};
  for (const [name, probes] of Object.entries(sets)) {
    const out: Outcome[] = [];
    for (const p of probes) {
      const best = await bestQaCandidate(opts.kbSql, p.text, { candidates: 6 });
      const entry = best && best.item.id !== `qa-${p.id}` ? best : null;
      const hit = await bestPassageCandidate(sql, p.text, { groups });
      asked++;
      out.push({
        id: p.id,
        answerable: inStore.has(p.docid),
        curated: entry && entry.score >= ANSWER_THRESHOLD ? { right: carries(entry.item.answer, p.answer) } : null,
        ...(process.env.CURATED_DUMP && entry && entry.score >= ANSWER_THRESHOLD && !carries(entry.item.answer, p.answer) && name === 'asked'
          ? (console.log('CURATED', entry.score.toFixed(2), p.text, '→', entry.item.question, '|', entry.item.answer.slice(0, 60), '| expected:', p.answer.slice(0, 60)), {})
          : {}),
        passage: hit ? { score: hit.score, right: carries(hit.passage, p.answer), text: hit.passage, doc: hit.doc.id } : null,
      });
    }
    results[name] = out;
  }
  const msPer = (performance.now() - t0) / Math.max(1, asked);

  const isTune = (o: Outcome) => unit(`split:${o.id}`) < 0.5;
  /** Shares of questions with a right card, a wrong card and none, at a passage threshold. */
  const at = (outs: readonly Outcome[], t: number) => {
    let right = 0,
      wrong = 0;
    for (const o of outs) {
      const card = o.curated ?? (o.passage && o.passage.score >= t ? o.passage : null);
      if (!card) continue;
      if (card.right) right++;
      else wrong++;
    }
    const n = Math.max(1, outs.length);
    return { right: right / n, wrong: wrong / n, none: (outs.length - right - wrong) / n };
  };
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const thresholds = Array.from({ length: 11 }, (_, i) => Math.round((0.5 + i * 0.05) * 100) / 100);
  const tune = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.filter(isTune)]));
  const report = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.filter((o) => !isTune(o))]));
  const picked = thresholds.find((t) => Object.values(tune).every((outs) => at(outs, t).wrong <= 0.02));

  console.log(
    `\nquestions phrased by the data set's askers, not in the curated KB: ${questions.filter((p) => inStore.has(p.docid)).length} whose notice is among the ${docs.length} documents in store, ${questions.filter((p) => !inStore.has(p.docid)).length} held-out ones whose notice is not; each asked as written and retyped in spoken style; ${msPer.toFixed(1)} ms per question (curated + passage, node:sqlite)`,
  );
  for (const [label, half] of [
    ['tune', tune],
    ['report', report],
  ] as const) {
    console.log(`\n${label} half — right / wrong / no card, by passage threshold (curated entries at ${ANSWER_THRESHOLD} first)`);
    console.log('| threshold | as written | spoken style | as written, answerable only | curated only (no passages) |');
    console.log('|---|---|---|---|---|');
    for (const t of thresholds) {
      const f = (x: ReturnType<typeof at>) => `${pct(x.right)} / ${pct(x.wrong)} / ${pct(x.none)}`;
      console.log(
        `| ${t.toFixed(2)}${t === PASSAGE_THRESHOLD ? ' ←' : ''} | ${f(at(half.asked!, t))} | ${f(at(half.spoken!, t))} | ${f(at(half.asked!.filter((o) => o.answerable), t))} | ${f(at(half.asked!, Infinity))} |`,
      );
    }
  }
  console.log(`\ntune half: lowest passage threshold with ≤ 2 % wrong cards on both sets: ${picked ?? 'none'}; the product uses ${PASSAGE_THRESHOLD}`);
  if (picked !== PASSAGE_THRESHOLD) console.log(`NOTE: the tune half picks ${picked ?? 'none'}, not the product's ${PASSAGE_THRESHOLD}`);
  if (process.env.BREAKDOWN)
    for (const t of [0.8, 0.9, 1.0]) {
      const c = { sameDoc: 0, otherDoc: 0, unanswerable: 0 };
      for (const o of tune.asked!) {
        if (o.curated || !o.passage || o.passage.score < t || o.passage.right) continue;
        const q = questions.find((x) => x.id === o.id)!;
        if (!o.answerable) c.unanswerable++;
        else if (o.passage.doc === q.docid) c.sameDoc++;
        else c.otherDoc++;
      }
      console.log('wrong passages at', t, c);
    }
  if (opts.dump)
    for (const o of tune.spoken!.filter((x) => !x.curated && x.passage && x.passage.score >= PASSAGE_THRESHOLD - 0.1 && !x.passage.right).slice(0, 40))
      console.log('WRONG?', o.passage!.score.toFixed(2), sets.spoken.find((p) => p.id === o.id)!.text, '→', o.passage!.doc, o.passage!.text.slice(0, 80));
  for (const [name, outs] of Object.entries(report)) {
    const r = at(outs, PASSAGE_THRESHOLD);
    console.log(
      `RESULT split=report set=heldout-${name} n=${outs.length} threshold=${PASSAGE_THRESHOLD} right=${r.right.toFixed(4)} wrong=${r.wrong.toFixed(4)} none=${r.none.toFixed(4)}`,
    );
  }
}

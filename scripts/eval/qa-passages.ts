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
import { readJsonl } from '../lib/jsonl.ts';

export interface HeldOutPair {
  id: string;
  question: string;
  answer: string;
  docid: string;
}
/** A stricter entry threshold, shown beside the product's: what the entries' own wrong cards cost here. */
const PASSAGE_ENTRY_THRESHOLD = 0.9;
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
  curated: { score: number; right: boolean } | null;
  passage: { score: number; right: boolean; text: string; doc: string } | null;
}

/**
 * `pairs`: every Q&A pair; `heldOut`: those outside the curated KB. Asked: every pair whose notice is in the
 * store (answerable from a passage; its own KB entry, if any, is not used) and every held-out pair whose notice
 * is not (no passage holds the answer unless another notice repeats it).
 */
export async function passageEval(opts: { pairs: readonly HeldOutPair[]; heldOut: readonly HeldOutPair[]; kbSql: SqlRows; dump: boolean }): Promise<void> {
  const SHARED = join(ROOT, '../shared/data');
  const jsonl = (f: string) => readJsonl(f);
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

  const questions = [...opts.pairs.filter((p) => inStore.has(p.docid)), ...opts.heldOut.filter((p) => !inStore.has(p.docid))];
  const asWritten = questions.map((p) => ({ ...p, text: [...p.question].slice(0, 100).join('') }));
  const sets = {
    asked: asWritten,
    spoken: questions.map((p) => ({ ...p, text: [...spoken(p.question)].slice(0, 100).join('') })),
    // Ablation: as written, without the colloquial list (search synonyms only).
    plain: asWritten,
  };
  const t0 = performance.now();
  let asked = 0;
  let passageMs = 0;
  const results: Record<string, Outcome[]> = {};
  for (const [name, probes] of Object.entries(sets)) {
    const out: Outcome[] = [];
    for (const p of probes) {
      const best = await bestQaCandidate(opts.kbSql, p.text);
      // The question's own entry is not asked about: the question is held out from the KB here.
      const entry = best && best.item.id !== `qa-${p.id}` ? best : null;
      const tp = performance.now();
      const hit = await bestPassageCandidate(sql, p.text, { groups, ...(name === 'plain' ? { colloquial: [] } : {}) });
      passageMs += performance.now() - tp;
      asked++;
      out.push({
        id: p.id,
        answerable: inStore.has(p.docid),
        curated: entry ? { score: entry.score, right: carries(entry.item.answer, p.answer) } : null,
        passage: hit ? { score: hit.score, right: carries(hit.passage, p.answer), text: hit.passage, doc: hit.doc.id } : null,
      });
    }
    results[name] = out;
  }
  const msPer = (performance.now() - t0) / Math.max(1, asked);

  const isTune = (o: Outcome) => unit(`split:${o.id}`) < 0.5;
  /** Shares of questions with a right card, a wrong card and none: an entry from `tc`, else a passage from `tp`. */
  const at = (outs: readonly Outcome[], tc: number, tp: number) => {
    let right = 0,
      wrong = 0;
    for (const o of outs) {
      const card = o.curated && o.curated.score >= tc ? o.curated : o.passage && o.passage.score >= tp ? o.passage : null;
      if (!card) continue;
      if (card.right) right++;
      else wrong++;
    }
    const n = Math.max(1, outs.length);
    return { right: right / n, wrong: wrong / n, none: (outs.length - right - wrong) / n };
  };
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const f = (x: ReturnType<typeof at>) => `${pct(x.right)} / ${pct(x.wrong)} / ${pct(x.none)}`;
  const passageSteps = [...Array.from({ length: 11 }, (_, i) => Math.round((0.5 + i * 0.05) * 100) / 100), Infinity];
  const curatedSteps = [0.75, 0.8, 0.85, 0.9, 0.95, Infinity];
  const tune = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.filter(isTune)]));
  const report = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.filter((o) => !isTune(o))]));
  // The pair of thresholds with the most right cards on the tune half while both sets stay at ≤ 2 % wrong cards.
  let picked: { tc: number; tp: number; right: number } | null = null;
  for (const tc of curatedSteps)
    for (const tp of passageSteps) {
      if (![tune.asked!, tune.spoken!].every((outs) => at(outs, tc, tp).wrong <= 0.02)) continue;
      const right = Math.min(...[tune.asked!, tune.spoken!].map((outs) => at(outs, tc, tp).right));
      if (!picked || right > picked.right + 1e-9) picked = { tc, tp, right };
    }
  const show = (t: number) => (t === Infinity ? 'none' : t.toFixed(2));
  // With entries at the product's threshold: the lowest passage threshold at which passages add at most 2 wrong
  // cards per 100 questions, on both sets (the entries' own wrong cards are the first eval's business).
  const own = passageSteps.find((tp) =>
    [tune.asked!, tune.spoken!].every((outs) => at(outs, ANSWER_THRESHOLD, tp).wrong - at(outs, ANSWER_THRESHOLD, Infinity).wrong <= 0.02),
  );

  console.log(
    `\nquestions phrased by the data set's askers, in no KB entry: ${questions.filter((p) => inStore.has(p.docid)).length} whose notice is among the ${docs.length} documents in store, ${questions.filter((p) => !inStore.has(p.docid)).length} held-out ones whose notice is not; each asked as written and retyped in spoken style; ${msPer.toFixed(1)} ms per question in all, ${(passageMs / Math.max(1, asked)).toFixed(1)} ms of it the passage look-up (node:sqlite, in-process)`,
  );
  for (const [label, half] of [
    ['tune', tune],
    ['report', report],
  ] as const) {
    console.log(
      `\n${label} half (${half.asked!.length} questions) — right / wrong / no card, by passage threshold; entries from ${ANSWER_THRESHOLD} (the product's) first`,
    );
    console.log(
      `| passage threshold | as written | spoken style | as written, answerable only | as written, entries from ${PASSAGE_ENTRY_THRESHOLD} | as written, no colloquial list |`,
    );
    console.log('|---|---|---|---|---|---|');
    for (const tp of passageSteps)
      console.log(
        `| ${show(tp)}${tp === PASSAGE_THRESHOLD ? ' ←' : ''} | ${f(at(half.asked!, ANSWER_THRESHOLD, tp))} | ${f(at(half.spoken!, ANSWER_THRESHOLD, tp))} | ${f(
          at(
            half.asked!.filter((o) => o.answerable),
            ANSWER_THRESHOLD,
            tp,
          ),
        )} | ${f(at(half.asked!, PASSAGE_ENTRY_THRESHOLD, tp))} | ${f(at(half.plain!, ANSWER_THRESHOLD, tp))} |`,
      );
  }
  console.log(
    `\ntune half: with entries from ${ANSWER_THRESHOLD}, passages add ≤ 2 % wrong cards from ${own === undefined ? '—' : show(own)}; the product's passage threshold is ${PASSAGE_THRESHOLD}`,
  );
  if (own !== PASSAGE_THRESHOLD) console.log(`NOTE: the tune half picks ${own === undefined ? 'none' : show(own)}, not the product's ${PASSAGE_THRESHOLD}`);
  console.log(
    `tune half: most right cards with ≤ 2 % wrong cards in all on both sets: entries from ${picked ? show(picked.tc) : '—'}, passages from ${picked ? show(picked.tp) : '—'}`,
  );
  if (picked)
    for (const [name, outs] of Object.entries(report).filter(([k]) => k !== 'plain')) {
      const r = at(outs, picked.tc, picked.tp);
      console.log(`  report half at that pair, ${name}: right ${pct(r.right)} / wrong ${pct(r.wrong)} / none ${pct(r.none)}`);
    }
  // `DUMP=1 npm run eval:qa`: the tune half's wrong passage cards, to read what they look like.
  if (opts.dump)
    for (const o of tune.spoken!.filter(
      (x) => !(x.curated && x.curated.score >= ANSWER_THRESHOLD) && x.passage && x.passage.score >= PASSAGE_THRESHOLD && !x.passage.right,
    ))
      console.log(
        'wrong passage',
        o.passage!.score.toFixed(2),
        sets.spoken.find((p) => p.id === o.id)!.text,
        '→',
        o.passage!.doc,
        o.passage!.text.slice(0, 80),
      );
  for (const [name, outs] of Object.entries(report).filter(([k]) => k !== 'plain')) {
    const r = at(outs, ANSWER_THRESHOLD, PASSAGE_THRESHOLD);
    console.log(
      `RESULT split=report set=heldout-${name} n=${outs.length} entry_threshold=${ANSWER_THRESHOLD} passage_threshold=${PASSAGE_THRESHOLD} right=${r.right.toFixed(4)} wrong=${r.wrong.toFixed(4)} none=${r.none.toFixed(4)}`,
    );
  }
}

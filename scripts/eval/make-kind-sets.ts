/**
 * `npm run eval:kinds:make`: writes query sets of the kinds citizens type — 发文字号 in other bracket styles,
 * short phrases, and the same phrases with one wrong character — over ../shared/data/policies.jsonl, for
 * `npm run eval:search -- --corpus … --queries tests/data/search-kinds/queries.jsonl --qrels …/qrels.tsv`.
 * Deterministic (seeded); each query has one relevant document. Judgments are derived, not hand-made:
 * a phrase query's relevant document is the only one whose title holds that phrase.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TYPO_CHARS } from '@ywtc/search/typo-chars';

const SHARED = process.env.SHARED_DATA ?? join(import.meta.dirname, '../../../shared/data');
const OUT = join(import.meta.dirname, '../../tests/data/search-kinds');
const docs = readFileSync(join(SHARED, 'policies.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { id: string; title: string; doc_number?: string; body: string });

let seed = 20261128;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;

const queries: { qid: string; query: string; kind: string }[] = [];
const qrels: string[] = ['qid\tQ0\tdocid\trelevance'];
const add = (kind: string, query: string, docIds: string[]) => {
  const qid = `${kind}-${queries.filter((q) => q.kind === kind).length + 1}`;
  queries.push({ qid, query, kind });
  for (const d of docIds) qrels.push(`${qid}\t0\t${d}\t1`);
};

// 发文字号 written another way: 国发〔2019〕5号 → 国发[2019]5号, 国发（2019）5号, 国发2019年5号, 国发【2019】第5号.
const byNumber = new Map<string, string[]>();
for (const d of docs) if (d.doc_number && /〔\d{4}〕\d+号$/.test(d.doc_number)) byNumber.set(d.doc_number, [...(byNumber.get(d.doc_number) ?? []), d.id]);
const styles = [
  (a: string, y: string, n: string) => `${a}[${y}]${n}号`,
  (a: string, y: string, n: string) => `${a}（${y}）${n}号`,
  (a: string, y: string, n: string) => `${a}${y}年${n}号`,
  (a: string, y: string, n: string) => `${a}【${y}】第${n}号`,
  (a: string, y: string, n: string) => `${a}(${y})${n}号`,
];
const numbers = [...byNumber.keys()].sort();
for (let i = 0; i < 120 && numbers.length; i++) {
  const num = numbers.splice(Math.floor(rand() * numbers.length), 1)[0]!;
  const [, a, y, n] = /^(.+)〔(\d{4})〕(\d+)号$/.exec(num)!;
  add('doc-number', pick(styles)(a!, y!, n!), byNumber.get(num)!);
}

// Short phrases: 3–6 Han characters of a title that no other title holds.
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const titles = docs.map((d) => d.title);
const phrases: { phrase: string; id: string }[] = [];
for (const d of [...docs].sort(() => rand() - 0.5)) {
  const words = [...segmenter.segment(d.title)].map((s) => s.segment).filter((w) => /^\p{Script=Han}+$/u.test(w));
  // A word of 3+ characters, or two words of 2+ characters each: what people type, not a cut across words.
  const candidates = [
    ...words.filter((w) => w.length >= 3),
    ...words.slice(0, -1).flatMap((w, i) => (w.length >= 2 && words[i + 1]!.length >= 2 ? [w + words[i + 1]!] : [])),
  ];
  for (const p of candidates) {
    if (p.length < 3 || p.length > 6) continue;
    if (titles.filter((t) => t.includes(p)).length !== 1) continue;
    phrases.push({ phrase: p, id: d.id });
    break;
  }
  if (phrases.length >= 150) break;
}
for (const p of phrases) add('short-phrase', p.phrase, [p.id]);

// The same phrases with one character swapped for a character often typed in its place.
const wrongFor = new Map<string, string[]>();
for (const line of TYPO_CHARS.split('\n')) {
  const [wrong, ...rights] = [...line];
  for (const r of rights) wrongFor.set(r, [...(wrongFor.get(r) ?? []), wrong!]);
}
for (const p of phrases) {
  const chars = [...p.phrase];
  const spots = chars.map((c, i) => (wrongFor.has(c) ? i : -1)).filter((i) => i >= 0);
  if (spots.length === 0) continue;
  const i = pick(spots);
  add('typo', [...chars.slice(0, i), pick(wrongFor.get(chars[i]!)!), ...chars.slice(i + 1)].join(''), [p.id]);
}

mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'queries.jsonl'), queries.map((q) => JSON.stringify(q)).join('\n') + '\n');
writeFileSync(join(OUT, 'qrels.tsv'), qrels.join('\n') + '\n');
const perKind = new Map<string, number>();
for (const q of queries) perKind.set(q.kind, (perKind.get(q.kind) ?? 0) + 1);
console.log([...perKind].map(([k, n]) => `${k}: ${n}`).join(', '));

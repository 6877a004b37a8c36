/**
 * `npm run eval:typos`: how often a keyword typed with one wrong character is corrected to the phrase meant,
 * by the search's own correction (search/src/typo.ts) over the document frequencies of the kind sets' corpus
 * (../shared/data/policies.jsonl, bigrams of title and text as the index counts them). The typo set
 * (tests/data/search-kinds, kind=typo) was made by swapping in characters from the same confusion list the
 * correction reads first — so the list grades itself; the run is repeated with the list switched off to show
 * what the homophones alone propose (homophones.ts), which is what a typo outside the list gets. Same tune/report split as
 * eval:search (SHA-256 of the query id); nothing here was tuned on the report half.
 * Last line: RESULT split=report mode=<list+sound|list|sound> n=<n> fixed=<share> wrong=<share> none=<share>.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/platform.ts';
import { readJsonl } from './lib/jsonl.ts';
import { correction, documentTokens, runs, runTokens } from '@ywtc/search';

const SHARED = join(ROOT, '../shared/data');
const corpusFile = join(SHARED, 'policies.jsonl');
if (!existsSync(corpusFile)) {
  console.error(`missing ${corpusFile}`);
  process.exit(2);
}
const jsonl = (f: string) => readJsonl<Record<string, string>>(f);

const df = new Map<string, number>();
for (const d of jsonl(corpusFile))
  for (const t of documentTokens({ title: d.title ?? '', docNumber: d.doc_number ?? null, keywords: [], body: d.body ?? '' })) df.set(t, (df.get(t) ?? 0) + 1);
// Each typo query and the phrase it was made from: the short phrase judged for the same document.
const queries = jsonl(join(ROOT, 'tests/data/search-kinds/queries.jsonl'));
const docOf = new Map<string, string>();
for (const line of readFileSync(join(ROOT, 'tests/data/search-kinds/qrels.tsv'), 'utf8').split('\n')) {
  const [qid, , docid] = line.trim().split(/\s+/);
  if (qid && docid) docOf.set(qid, docid);
}
const phraseOf = new Map(queries.filter((q) => q.kind === 'short-phrase').map((q) => [docOf.get(q.qid!), q.query!]));
const pairs = queries
  .filter((q) => q.kind === 'typo')
  .flatMap((q) => {
    const meant = phraseOf.get(docOf.get(q.qid!));
    return meant ? [{ id: q.qid!, typed: q.query!, meant }] : [];
  });
const splitOf = (id: string) => (createHash('sha256').update(id).digest().readUInt32BE(0) / 2 ** 32 < 0.5 ? 'tune' : 'report');

const lookup = (tokens: string[]) => Promise.resolve(new Map(tokens.flatMap((t) => (df.has(t) ? [[t, df.get(t)!] as const] : []))));
const known = (tokens: string[]) => new Map(tokens.flatMap((t) => (df.has(t) ? [[t, df.get(t)!] as const] : [])));

const lines: string[] = [];
for (const split of ['tune', 'report'] as const) {
  for (const mode of ['list+sound', 'list', 'sound'] as const) {
    let fixed = 0;
    let wrong = 0;
    let none = 0;
    const set = pairs.filter((p) => splitOf(p.id) === split);
    for (const p of set) {
      const tokens = [...new Set(runs(p.typed).flatMap(runTokens))];
      // 'sound': the list switched off (no character has listed confusions), only homophones propose.
      const got = await correction(p.typed, tokens, known(tokens), lookup, mode === 'sound' ? new Map() : undefined, mode !== 'list');
      if (!got) none++;
      else if (got.text === p.meant) fixed++;
      else wrong++;
    }
    const share = (n: number) => (n / Math.max(1, set.length)).toFixed(3);
    lines.push(`RESULT split=${split} mode=${mode} n=${set.length} fixed=${share(fixed)} wrong=${share(wrong)} none=${share(none)}`);
  }
}
for (const l of lines) console.log(l);

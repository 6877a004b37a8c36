/**
 * `npm run eval:checks`: the typo check of the pre-publish checks on the shared sentence sets — false alarms
 * on 5,000 correct sentences (xxqg) and recall on the legal sentences with a typo (law set; its correct ones
 * give a second false-alarm figure). Uses the lists as the seed loads them. Ends with RESULT lines.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDraft, compileLists } from '@ywtc/cms-schema';
import { documentTokens, suspectCharacters } from '@ywtc/search';
import { ROOT } from './lib/platform.ts';
import { checkTerms } from './seed/check-terms.ts';

const DIR = join(ROOT, '../shared/data/content-check');
for (const f of ['typo-negative-sentences-xxqg.jsonl', 'typo-positive-sentences-law.jsonl'])
  if (!existsSync(join(DIR, f))) {
    console.error(`missing ${join(DIR, f)}`);
    process.exit(2);
  }
const jsonl = (f: string) =>
  readFileSync(join(DIR, f), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { original_text: string; correct_text: string; has_error?: boolean; wrong_ids?: number[] });
const lists = compileLists(checkTerms());
// Document frequencies as the search index would hold them for a cluster publishing these documents: the
// shared policies (国务院 documents, 行政法规, 河北 policies) and the epidemic-period notices.
const corpus = [join(ROOT, '../shared/data/policies.jsonl'), join(ROOT, '../shared/data/retrieval/ncp-gov-corpus.jsonl')].flatMap((f) =>
  readFileSync(f, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { title?: string; title_guess?: string; body?: string; text?: string }),
);
const df = new Map<string, number>();
for (const d of corpus)
  for (const t of documentTokens({ title: d.title ?? d.title_guess ?? '', docNumber: null, keywords: [], body: d.body ?? d.text ?? '' }))
    df.set(t, (df.get(t) ?? 0) + 1);
console.log(`document frequencies from ${corpus.length} documents, ${df.size} bigrams`);
const typoWarnings = (text: string) => [
  ...checkDraft({ kind: 'notice', title: '', bodyHtml: `<p>${text.replace(/[<&]/g, ' ')}</p>` }, lists)
    .warnings.filter((w) => w.code === 'typo')
    .map((w) => w.message.split('“')[1]!.split('”')[0]!),
  ...suspectCharacters(text, (b) => df.get(b) ?? 0).map((s) => s.wrong),
];

const negatives = jsonl('typo-negative-sentences-xxqg.jsonl');
const falseOnNeg = negatives.filter((s) => typoWarnings(s.original_text).length > 0);
const law = jsonl('typo-positive-sentences-law.jsonl');
const withError = law.filter((s) => s.has_error ?? s.original_text !== s.correct_text);
const clean = law.filter((s) => !(s.has_error ?? s.original_text !== s.correct_text));
const caught = withError.filter((s) => typoWarnings(s.original_text).length > 0);
// A catch counts as right when the flagged word covers a character that differs from the corrected sentence.
const rightSpot = caught.filter((s) => {
  const diff = [...s.original_text].map((ch, i) => (ch !== [...s.correct_text][i] ? i : -1)).filter((i) => i >= 0);
  return (
    suspectCharacters(s.original_text, (b) => df.get(b) ?? 0).some((x) => diff.includes(x.at)) ||
    typoWarnings(s.original_text).some((w) => {
      const at = s.original_text.indexOf(w);
      return diff.some((i) => i >= at && i < at + w.length);
    })
  );
});
const falseOnLaw = clean.filter((s) => typoWarnings(s.original_text).length > 0);
const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(2) : '0');
for (const s of falseOnNeg.slice(0, 8)) console.log(`false alarm: ${typoWarnings(s.original_text).join('; ')} | ${s.original_text.slice(0, 60)}`);
console.log(`negatives (xxqg): ${falseOnNeg.length}/${negatives.length} sentences flagged (${pct(falseOnNeg.length, negatives.length)} %)`);
console.log(
  `law set: ${caught.length}/${withError.length} sentences with a typo flagged (${pct(caught.length, withError.length)} %), ${rightSpot.length} at the wrong character; ${falseOnLaw.length}/${clean.length} correct ones flagged`,
);
console.log(`RESULT set=xxqg-negatives n=${negatives.length} false_alarm_rate=${(falseOnNeg.length / negatives.length).toFixed(4)}`);
console.log(
  `RESULT set=law-positives n=${withError.length} recall=${(caught.length / withError.length).toFixed(4)} recall_right_spot=${(rightSpot.length / withError.length).toFixed(4)} false_alarm_rate_on_correct=${(falseOnLaw.length / Math.max(1, clean.length)).toFixed(4)}`,
);

/**
 * Text as search tokens. Chinese has no spaces and Intl.Segmenter is too coarse and too uneven for recall
 * (公积金 comes out as 公|积|金), so every run of Han characters becomes its overlapping character bigrams —
 * 住房公积金 → 住房 房公 公积 积金 — and a lone Han character stays a unigram. Bigrams are emitted in text order,
 * so an FTS5 phrase of a query's bigrams matches exactly that substring, 2-character queries hit compound
 * words, and FTS5's unicode61 tokenizer (which splits on spaces) indexes them as they are. Latin letters and
 * digits form lower-cased words.
 */
const HAN = /\p{Script=Han}/u;
// Han runs, and runs of other letters/digits — which must stop at Han: \p{L} includes Han, and without the
// look-ahead "2020年疫情防控" would become one opaque token.
const RUNS = /\p{Script=Han}+|(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu;

/** Tokens of one run of text, in order. */
export function runTokens(run: string): string[] {
  if (!HAN.test(run[0]!)) return [run.toLowerCase()];
  const chars = [...run];
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/** Runs of a text: Han runs and alphanumeric words, after NFKC normalisation (full-width → half-width). */
export function runs(text: string): string[] {
  return text.normalize('NFKC').match(RUNS) ?? [];
}

/** The token stream of a text for the index, space-separated. Long texts are processed in paragraphs. */
export function indexText(text: string): string {
  const out: string[] = [];
  for (const para of text.split(/\n+/)) for (const r of runs(para)) out.push(...runTokens(r));
  return out.join(' ');
}

/** The distinct tokens of a document's indexed fields: what its entry adds to each token's document frequency. */
export function documentTokens(d: { title: string; docNumber: string | null; keywords: readonly string[]; body: string }): Set<string> {
  const out = new Set<string>();
  for (const text of [d.title, d.docNumber ?? '', d.keywords.join(' '), d.body])
    for (const para of text.split(/\n+/)) for (const r of runs(para)) for (const t of runTokens(r)) out.add(t);
  return out;
}

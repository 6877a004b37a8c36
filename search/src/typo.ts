/**
 * Typo correction for keyword queries. Chinese typos are mostly one wrong character of the same sound or
 * shape (公积金 → 公基金); its bigrams then appear in no document. For each character of an unknown bigram
 * the confusion list (typo-chars.ts) proposes the characters usually meant, else its homophones do; a variant whose bigrams are all in the index wins, preferring
 * the one whose rarest bigram is most common (the likeliest intended phrase).
 */
import { TYPO_CHARS } from './typo-chars.ts';
import { HOMOPHONES } from './homophones.ts';
import { runTokens, runs } from './tokenize.ts';

let table: Map<string, string[]> | null = null;
/** The confusion list: a character often typed by mistake → the characters meant (also the inspector's leader-title check). */
export function confusions(): Map<string, string[]> {
  table ??= new Map(
    TYPO_CHARS.split('\n').map((l) => {
      const [wrong, ...right] = [...l];
      return [wrong!, right];
    }),
  );
  return table;
}

const MAX_VARIANTS = 60;
const tokensOf = (text: string) => [...new Set(runs(text).flatMap(runTokens))];

export interface Correction {
  text: string;
  tokens: string[];
  df: Map<string, number>;
}

/** The best variant among `variants`: all its bigrams in the index, its rarest bigram the most common. */
async function bestOf(variants: string[], df: ReadonlyMap<string, number>, lookup: (tokens: string[]) => Promise<Map<string, number>>) {
  if (variants.length === 0) return null;
  const candidates = [...new Set(variants)].map((v) => ({ text: v, tokens: tokensOf(v) }));
  const missing = [...new Set(candidates.flatMap((c) => c.tokens))].filter((t) => !df.has(t));
  const known = new Map([...df, ...(await lookup(missing))]);
  let best: { text: string; tokens: string[]; score: number } | null = null;
  for (const c of candidates) {
    if (!c.tokens.every((t) => known.has(t))) continue;
    const score = Math.min(...c.tokens.map((t) => known.get(t)!));
    if (!best || score > best.score) best = { ...c, score };
  }
  return best ? { text: best.text, tokens: best.tokens, df: new Map(best.tokens.map((t) => [t, known.get(t)!])) } : null;
}

/** Characters of the text in a bigram the index does not know: where a typo is. */
function suspects(chars: string[], unknown: Set<string>): number[] {
  return chars.flatMap((c, i) => (unknown.has(c + (chars[i + 1] ?? '')) || unknown.has((chars[i - 1] ?? '') + c) ? [i] : []));
}

let sounds: Map<string, string[]> | null = null;
/** Each character's homophones (homophones.ts: GB 2312 by toneless pinyin, every reading of a 多音字). */
function homophones(): Map<string, string[]> {
  if (sounds) return sounds;
  const out = new Map<string, Set<string>>();
  for (const line of HOMOPHONES.split('\n')) {
    const group = [...line.slice(line.indexOf(':') + 1)];
    for (const c of group) {
      const set = out.get(c) ?? new Set<string>();
      for (const o of group) if (o !== c) set.add(o);
      out.set(c, set);
    }
  }
  sounds = new Map([...out].map(([c, set]) => [c, [...set]]));
  return sounds;
}

/** Homophone variants tried per correction: a syllable has up to ~100 characters in GB 2312. */
const MAX_SOUND_VARIANTS = 300;

/**
 * The correction of a keyword query with an unknown bigram, or null. First the usual confusions of each
 * suspect character (typo-chars.ts); when none gives a query the index knows, the suspect character's
 * homophones (homophones.ts: most typos are a character of the same sound picked from the input method's
 * list). That covers typos the confusion list does not hold — its pairs are what the evaluation's typo set is
 * made from, so relying on it alone would grade itself (npm run eval:typos measures both).
 */
export async function correction(
  text: string,
  tokens: readonly string[],
  df: ReadonlyMap<string, number>,
  lookup: (tokens: string[]) => Promise<Map<string, number>>,
  /** The confusion list (typo-chars.ts); eval:typos passes an empty one to measure the homophones alone. */
  listed: ReadonlyMap<string, string[]> = confusions(),
  /** Whether homophones are tried after the list (eval:typos switches them off to measure the list alone). */
  bySound = true,
): Promise<Correction | null> {
  const unknown = new Set(tokens.filter((t) => !df.has(t)));
  const chars = [...text];
  const at = suspects(chars, unknown);
  const replaced = (i: number, r: string) => [...chars.slice(0, i), r, ...chars.slice(i + 1)].join('');
  const fromList = await bestOf(at.flatMap((i) => (listed.get(chars[i]!) ?? []).map((r) => replaced(i, r))).slice(0, MAX_VARIANTS), df, lookup);
  if (fromList || !bySound) return fromList;
  return bestOf(at.flatMap((i) => (homophones().get(chars[i]!) ?? []).map((r) => replaced(i, r))).slice(0, MAX_SOUND_VARIANTS), df, lookup);
}

export interface SuspectCharacter {
  at: number;
  wrong: string;
  right: string;
  excerpt: string;
}

/**
 * Thresholds of `suspectCharacters`, set on the shared sentence sets (`npm run eval:checks`) for at most 1 %
 * false alarms: a character is suspect when its bigrams with both neighbours are in no document and a usual
 * replacement's are in at least 5. Function characters (的, 了, 以 …) are left alone: their bigrams across
 * words are rare without being wrong (损人害己, 去看待).
 */
export const SUSPECT = { rare: 0, common: 5 } as const;
const FUNCTION_CHARS = new Set([...'的了是在和与以而及等为也就都去看着过得地之其所于对把被向从到由这那有不']);

/**
 * Characters that look mistyped in running text, judged by document frequencies of bigrams (the search index's
 * `search_terms` in the Worker, a corpus in the eval): a character whose bigrams with both neighbours appear in
 * no document, while a character usually meant in its place (typo-chars.ts) makes bigrams that many documents
 * have — 程序正档原则: 正档, 档原 are in none, 正当 and 当原 are common, so 档 is probably 当.
 */
export function suspectCharacters(text: string, df: (bigram: string) => number): SuspectCharacter[] {
  const chars = [...text];
  const han = (c: string | undefined) => c !== undefined && /\p{Script=Han}/u.test(c);
  const out: SuspectCharacter[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (!han(c)) continue;
    const prev = han(chars[i - 1]) ? chars[i - 1]! : null;
    const next = han(chars[i + 1]) ? chars[i + 1]! : null;
    if (!prev || !next || FUNCTION_CHARS.has(c)) continue;
    const pairs = (x: string) => [prev + x, x + next];
    if (pairs(c).some((p) => df(p) > SUSPECT.rare)) continue;
    let best: { right: string; score: number } | null = null;
    for (const r of confusions().get(c) ?? []) {
      const score = Math.min(...pairs(r).map(df));
      if (score >= SUSPECT.common && (!best || score > best.score)) best = { right: r, score };
    }
    if (best) out.push({ at: i, wrong: c, right: best.right, excerpt: chars.slice(Math.max(0, i - 8), i + 9).join('') });
  }
  return out;
}

/** Every bigram `suspectCharacters` may ask about for a text: its own and those of the usual replacements. */
export function bigramsToLookUp(text: string): string[] {
  const chars = [...text];
  const out = new Set<string>();
  for (let i = 0; i < chars.length; i++) {
    for (const c of [chars[i]!, ...(confusions().get(chars[i]!) ?? [])]) {
      if (i > 0) out.add(chars[i - 1]! + c);
      if (i + 1 < chars.length) out.add(c + chars[i + 1]!);
    }
  }
  return [...out].filter((b) => /^\p{Script=Han}{2}$/u.test(b));
}

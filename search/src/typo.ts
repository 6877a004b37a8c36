/**
 * Typo correction for keyword queries. Chinese typos are mostly one wrong character of the same sound or
 * shape (公积金 → 公基金); its bigrams then appear in no document. For each character of an unknown bigram
 * the confusion list (typo-chars.ts) proposes the characters usually meant; a variant whose bigrams are all
 * in the index wins, preferring the one whose rarest bigram is most common (the likeliest intended phrase).
 */
import { TYPO_CHARS } from './typo-chars.ts';
import { runTokens, runs } from './tokenize.ts';

let table: Map<string, string[]> | null = null;
function confusions(): Map<string, string[]> {
  table ??= new Map(TYPO_CHARS.split('\n').map((l) => { const [wrong, ...right] = [...l]; return [wrong!, right]; }));
  return table;
}

const MAX_VARIANTS = 60;
const tokensOf = (text: string) => [...new Set(runs(text).flatMap(runTokens))];

export interface Correction { text: string; tokens: string[]; df: Map<string, number> }

export async function correction(
  text: string, tokens: readonly string[], df: ReadonlyMap<string, number>, lookup: (tokens: string[]) => Promise<Map<string, number>>,
): Promise<Correction | null> {
  const unknown = new Set(tokens.filter((t) => !df.has(t)));
  const chars = [...text];
  const variants: string[] = [];
  chars.forEach((c, i) => {
    const suspect = unknown.has(c + (chars[i + 1] ?? '')) || unknown.has((chars[i - 1] ?? '') + c);
    if (!suspect) return;
    for (const r of confusions().get(c) ?? []) if (variants.length < MAX_VARIANTS) variants.push([...chars.slice(0, i), r, ...chars.slice(i + 1)].join(''));
  });
  if (variants.length === 0) return null;
  const candidates = variants.map((v) => ({ text: v, tokens: tokensOf(v) }));
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

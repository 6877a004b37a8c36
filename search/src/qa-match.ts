/**
 * Policy Q&A matching, the pure part: which tokens of a question carry its meaning, when a query is worth an
 * answer look-up, and how similar a citizen's question is to a knowledge-base question. qa-d1.ts fetches the
 * candidates and the token statistics; the Worker and `npm run eval:qa` both score through `similarity`.
 */
import { runTokens, runs } from './tokenize.ts';

/**
 * Words that say "this is a question" but not what it is about. Two phrasings of one question differ mostly
 * here (如何办理 / 怎么办理 / 办理流程是什么), so they are cut out before tokenizing — as separators, so no
 * bigram straddles the cut. Longest first, so 什么时候 goes whole rather than leaving 时候.
 */
const QUESTION_WORDS = [
  '什么时候',
  '是不是',
  '能不能',
  '可不可以',
  '有没有',
  '是什么',
  '有哪些',
  '为什么',
  '怎么办',
  '怎么样',
  '什么样',
  '多长时间',
  '请问',
  '咨询',
  '什么',
  '哪些',
  '哪个',
  '哪里',
  '哪儿',
  '如何',
  '怎么',
  '怎样',
  '是否',
  '能否',
  '可否',
  '可以吗',
  '多少',
  '多久',
  '何时',
  '何地',
  '何种',
  '有何',
  '为何',
  '几个',
  '几天',
  '吗',
  '呢',
  '吧',
  '啊',
  '呀',
  '的',
  '了',
].sort((a, b) => b.length - a.length);
const QUESTION_WORD_RE = new RegExp(QUESTION_WORDS.join('|'), 'g');
/** The words that make a query a question (particles like 的/了 do not). */
const ASKING_RE = new RegExp([...QUESTION_WORDS.filter((w) => !['的', '了', '吧', '啊', '呀'].includes(w)), '[?]'].join('|'));
const HAN_RE = /\p{Script=Han}/gu;

/**
 * From this many Han characters a query is treated as a question even without a question word: it is past
 * the 6 bigrams up to which the search itself treats a query as keywords (search/src/d1-search.ts).
 */
export const LONG_QUERY_CHARS = 8;
/** Fewer content tokens than this and there is nothing to match on (e.g. 怎么办 alone). */
export const MIN_QUERY_TOKENS = 2;
/**
 * Score from which a knowledge-base question counts as the same question: the lowest at which fewer than 2 %
 * of unrelated questions get a card, measured by `npm run eval:qa` (docs/benchmarks.md). Held-out questions on
 * another aspect of a notice the KB covers (进展 / 成效, 流程 / 条件) get a wrong card 2–3 % of the time here;
 * 0.90 cuts that to 0.5 %, but from 0.85 plain rephrasings (能不能 for 可以…吗) and many one-typo questions fail.
 */
export const ANSWER_THRESHOLD = 0.75;

/** A question with its question words and particles replaced by spaces (NFKC-normalised). */
export const withoutQuestionWords = (text: string) => text.normalize('NFKC').replace(QUESTION_WORD_RE, ' ');

/** Distinct content tokens of a question, in order: question words removed, Han bigrams, Latin/digit words. */
export function qaTokens(text: string): string[] {
  const stripped = withoutQuestionWords(text);
  const out = new Set<string>();
  for (const run of runs(stripped)) {
    // A lone Han character is what cutting a question word leaves behind (有, 是, 要): it says nothing.
    if (/^\p{Script=Han}$/u.test(run)) continue;
    for (const t of runTokens(run)) out.add(t);
  }
  return [...out];
}

/** The token stream a knowledge-base question is indexed under (qa_fts), built like the query's tokens. */
export const qaIndexText = (question: string) => qaTokens(question).join(' ');

/** Whether a query is worth an answer look-up: a question mark or question word, or a long query. */
export function isQuestionLike(raw: string): boolean {
  const text = raw.normalize('NFKC');
  if (qaTokens(text).length < MIN_QUERY_TOKENS) return false;
  return ASKING_RE.test(text) || (text.match(HAN_RE)?.length ?? 0) >= LONG_QUERY_CHARS;
}

/** BM25's inverse document frequency: a token held by few knowledge-base questions weighs more. */
export function idf(df: number, n: number): number {
  return Math.log(1 + (Math.max(n, df) - df + 0.5) / (df + 0.5));
}

/**
 * How much two questions say the same thing, 0–1: the idf weight of the tokens they share, as a share of each
 * question's weight, combined as a harmonic mean — both must be covered, so a short knowledge-base question
 * inside a long, different query scores low, as does a long one that the query only touches. A token absent
 * from the knowledge base (df 0) weighs most: a query about something no entry mentions is not answered.
 */
export function similarity(query: readonly string[], candidate: readonly string[], weight: (token: string) => number): number {
  const c = new Set(candidate);
  let shared = 0;
  let queryWeight = 0;
  let candidateWeight = 0;
  for (const t of new Set(query)) {
    const w = weight(t);
    queryWeight += w;
    if (c.has(t)) shared += w;
  }
  for (const t of c) candidateWeight += weight(t);
  if (shared === 0 || queryWeight === 0 || candidateWeight === 0) return 0;
  const a = shared / queryWeight;
  const b = shared / candidateWeight;
  return (2 * a * b) / (a + b);
}

/**
 * What a question asks for, when it is something specific: a time, an amount, a place, a reason. Question words
 * are cut before the token overlap, so 平台何时开通 and 平台包括哪些资源 would otherwise differ by one bigram;
 * asking for different kinds of thing makes them different questions. Time and amount also count when named
 * (开通时间是什么 asks for a time), so a rephrasing keeps its kind.
 */
const KINDS = [
  ['time', /什么时候|何时|多久|多长时间|多少天|几天|几个月|几月|几号|哪天|时间|日期|期限/],
  ['amount', /多少|几(?!乎)|数量/],
  ['place', /哪里|哪儿|何地|在哪|地点|地址/],
  ['reason', /为什么|为何|原因/],
] as const;
export type QuestionKind = (typeof KINDS)[number][0];
export function questionKind(text: string): QuestionKind | null {
  const t = text.normalize('NFKC');
  return KINDS.find(([, re]) => re.test(t))?.[0] ?? null;
}
/** Score factor for two questions that ask for different kinds of thing (measured: docs/benchmarks.md). */
export const KIND_MISMATCH = 0.8;

export interface Scored<T> {
  item: T;
  score: number;
}

/** The best-scoring candidate (ties: the earlier, i.e. better BM25 rank), or null when there are none. */
export function bestMatch<T extends { question: string }>(
  query: string,
  candidates: readonly T[],
  df: ReadonlyMap<string, number>,
  n: number,
): Scored<T> | null {
  const q = qaTokens(query);
  const kind = questionKind(query);
  const weight = (t: string) => idf(df.get(t) ?? 0, n);
  let best: Scored<T> | null = null;
  for (const item of candidates) {
    const score = similarity(q, qaTokens(item.question), weight) * (questionKind(item.question) === kind ? 1 : KIND_MISMATCH);
    if (!best || score > best.score) best = { item, score };
  }
  return best;
}

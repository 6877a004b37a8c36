/**
 * Answering a policy question from the documents themselves, the pure part: a question becomes content words
 * ("units"), each with the ways documents say it (a citizen's 老人 is a document's 老年人: qa-colloquial.ts and
 * the search synonym groups); a document body becomes passages (sentences, long ones cut at commas); a passage
 * scores the idf-weighted share of the question's units it holds — the title may supply context at half
 * weight — lowered when the question asks for a kind of thing (a time, an amount, a procedure) the passage
 * does not contain. qa-passage-d1.ts fetches the candidate documents and the document frequencies.
 */
import { COLLOQUIAL, type ColloquialEntry } from './qa-colloquial.ts';
import { idf, withoutQuestionWords } from './qa-match.ts';
import type { SynonymGroups } from './synonyms.ts';
import { runTokens, runs } from './tokenize.ts';

/** A content word of a question and the strings a passage may hold instead of it (itself included). */
export interface Unit {
  text: string;
  alts: readonly string[];
}
/** term → the strings that stand for it in documents. */
export type Dictionary = ReadonlyMap<string, readonly string[]>;

/** Colloquial question words qa-match.ts does not cut (it serves curated questions written in standard usage). */
const EXTRA_QUESTION_WORDS = /能不能|可不可以|可以不|要不要|啥时候|咋办|咋样|怎么样|啥|咋|谁|吗|呢/g;
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN1 = /^\p{Script=Han}$/u;

/** The dictionary: colloquial entries (one way) and the search synonym groups (every term stands for the others). */
export function buildDictionary(groups: SynonymGroups, colloquial: readonly ColloquialEntry[] = COLLOQUIAL): Dictionary {
  const out = new Map<string, Set<string>>();
  const add = (term: string, alts: readonly string[]) => {
    const set = out.get(term) ?? new Set([term]);
    for (const a of alts) set.add(a);
    out.set(term, set);
  };
  for (const g of groups) for (const t of g) add(t, g);
  for (const e of colloquial) add(e.term, e.official);
  return new Map([...out].map(([k, v]) => [k, [...v]]));
}

/**
 * The content words of a question. Dictionary terms of two or more characters are found first, longest first;
 * the rest is cut into words by Intl.Segmenter, where a run of single characters stays together (医保缴费期 is
 * segmented 医|保|缴|费|期) and becomes its bigrams; a single-character dictionary term (领) counts only when it
 * stands as a word of its own, so 领 in 领导 is never read as 领取.
 */
export function questionUnits(question: string, dict: Dictionary): Unit[] {
  const text = withoutQuestionWords(question).replace(EXTRA_QUESTION_WORDS, ' ');
  const terms = [...dict.keys()].filter((t) => [...t].length >= 2).sort((a, b) => b.length - a.length);
  const units = new Map<string, Unit>();
  const addUnit = (t: string, alts: readonly string[]) => {
    if (!units.has(t)) units.set(t, { text: t, alts });
  };
  const rest = (s: string) => {
    let single = '';
    const flush = () => {
      for (const b of single.length >= 2 ? runTokens(single) : []) addUnit(b, [b]);
      single = '';
    };
    for (const { segment } of segmenter.segment(s)) {
      if (HAN1.test(segment)) {
        const alts = dict.get(segment);
        if (alts) {
          flush();
          addUnit(
            segment,
            alts.filter((a) => a !== segment),
          );
        } else single += segment;
        continue;
      }
      flush();
      if (/^\p{Script=Han}+$/u.test(segment)) addUnit(segment, [segment]);
      else if (/^[\p{L}\p{N}]+$/u.test(segment) && segment.length >= 2) addUnit(segment.toLowerCase(), [segment.toLowerCase()]);
    }
    flush();
  };
  for (const run of runs(text)) {
    let from = 0;
    for (let i = 0; i < run.length;) {
      const t = terms.find((x) => run.startsWith(x, i));
      if (!t) {
        i++;
        continue;
      }
      rest(run.slice(from, i));
      addUnit(t, dict.get(t)!);
      i += t.length;
      from = i;
    }
    rest(run.slice(from));
  }
  return [...units.values()];
}

/** The index tokens (bigrams, Latin words) of a string: what its document frequency is read from. */
export const tokensOf = (s: string) => runs(s).flatMap(runTokens);

/**
 * A unit's weight: the mean idf of the tokens of its most common way of being said (a unit a document can say
 * in an everyday word weighs like that word). A unit no document holds weighs most: a question about something
 * the documents never mention is not answered.
 */
export function unitWeight(u: Unit, df: ReadonlyMap<string, number>, n: number): number {
  let best = Infinity;
  for (const a of u.alts) {
    const toks = tokensOf(a);
    if (toks.length === 0) continue;
    const w = toks.reduce((s, t) => s + idf(df.get(t) ?? 0, n), 0) / toks.length;
    best = Math.min(best, w);
  }
  return Number.isFinite(best) ? best : idf(0, n);
}

/** Longest passage shown or scored whole; longer sentences are cut at commas. */
const MAX_PASSAGE = 160;
/** A sentence shorter than this (a heading, 一、) is joined to the next. */
const MIN_PASSAGE = 12;

/** A body's passages: its sentences, short ones joined to the next, long ones cut at commas. */
export function splitPassages(body: string): string[] {
  const out: string[] = [];
  let carry = '';
  // Sentence ends, line breaks, and the start of a numbered item (一、 （二） 3.) end a passage.
  for (const raw of body.split(/(?<=[。！？；;!?])|\n+|\s+(?=[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、](?!\d))/)) {
    const s = (carry + raw.trim()).replace(/\s+/g, ' ').trim();
    if (!s) continue;
    if ([...s].length < MIN_PASSAGE) {
      carry = s + (/[。！？；;：:]$/.test(s) ? '' : ' ');
      continue;
    }
    carry = '';
    if ([...s].length <= MAX_PASSAGE) {
      out.push(s);
      continue;
    }
    let part = '';
    for (const piece of s.split(/(?<=[，,])/)) {
      if (part && [...part].length + [...piece].length > MAX_PASSAGE) {
        out.push(part);
        part = '';
      }
      part += piece;
    }
    if (part) out.push(part);
  }
  if (carry.trim()) out.push(carry.trim());
  return out;
}

/**
 * What a question asks for, and what a passage that answers it contains: 多久 wants a time or a term, 多少 an
 * amount or a standard, 怎么领 a procedure, 哪些条件 conditions, 哪里 a place.
 */
const CUES = [
  {
    kind: 'time',
    asks: /多久|多长时间|什么时候|啥时候|何时|哪天|几号|几月|期限|截止|多少天|几天|几个月|时限/,
    has: /[\d一二两三四五六七八九十]+个?(年|月|日|天|周|工作日|小时)|期限|之前|以前|以内|截至|截止|延长至|月底|年底/,
  },
  { kind: 'amount', asks: /多少|几元|标准|金额|比例|费率/, has: /\d|[一二三四五六七八九十百千万]+(元|倍|%)|元|标准|比例|%|费率/ },
  { kind: 'how', asks: /怎么|如何|怎样|咋|流程|程序|手续|步骤|途径/, has: /申请|办理|提交|提出|向|通过|登录|凭|持|按照|按规定|经办|领取|发放|缴纳|报销|备案/ },
  { kind: 'conditions', asks: /哪些|什么条件|条件|资格|哪类|范围/, has: /条件|符合|以下|包括|范围|对象|应当|可以|的，/ },
  { kind: 'place', asks: /哪里|在哪|哪儿|地点|地址|何地/, has: /地点|地址|窗口|中心|大厅|网站|平台|机构|部门|向/ },
] as const;
export type Cue = (typeof CUES)[number]['kind'];

export function questionCue(question: string): Cue | null {
  const q = question.normalize('NFKC');
  return CUES.find((c) => c.asks.test(q))?.kind ?? null;
}
export const passageHasCue = (passage: string, cue: Cue) => CUES.find((c) => c.kind === cue)!.has.test(passage.normalize('NFKC'));

/** Score factor for a passage that lacks what the question asks for (a 多久 question and no time in it). */
export const CUE_MISSING = 0.7;
/** Share of a unit's weight the document title gives when the passage itself does not hold it. */
export const TITLE_SHARE = 0.5;

export interface WeightedUnit extends Unit {
  weight: number;
}

/**
 * Han characters a passage must hold beyond the question's own words: a heading or a sentence that only
 * restates the question (the title line at the top of a body) answers nothing.
 */
export const MIN_NEW_CHARS = 6;

/** The weighted share of the units a passage holds, its title at TITLE_SHARE: the score before the checks. */
function coverage(units: readonly WeightedUnit[], p: string, t: string): number {
  let total = 0;
  let covered = 0;
  for (const u of units) {
    total += u.weight;
    if (u.alts.some((a) => p.includes(a))) covered += u.weight;
    else if (u.alts.some((a) => t.includes(a))) covered += u.weight * TITLE_SHARE;
  }
  return total === 0 ? 0 : covered / total;
}

/** The score of a passage and title already NFKC-normalised, the title line taken out of the passage. */
function scoreNormalised(units: readonly WeightedUnit[], p: string, t: string, cue: Cue | null): number {
  const share = coverage(units, p, t);
  if (share === 0) return 0;
  let rest = p;
  for (const u of units) for (const a of u.alts) if (rest.includes(a)) rest = rest.split(a).join(' ');
  if ((rest.match(/\p{Script=Han}/gu)?.length ?? 0) < MIN_NEW_CHARS) return 0;
  return share * (cue && !passageHasCue(p, cue) ? CUE_MISSING : 1);
}

/** How well a passage answers: weighted share of the question's units it (or, at TITLE_SHARE, its title) holds. */
export function scorePassage(units: readonly WeightedUnit[], passage: string, title: string, cue: Cue | null): number {
  const t = title.normalize('NFKC');
  // The title repeated at the top of the body is context, not an answer.
  return scoreNormalised(units, passage.normalize('NFKC').replace(t, ' '), t, cue);
}

export interface PassageDoc {
  id: string;
  title: string;
  body: string;
}
export interface PassageHit<D extends PassageDoc = PassageDoc> {
  doc: D;
  passage: string;
  score: number;
}

/** How a sentence that continues the one before it begins. */
const LEANS_BACK = /^(其中|其|同时|此外|另外|但|但是|并|并且|该|上述|对此|为此|对上述|以上)/;

/** Fewer content words than this and a question says too little to be answered from a document. */
export const MIN_UNITS = 2;
/**
 * Characters read per document, and over all candidates: bounds the Worker's CPU (≈ 0.1 ms per 1,000
 * characters, docs/benchmarks.md) however long the regulations in the candidates are.
 */
export const MAX_BODY_CHARS = 20_000;
export const MAX_SCAN_CHARS = 50_000;

/** The best passage of the candidate documents (ties: the shorter passage, then the better ranked document). */
export function bestPassage<D extends PassageDoc>(units: readonly WeightedUnit[], cue: Cue | null, docs: readonly D[]): PassageHit<D> | null {
  if (units.length < MIN_UNITS) return null;
  let best: PassageHit<D> | null = null;
  let budget = MAX_SCAN_CHARS;
  for (const doc of docs) {
    if (budget <= 0) break;
    const body = doc.body.slice(0, Math.min(MAX_BODY_CHARS, budget));
    budget -= body.length;
    const t = doc.title.normalize('NFKC');
    // Scored NFKC-normalised (as questions are), shown as written: the card quotes the document.
    const passages = splitPassages(body);
    passages.forEach((passage, i) => {
      const p = passage.normalize('NFKC').replace(t, ' ');
      // Coverage bounds the score: most passages are out of the running before the costlier checks.
      if (best && coverage(units, p, t) < best.score) return;
      const score = scoreNormalised(units, p, t, cue);
      // Of equal passages the shorter says it more directly.
      if (best && (score < best.score || (score === best.score && passage.length >= best.passage.length))) return;
      // A sentence that leans on the one before (其中, 同时 …) is shown with it, or the card would not make sense.
      best = { doc, passage: i > 0 && LEANS_BACK.test(passage) ? passages[i - 1]! + passage : passage, score };
    });
  }
  return best;
}

/**
 * SearchParams as Meilisearch search requests: the query as bigram words (the index searches bigram fields,
 * documents.ts), synonyms as the single-word keys of settings.ts, and every filter as a filter expression with
 * its values quoted and escaped, so nothing a caller sends can change the expression.
 */
import type { SearchParams as MeiliSearchParams } from 'meilisearch';
import type { SearchParams } from '../schema.ts';
import { runs } from '../tokenize.ts';
import { MAX_ISSUER_FILTER, placementKey, type PlacementFacts } from './documents.ts';
import { LOCALE, SYNONYM_KEY_RE } from './settings.ts';

const HAN = /^\p{Script=Han}/u;
/** Meilisearch reads at most ten words of a query and ignores the rest. */
export const MAX_QUERY_WORDS = 10;
/**
 * Up to this many words a query counts as keywords: every word must match, synonyms apply. jieba may split a
 * bigram that is not a dictionary word (会保 → 会 保) on both sides alike, so five words stay within ten. Longer
 * queries are questions: Meilisearch drops their commonest words until documents match, and synonyms stay out
 * (the D1 index found expanding questions skews ranking toward documents that repeat the synonyms).
 */
export const KEYWORD_QUERY_WORDS = 5;
/** Words of the snippet cropped from the body (jieba words, about two characters each). */
export const CROP_WORDS = 40;

/**
 * Words of one run. A Han run becomes bigrams that cover it without overlap (住房公积金 → 住房 公积 积金): every
 * bigram of the text is in the bigram fields, so covering suffices to match, and it halves the words spent
 * against Meilisearch's ten-word limit. A lone character stays itself (it matches as a prefix of bigrams);
 * other letters and digits are one lower-cased word, as the index has them.
 */
export function coverWords(run: string): string[] {
  const chars = [...run];
  if (chars.length === 0) return [];
  if (!HAN.test(run)) return [run.toLowerCase()];
  if (chars.length <= 2) return [run];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i += 2) out.push(chars[i]! + chars[i + 1]!);
  if (chars.length % 2 === 1) out.push(chars[chars.length - 2]! + chars[chars.length - 1]!);
  return out;
}

/** A synonym group as the query builder needs it: its key, and each term as its runs of text. */
export interface SynonymRule {
  key: string;
  terms: string[][];
}

/**
 * The terms of a group back from their bigram forms in the index's synonyms object (`社会 会保 保险` →
 * 社会保险): overlapping Han bigrams chain into one run; a word that does not chain starts a new run.
 */
export function termRuns(form: string): string[] {
  const out: string[] = [];
  let prev: string[] | null = null;
  for (const word of form.split(' ').filter(Boolean)) {
    const chars = [...word];
    const bigram = chars.length === 2 && HAN.test(word);
    if (bigram && prev && prev.length === 2 && HAN.test(prev[0]!) && prev[1] === chars[0]) out[out.length - 1] += chars[1]!;
    else out.push(word);
    prev = chars;
  }
  return out;
}

/** Rules from the index's synonyms object; entries not written by settings.ts are ignored. */
export function synonymRules(synonyms: Record<string, unknown>): SynonymRule[] {
  const rules: SynonymRule[] = [];
  for (const [key, forms] of Object.entries(synonyms)) {
    if (!SYNONYM_KEY_RE.test(key) || !Array.isArray(forms)) continue;
    const terms = forms
      .filter((f): f is string => typeof f === 'string')
      .map(termRuns)
      .filter((t) => t.length > 0);
    if (terms.length) rules.push({ key, terms });
  }
  return rules;
}

const sameRun = (a: string, b: string) => (HAN.test(a) ? a === b : a.toLowerCase() === b.toLowerCase());

/**
 * Keyword-query words with synonym terms replaced by their group's key. Terms are found as in the D1 index (a
 * term anywhere in the query, 社会保险 inside 社会保险缴费), longest first, and taken out of the run they sit in,
 * so no bigram spans a term and its neighbour (险缴 would demand the full form next to 缴费). Terms of several
 * runs (5G 网络) match whole runs.
 */
export function rewriteWithSynonyms(queryRuns: readonly string[], rules: readonly SynonymRule[]): string[] {
  const inRun: { text: string; chars: number; key: string }[] = [];
  const multi: { runs: string[]; key: string }[] = [];
  for (const r of rules)
    for (const t of r.terms) {
      if (t.length === 1) inRun.push({ text: t[0]!, chars: [...t[0]!].length, key: r.key });
      else multi.push({ runs: t, key: r.key });
    }
  inRun.sort((a, b) => b.chars - a.chars);
  multi.sort((a, b) => b.runs.length - a.runs.length);

  const words: string[] = [];
  for (let j = 0; j < queryRuns.length;) {
    const m = multi.find((t) => t.runs.every((r, k) => queryRuns[j + k] !== undefined && sameRun(queryRuns[j + k]!, r)));
    if (m) {
      words.push(m.key);
      j += m.runs.length;
      continue;
    }
    const run = queryRuns[j++]!;
    if (!HAN.test(run)) {
      words.push(inRun.find((t) => !HAN.test(t.text) && sameRun(t.text, run))?.key ?? run.toLowerCase());
      continue;
    }
    const chars = [...run];
    let pending = '';
    for (let i = 0; i < chars.length;) {
      const hit = inRun.find((t) => HAN.test(t.text) && chars.slice(i, i + t.chars).join('') === t.text);
      if (hit) {
        words.push(...coverWords(pending), hit.key);
        pending = '';
        i += hit.chars;
      } else pending += chars[i++];
    }
    words.push(...coverWords(pending));
  }
  return words;
}

export interface QueryPlan {
  /** Space-separated words for Meilisearch's `q`; empty when the query has no words. */
  q: string;
  /** Keyword query: every word must match (falling back to `frequency` when nothing does). */
  keyword: boolean;
}

/** The words to send for a cleaned query (query.ts of the package cleans it). */
export function queryPlan(cleanedText: string, rules: readonly SynonymRule[]): QueryPlan {
  const queryRuns = runs(cleanedText);
  const plain = queryRuns.flatMap(coverWords);
  const keyword = plain.length <= KEYWORD_QUERY_WORDS;
  const words = keyword ? rewriteWithSynonyms(queryRuns, rules) : plain;
  return { q: [...new Set(words)].slice(0, MAX_QUERY_WORDS).join(' '), keyword };
}

/**
 * A string value as a filter literal. Inside double quotes Meilisearch unescapes `\"` and then the usual
 * backslash escapes (`\\` → `\`), so backslashes are doubled first and quotes escaped after.
 */
export function quoteFilterValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * One condition per filter set in the params, with the D1 index's meaning: the issuer filter matches a part
 * of the issuer, region 45 the whole region, and facts of placements (site, column, level, region) must hold
 * on one and the same placement — one fact is looked up in its flattened array, several in placementKeys.
 */
export function filterConditions(p: Pick<SearchParams, 'site' | 'kind' | 'validity' | 'year' | 'issuer' | 'column' | 'level' | 'region'>): string[] {
  const out: string[] = [];
  const eq = (attribute: string, value: string | undefined) => {
    if (value !== undefined) out.push(`${attribute} = ${quoteFilterValue(value)}`);
  };
  const facts: PlacementFacts = {
    ...(p.site !== undefined ? { site: p.site } : {}),
    ...(p.column !== undefined ? { column: p.column } : {}),
    ...(p.level !== undefined ? { level: p.level } : {}),
    ...(p.region !== undefined ? { region: p.region } : {}),
  };
  if (Object.keys(facts).length > 1) eq('placementKeys', placementKey(facts));
  else {
    eq('siteIds', facts.site);
    eq('columnKinds', facts.column);
    eq('levels', facts.level);
    eq('regions', facts.region);
  }
  eq('kind', p.kind);
  eq('validity', p.validity);
  if (p.year !== undefined) {
    if (!Number.isInteger(p.year)) throw new Error(`年份无效：${p.year}`);
    out.push(`year = ${p.year}`);
  }
  if (p.issuer !== undefined) {
    if ([...p.issuer].length > MAX_ISSUER_FILTER) throw new Error(`发文机关不能超过 ${MAX_ISSUER_FILTER} 个字`);
    eq('issuerParts', p.issuer);
  }
  return out;
}

export const docNumberIs = (number: string) => `docNumber = ${quoteFilterValue(number)}`;
export const docNumberIsNot = (number: string) => `docNumber != ${quoteFilterValue(number)}`;
const joinFilter = (conditions: readonly string[]) => (conditions.length ? conditions.join(' AND ') : undefined);

/** Fields a hit is built from; body is left out (a document's body can be megabytes), the snippet crops it. */
export const RETRIEVED_ATTRIBUTES = ['id', 'title', 'docNumber', 'kind', 'issuer', 'validity', 'publishedAt', 'summary', 'placements', 'area'];

/** Placeholder highlight tags, unique per request, so that they can be told apart from any text (backend.ts). */
export interface Marks {
  pre: string;
  post: string;
}

export interface TextRequest {
  plan: QueryPlan;
  strategy: 'all' | 'frequency';
  conditions: readonly string[];
  sort: SearchParams['sort'];
  page: number;
  hitsPerPage: number;
  marks: Marks;
}

export function textSearchRequest(r: TextRequest): MeiliSearchParams {
  const filter = joinFilter(r.conditions);
  return {
    q: r.plan.q,
    matchingStrategy: r.strategy,
    ...(filter ? { filter } : {}),
    ...(r.sort === 'date' ? { sort: ['publishedTs:desc'] } : {}),
    // page/hitsPerPage rather than offset/limit: only they give an exact totalHits.
    page: r.page,
    hitsPerPage: r.hitsPerPage,
    attributesToRetrieve: RETRIEVED_ATTRIBUTES,
    attributesToHighlight: ['body', 'summary'],
    attributesToCrop: ['body'],
    cropLength: CROP_WORDS,
    cropMarker: '…',
    highlightPreTag: r.marks.pre,
    highlightPostTag: r.marks.post,
    locales: [LOCALE],
  };
}

/** Documents carrying one 发文字号 (a handful at most), newest first. */
export const DOC_NUMBER_LIMIT = 50;
export function docNumberRequest(number: string, conditions: readonly string[]): MeiliSearchParams {
  return {
    q: null,
    filter: joinFilter([docNumberIs(number), ...conditions]),
    sort: ['publishedTs:desc'],
    page: 1,
    hitsPerPage: DOC_NUMBER_LIMIT,
    attributesToRetrieve: RETRIEVED_ATTRIBUTES,
  };
}

/**
 * The Meilisearch index settings, and the synonym dictionary in the form the index needs. Requires
 * Meilisearch 1.15 or later (typoTolerance.disableOnNumbers; localizedAttributes since 1.10).
 */
import type { Settings, Synonyms } from 'meilisearch';
import { indexText } from '../tokenize.ts';
import type { SynonymGroups } from '../synonyms.ts';

/**
 * Only the bigram streams are searched (documents.ts says why). Their order is the attribute rank:
 * title ≫ 发文字号 ≫ keywords ≫ body, the same order of weight as the D1 index's bm25 (8, 6, 4, 1).
 */
export const SEARCHABLE_ATTRIBUTES = ['titleGrams', 'docNumberGrams', 'keywordsGrams', 'bodyGrams'] as const;
/**
 * An attribute per SearchParams filter (issuer through its parts; placement facts one by one, or combined in
 * placementKeys), plus docNumber for the exact 发文字号 look-up.
 */
export const FILTERABLE_ATTRIBUTES = [
  'siteIds',
  'kind',
  'validity',
  'year',
  'issuerParts',
  'columnKinds',
  'levels',
  'regions',
  'placementKeys',
  'docNumber',
] as const;
export const SORTABLE_ATTRIBUTES = ['publishedTs'] as const;
/** What a hit is built from; body is displayed only so that it can be cropped into the snippet. */
export const DISPLAYED_ATTRIBUTES = [
  'id',
  'title',
  'docNumber',
  'kind',
  'issuer',
  'validity',
  'publishedAt',
  'summary',
  'placements',
  'interprets',
  'area',
  'body',
] as const;
/** Totals are exact up to here, as in the D1 index (“1000+” beyond). */
export const COUNT_CAP = 1000;
/** One more than the cap, so that a total above the cap can be told from one exactly at it. */
export const MAX_TOTAL_HITS = COUNT_CAP + 1;
/** ISO 639-3 code Meilisearch takes for Chinese. */
export const LOCALE = 'zho';

/**
 * - `words` first: a query that had to drop words (matchingStrategy `frequency`) ranks documents with more of
 *   them first (Meilisearch puts it before the other relevancy rules anyway; stated where it acts).
 * - `sort` next: with sort=date the hits come newest first, as the D1 index orders them; without a sort
 *   parameter the rule does nothing.
 * - `attribute` before `proximity`: a title hit outranks a body hit even when the body has the words closer
 *   together (“title must outrank number/keywords, which outrank body”).
 * - `typo` late: Chinese bigrams never have typos, so it only orders Latin words.
 * - newest first among equals, standing in for the D1 index's recency boost.
 */
export const RANKING_RULES = ['words', 'sort', 'attribute', 'proximity', 'exactness', 'typo', 'publishedTs:desc'] as const;

export const INDEX_SETTINGS: Settings = {
  searchableAttributes: [...SEARCHABLE_ATTRIBUTES],
  filterableAttributes: [...FILTERABLE_ATTRIBUTES],
  sortableAttributes: [...SORTABLE_ATTRIBUTES],
  displayedAttributes: [...DISPLAYED_ATTRIBUTES],
  rankingRules: [...RANKING_RULES],
  // Policies and their interpretations are distinct hits; they are grouped above the backend.
  distinctAttribute: null,
  // Government text has no stop words to drop: 的 and 和 are parts of bigrams such as 的士 or 和谐.
  stopWords: [],
  typoTolerance: {
    enabled: true,
    // Typo tolerance never applies to Chinese; for Latin words and numbers it would do harm here: 2024 would
    // find 2025, and one wrong digit in a 发文字号 is a different document.
    disableOnNumbers: true,
    disableOnAttributes: ['docNumberGrams'],
    minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
  },
  pagination: { maxTotalHits: MAX_TOTAL_HITS },
  // Chinese for every attribute, so that a short Han query is never detected as Japanese and segmented
  // differently from the documents (the search request names the same locale).
  localizedAttributes: [{ attributePatterns: ['*'], locales: [LOCALE] }],
};

/**
 * Synonym groups as a Meilisearch synonyms object. Meilisearch only looks up synonyms for query terms of one to
 * three words, and our query is bigrams, which jieba may split further: 社会保险 is 社会 会保 保险 (three or
 * more words), 最低生活保障 is five bigrams. Keyed by the terms themselves, most full forms would never expand
 * to their abbreviations. So each group gets one single-word key that appears in no document (`ywtcsyn` and
 * four letters), whose synonyms are the bigram forms of every term of the group (phrases, so each matches
 * exactly that term in the bigram fields). The query builder (query.ts) replaces any term of a group that a
 * keyword query contains by that key, so 社保 and 社会保险 both search “社保 OR 社会保险”, as in the D1 index.
 */
export const SYNONYM_KEY_PREFIX = 'ywtcsyn';
const KEY_LETTERS = 4;
export const SYNONYM_KEY_RE = new RegExp(`^${SYNONYM_KEY_PREFIX}[a-z]{${KEY_LETTERS}}$`);

/** The n-th group's key: letters only (no digit/letter split in the tokenizer), fixed width. */
export function synonymKey(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n >= 26 ** KEY_LETTERS) throw new Error(`同义词组过多：${n}`);
  let s = '';
  for (let i = 0, v = n; i < KEY_LETTERS; i++, v = Math.floor(v / 26)) s = String.fromCharCode(97 + (v % 26)) + s;
  return SYNONYM_KEY_PREFIX + s;
}

export function synonymsObject(groups: SynonymGroups): NonNullable<Synonyms> {
  const out: Record<string, string[]> = {};
  let n = 0;
  for (const g of groups) {
    const forms = [...new Set(g.map((t) => indexText(t)).filter((f) => f !== ''))];
    if (forms.length < 2) continue; // a group needs two distinct terms to mean anything
    out[synonymKey(n++)] = forms;
  }
  return out;
}

/**
 * Near-duplicate detection for 数据融合 (issue 15): one notice reposted by several platforms must become one
 * document placed on many sites, while two notices of one template (two 招聘公告, two 征求意见 of different units
 * or dates) stay two documents.
 *
 * Three steps, cheapest first:
 *  1. `fingerprint` — the exact hash of the normalised text (dedupe-text.ts) and a 64-bit SimHash of its 3-gram
 *     shingles, cut into four 16-bit bands for the store's indexed look-up (document_fingerprints.band0..3).
 *  2. Candidates: documents sharing the exact hash or at least one band. Two SimHashes at most 3 bits apart
 *     always share a band (pigeonhole: 3 differing bits cannot touch all 4 bands).
 *  3. `isNearDuplicate` — the exact hash, or SimHash distance within SIMHASH_MAX_DISTANCE AND the alignment guard
 *     (dedupe-align.ts): after framing, only a few typo-sized edits and none touching a number, date or numeral.
 */
import { align, type Alignment } from './dedupe-align.ts';
import { hash64Hex, popcount32, simhash } from './dedupe-hash.ts';
import { normaliseForDedupe, type DedupeNormalised } from './dedupe-text.ts';

export { normaliseForDedupe, isBoilerplateLine, htmlToLines, type DedupeNormalised } from './dedupe-text.ts';

/** What the store keeps per document (document_fingerprints). */
export interface Fingerprint {
  /** 16 hex digits: the normalised title and body, hashed. Equal ⇒ the same notice, whatever the formatting. */
  exactHash: string;
  /** 16 hex digits: the 64-bit SimHash. */
  simhash: string;
  /** The SimHash's four 16-bit bands, high to low (band0..band3). */
  bands: [number, number, number, number];
}

/** A document ready to compare: its normalised text and its fingerprint. */
export interface DedupeDocument extends DedupeNormalised {
  fingerprint: Fingerprint;
}

/**
 * SimHash distance (bits of 64) within which a pair goes on to the alignment guard. 3 is the largest distance the
 * four-band look-up is guaranteed to retrieve, so the decision never accepts a pair the store could not have found.
 * On the dev split 99.4 % of the planted reposts sit within 3 bits; the rest are short notices with typos, where
 * one changed character moves several bits (docs/benchmarks.md, Deduplication).
 */
export const SIMHASH_MAX_DISTANCE = 3;

/**
 * Interior edits a repost may carry: typo fixes (的/地, 其它/其他) are rare and few in a reposted notice. On the dev
 * split 4, 6 and 8 found the same reposts and kept the same notices apart; the smallest is kept, as the stricter.
 */
export const MAX_EDITS = 4;

/**
 * Characters in one interior edit. A typo fix changes one character; a different unit, place or person changes
 * two or more in one place (南宁市 → 柳州市, 张伟 → 李娜). A one-character change of a name is therefore taken
 * for a typo — the limit of telling facts from typos without a dictionary of names.
 */
export const MAX_EDIT_CHARS = 1;

/** One-sided text at either end (a header or footer no rule caught, a truncated tail): share of the longer body. */
export const MAX_FRAMING_SHARE = 0.25;

/** …and at least this many characters, so that a short notice may still lose a one-line 来源 or 落款. */
export const MIN_FRAMING_CHARS = 60;

const bandsOf = (hi: number, lo: number): [number, number, number, number] => [hi >>> 16, hi & 0xffff, lo >>> 16, lo & 0xffff];

/** The exact hash, SimHash and bands of a normalised text. */
export function fingerprintNormalised(n: DedupeNormalised): Fingerprint {
  const text = n.title + n.body;
  const [hi, lo] = simhash(text);
  return {
    exactHash: hash64Hex(n.title + '\u0000' + n.body),
    simhash: hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0'),
    bands: bandsOf(hi, lo),
  };
}

/** The fingerprint of a document as the store keeps it. */
export const fingerprint = (title: string, bodyHtml: string): Fingerprint => fingerprintNormalised(normaliseForDedupe(title, bodyHtml));

/** Normalise once, fingerprint once: what `isNearDuplicate` compares. */
export function prepareForDedupe(title: string, bodyHtml: string): DedupeDocument {
  const n = normaliseForDedupe(title, bodyHtml);
  return { ...n, fingerprint: fingerprintNormalised(n) };
}

/** Bits differing between two SimHashes (16 hex digits each). */
export function hamming(a: string, b: string): number {
  const word = (s: string, from: number) => parseInt(s.slice(from, from + 8), 16);
  return popcount32(word(a, 0) ^ word(b, 0)) + popcount32(word(a, 8) ^ word(b, 8));
}

/** Whether two fingerprints share a band: the store's candidate test. */
export const sharesBand = (a: Fingerprint, b: Fingerprint) => a.bands.some((band, i) => band === b.bands[i]);

export interface DedupeOptions {
  maxDistance?: number;
  maxEdits?: number;
  maxEditChars?: number;
  maxFramingShare?: number;
}

export type DedupeReason = 'exact' | 'near' | 'simhash-far' | 'title-differs' | 'fact-differs' | 'text-differs' | 'framing-too-long';

/** A verdict with the evidence behind it, for the import report and the evaluation. */
export interface DedupeVerdict {
  duplicate: boolean;
  reason: DedupeReason;
  distance: number;
  body?: Alignment;
}

/** Compare two prepared documents; see the module comment for the steps. */
export function compareForDedupe(a: DedupeDocument, b: DedupeDocument, opts: DedupeOptions = {}): DedupeVerdict {
  const maxDistance = opts.maxDistance ?? SIMHASH_MAX_DISTANCE;
  const maxEdits = opts.maxEdits ?? MAX_EDITS;
  const maxEditChars = opts.maxEditChars ?? MAX_EDIT_CHARS;
  const distance = hamming(a.fingerprint.simhash, b.fingerprint.simhash);
  if (a.fingerprint.exactHash === b.fingerprint.exactHash && a.title === b.title && a.body === b.body) return { duplicate: true, reason: 'exact', distance };
  if (distance > maxDistance) return { duplicate: false, reason: 'simhash-far', distance };
  // Titles: no framing — a unit or a year added to a title makes it another notice's title.
  const title = align(a.title, b.title, 0, maxEdits);
  if (title.tooFar || title.framing > 0 || title.factEdit || title.repeatedChange || title.longestEdit > maxEditChars || title.edits > maxEdits)
    return { duplicate: false, reason: 'title-differs', distance };
  const longer = Math.max(a.body.length, b.body.length);
  const frameLimit = Math.max(MIN_FRAMING_CHARS, Math.floor((opts.maxFramingShare ?? MAX_FRAMING_SHARE) * longer));
  const body = align(a.body, b.body, frameLimit, maxEdits - title.edits);
  const verdict = (duplicate: boolean, reason: DedupeReason): DedupeVerdict => ({ duplicate, reason, distance, body });
  if (body.tooFar) return verdict(false, 'text-differs');
  if (body.factEdit || body.repeatedChange) return verdict(false, 'fact-differs');
  if (body.longestEdit > maxEditChars || body.edits + title.edits > maxEdits) return verdict(false, 'text-differs');
  if (body.framing > frameLimit) return verdict(false, 'framing-too-long');
  return verdict(true, 'near');
}

/** Whether b is the same notice as a, reposted: see compareForDedupe for the evidence. */
export const isNearDuplicate = (a: DedupeDocument, b: DedupeDocument, opts?: DedupeOptions): boolean => compareForDedupe(a, b, opts).duplicate;

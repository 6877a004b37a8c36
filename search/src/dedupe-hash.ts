/**
 * Fast non-cryptographic 64-bit hashing for near-duplicate detection: two independent 32-bit lanes (Math.imul
 * mixing, no BigInt — BigInt arithmetic is ~50× slower and the importer fingerprints every document it reads),
 * and a weighted SimHash over character shingles. Nothing here defends against an adversary choosing texts to
 * collide: a collision only sends two documents to the exact comparison (dedupe-align.ts), which decides.
 */

// murmur3's finaliser: every input bit reaches every output bit, so shingles that differ by one character
// still get unrelated hashes and unrelated SimHash votes.
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/** A 64-bit hash of a string as 16 hex digits (two FNV-1a lanes with different bases, each finalised). */
export function hash64Hex(s: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return hex8(fmix32(a ^ s.length)) + hex8(fmix32(b + Math.imul(s.length, 0x9e3779b1)));
}

/**
 * Characters per shingle. Most Chinese words are two characters, so 2-grams are close to words; one changed
 * character changes only 2 features, and most 2-grams recur in a notice, so a typo removes one occurrence of a
 * frequent feature rather than a whole feature. Dev split, the 287 planted reposts whose normalised text still
 * differs from the original: within 3 bits 97.6 % with 2-grams, 96.2 % with 3-grams, 93.4 % with 4-grams (all
 * weighted by count); unrelated notices shared a band in < 0.1 % of pairs with any of them.
 */
export const SHINGLE = 2;

/**
 * SimHash of a text's character shingles as [high 32 bits, low 32 bits]. Each distinct shingle votes with its
 * count: the shingles a typo creates occur once, a notice's recurring phrases (its subject, its unit, 公文 wording)
 * many times, so a typo moves fewer bits than with equal weights (same dev pairs, 2-grams: 97.6 % within 3 bits by
 * count, 96.9 % by 1 + log(count), 92.7 % with equal weights). Unrelated notices do not come closer in a way that matters: the bits stay
 * random per document, and the alignment guard decides anyway.
 */
export function simhash(text: string): [number, number] {
  // Count shingles in an open-addressing table keyed by their 32-bit hash: a Map with number keys allocates per
  // entry and made this 10× slower. Two shingles of one document colliding in 32 bits only merge two votes.
  const n = Math.max(1, text.length - SHINGLE + 1);
  let size = 16;
  while (size < n * 2) size *= 2;
  const keys = new Uint32Array(size);
  const counts = new Uint32Array(size);
  const mask = size - 1;
  for (let i = 0; i < n; i++) {
    // A text shorter than a shingle is one feature: itself (charCodeAt past the end is NaN → 0).
    let x = 0x811c9dc5;
    for (let j = 0; j < SHINGLE; j++) x = Math.imul(x ^ (text.charCodeAt(i + j) | 0), 0x01000193);
    const h = fmix32(x) || 1;
    let slot = h & mask;
    while (keys[slot] !== 0 && keys[slot] !== h) slot = (slot + 1) & mask;
    keys[slot] = h;
    counts[slot]!++;
  }
  // Each bit is set when the shingles with that bit set carry more than half the total weight. Adding the weight
  // times the bit (no branch) matters: the bits are random, so a branch per bit is mispredicted half the time.
  const votes = new Float64Array(64);
  let total = 0;
  for (let slot = 0; slot < size; slot++) {
    const c = counts[slot]!;
    if (c === 0) continue;
    const w = c;
    total += w;
    const h1 = keys[slot]!;
    const h2 = fmix32(h1 ^ 0x9e3779b9);
    for (let bit = 0; bit < 32; bit++) {
      votes[bit]! += ((h1 >>> bit) & 1) * w;
      votes[bit + 32]! += ((h2 >>> bit) & 1) * w;
    }
  }
  let hi = 0;
  let lo = 0;
  for (let bit = 0; bit < 32; bit++) {
    if (votes[bit]! * 2 > total) hi |= 1 << bit;
    if (votes[bit + 32]! * 2 > total) lo |= 1 << bit;
  }
  return [hi >>> 0, lo >>> 0];
}

/** Number of differing bits between two 32-bit words. */
export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

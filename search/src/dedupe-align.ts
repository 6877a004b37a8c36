/**
 * The exact comparison behind a near-duplicate verdict: align two normalised texts and look at what differs.
 * A repost of one notice differs from it by framing (text before or after the notice that one site kept and the
 * other did not: a header, a footer, a truncated tail) and by a few isolated typo-sized edits. Two notices of one
 * template differ inside the text by their facts — a unit, a name, a date, a number — which are multi-character
 * edits or edits touching digits and numerals. A similarity score (Jaccard, SimHash distance) cannot tell these
 * apart on a long notice: 南宁市 → 柳州市 changes as few shingles as two typos. An alignment can.
 */
import { TYPO_CHARS } from './typo-chars.ts';

/** What the alignment found: the framing trimmed, the interior edits, and whether any of them touches a fact. */
export interface Alignment {
  /** Characters present on one side only before or after the shared text. */
  framing: number;
  /** Interior edits (maximal runs of changed characters). */
  edits: number;
  /** Longest interior edit, in characters on the longer side. */
  longestEdit: number;
  /** An interior edit changes a digit, a Latin letter or a Chinese numeral. */
  factEdit: boolean;
  /**
   * One character replaced by the same other character in two or more places, and the two are not a known typo
   * pair: a renaming (城中区 → 城北区 wherever the unit is named), not typo fixes, which fall at random places.
   */
  repeatedChange: boolean;
  /** The texts could not be aligned within the edit budget (they are different texts). */
  tooFar: boolean;
  /** The first few interior edits, for reports: [removed, added]. */
  samples: [string, string][];
}

// Characters whose change is a change of fact, never a typo fix: dates, amounts, counts, 发文字号, codes,
// and the Chinese numerals of 落款 dates (二〇二四年) and of article numbers (第三条).
const FACT_CHAR = /[0-9a-z.〇零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟]/;

// Character pairs often confused in typing (search's typo list, both directions): a site that fixes 其它 → 其他 or
// 帐 → 账 throughout makes the same substitution in many places, and that is still the same notice.
let confusions: Set<string> | null = null;
function isTypoPair(x: string, y: string): boolean {
  if (!confusions) {
    confusions = new Set();
    for (const line of TYPO_CHARS.split('\n')) {
      const [wrong, ...meant] = [...line];
      for (const m of meant) confusions.add(wrong! + m).add(m + wrong!);
    }
  }
  return confusions.has(x + y);
}

/** Characters compared to find where one text's start lies inside the other (a header's end). */
const ANCHOR = 16;

/**
 * Cut text that only one side has at its start: find the other side's opening (from a few offsets, in case
 * the opening holds an edit) within `limit` characters and drop what precedes it. Both directions are tried and
 * the shorter cut wins: a notice often quotes its own title further down, which would otherwise look like a
 * long header.
 */
function trimLeading(a: string, b: string, limit: number): [string, string, number] {
  for (let offset = 0; offset + ANCHOR <= Math.min(a.length, b.length) && offset <= 3 * ANCHOR; offset += ANCHOR) {
    if (a.startsWith(b.slice(offset, offset + ANCHOR), offset)) return [a, b, 0];
    const window = limit + offset + ANCHOR;
    const cutA = a.slice(0, window).indexOf(b.slice(offset, offset + ANCHOR)) - offset;
    const cutB = b.slice(0, window).indexOf(a.slice(offset, offset + ANCHOR)) - offset;
    const okA = cutA > 0 && cutA <= limit;
    const okB = cutB > 0 && cutB <= limit;
    if (okA && (!okB || cutA <= cutB)) return [a.slice(cutA), b, cutA];
    if (okB) return [a, b.slice(cutB), cutB];
  }
  return [a, b, 0];
}

const reverse = (s: string) => s.split('').reverse().join('');

/** One edit operation of the shortest edit script: '=' keep, '-' only in a, '+' only in b. */
type Op = '=' | '-' | '+';

/**
 * Myers' O((N+M)·D) shortest edit script, giving up beyond `maxD` edits: a near duplicate needs only a few, and
 * the bound keeps the cost of a hopeless pair at O((N+M)·maxD) rather than O(N·M).
 */
function editScript(a: string, b: string, maxD: number): Op[] | null {
  const n = a.length;
  const m = b.length;
  const offset = maxD + 1;
  const v = new Int32Array(2 * maxD + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= maxD; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a.charCodeAt(x) === b.charCodeAt(y)) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d, k, offset);
    }
  }
  return null;
}

function backtrack(trace: Int32Array[], a: string, b: string, dEnd: number, kEnd: number, offset: number): Op[] {
  const ops: Op[] = [];
  let x = a.length;
  let y = b.length;
  let k = kEnd;
  for (let d = dEnd; d > 0; d--) {
    const v = trace[d]!;
    const down = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = v[offset + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push('=');
      x--;
      y--;
    }
    ops.push(down ? '+' : '-');
    if (down) y--;
    else x--;
    k = prevK;
  }
  while (x > 0 && y > 0) {
    ops.push('=');
    x--;
    y--;
  }
  return ops.reverse();
}

/**
 * Align a and b: framing (one-sided text at either end, at most `frameLimit` characters per end) is separated
 * from interior edits; beyond `maxEdits` changed characters inside, the texts are too far apart to be one notice.
 */
export function align(a: string, b: string, frameLimit: number, maxEdits: number): Alignment {
  let framing = 0;
  let cut: number;
  [a, b, cut] = trimLeading(a, b, frameLimit);
  framing += cut;
  const [ra, rb, tailCut] = trimLeading(reverse(a), reverse(b), frameLimit);
  framing += tailCut;
  a = reverse(ra);
  b = reverse(rb);
  const result: Alignment = { framing, edits: 0, longestEdit: 0, factEdit: false, repeatedChange: false, tooFar: false, samples: [] };
  const substitutions = new Map<string, number>();
  // Common prefix and suffix need no search; Myers runs on what is between.
  let start = 0;
  while (start < a.length && start < b.length && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a.charCodeAt(a.length - 1 - end) === b.charCodeAt(b.length - 1 - end)) end++;
  const midA = a.slice(start, a.length - end);
  const midB = b.slice(start, b.length - end);
  if (!midA && !midB) return result;
  const ops = editScript(midA, midB, maxEdits * 2 + 2);
  if (!ops) return { ...result, tooFar: true };
  let i = 0;
  let j = 0;
  let p = 0;
  while (p < ops.length) {
    if (ops[p] === '=') {
      i++;
      j++;
      p++;
      continue;
    }
    const fromI = i;
    const fromJ = j;
    while (p < ops.length && ops[p] !== '=') {
      if (ops[p] === '-') i++;
      else j++;
      p++;
    }
    const removed = midA.slice(fromI, i);
    const added = midB.slice(fromJ, j);
    // One-sided text at the very start or end of the whole texts is framing that the anchors did not find.
    const atEdge = (start === 0 && fromI === 0 && fromJ === 0) || (end === 0 && i === midA.length && j === midB.length);
    if (atEdge && (!removed || !added)) {
      result.framing += removed.length + added.length;
      continue;
    }
    result.edits++;
    result.longestEdit = Math.max(result.longestEdit, removed.length, added.length);
    if (FACT_CHAR.test(removed) || FACT_CHAR.test(added)) result.factEdit = true;
    if (removed.length === 1 && added.length === 1 && !isTypoPair(removed, added)) {
      const seen = (substitutions.get(removed + added) ?? 0) + 1;
      substitutions.set(removed + added, seen);
      if (seen >= 2) result.repeatedChange = true;
    }
    if (result.samples.length < 4) result.samples.push([removed, added]);
  }
  return result;
}

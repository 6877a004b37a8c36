/**
 * Differences between two revisions of a document, for reviewers and for editors restoring one: per field,
 * and for long text line by line (the body's HTML is compared as its text, paragraph per line).
 */
import { htmlToText } from './sanitize.ts';

export interface LineChange {
  op: '=' | '-' | '+';
  text: string;
}
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
  lines?: LineChange[];
}

/** Line diff by longest common subsequence (documents are at most a few thousand lines). */
export function diffLines(a: readonly string[], b: readonly string[]): LineChange[] {
  const n = a.length,
    m = b.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: LineChange[] = [];
  let i = 0,
    j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: '=', text: a[i]! });
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push({ op: '-', text: a[i++]! });
    else out.push({ op: '+', text: b[j++]! });
  }
  while (i < n) out.push({ op: '-', text: a[i++]! });
  while (j < m) out.push({ op: '+', text: b[j++]! });
  return out;
}

const lines = (field: string, v: unknown) =>
  typeof v === 'string'
    ? (field === 'bodyHtml' ? htmlToText(v) : v)
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
    : [];

export function diffDrafts(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const out: FieldChange[] = [];
  for (const field of fields) {
    if (JSON.stringify(before[field]) === JSON.stringify(after[field])) continue;
    const long = field === 'bodyHtml' || field === 'summary';
    out.push({
      field,
      before: before[field] ?? null,
      after: after[field] ?? null,
      ...(long ? { lines: diffLines(lines(field, before[field]), lines(field, after[field])) } : {}),
    });
  }
  return out;
}

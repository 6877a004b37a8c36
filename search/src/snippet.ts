/**
 * Result snippets: the passage of a document that holds most of the query's words, as safe HTML — text
 * escaped, the words wrapped in <mark>. Pure, so both backends and the tests share it.
 */
import { escapeHtml } from '@ywtc/cms-schema';

const MAX_OCCURRENCES = 40;

/** Positions where each term occurs (up to a cap per term). */
function occurrences(text: string, terms: readonly string[]): { at: number; term: number; len: number }[] {
  const out: { at: number; term: number; len: number }[] = [];
  terms.forEach((t, i) => {
    if (!t) return;
    for (let at = text.indexOf(t), n = 0; at >= 0 && n < MAX_OCCURRENCES; at = text.indexOf(t, at + 1), n++) out.push({ at, term: i, len: t.length });
  });
  return out.sort((a, b) => a.at - b.at);
}

/**
 * The best window of `width` characters: the one covering the most weight of distinct terms (weights default
 * to 1; callers pass rarer terms heavier), every occurrence inside it marked.
 */
export function snippetHtml(text: string, terms: readonly string[], width = 96, weights?: readonly number[]): string | null {
  const flat = text.replace(/\s+/g, ' ').trim();
  const occ = occurrences(flat, terms);
  if (occ.length === 0) return null;
  let best = { start: 0, score: -1 };
  for (const o of occ) {
    const start = Math.max(0, o.at - 12);
    const seen = new Set<number>();
    for (const p of occ) if (p.at >= start && p.at + p.len <= start + width) seen.add(p.term);
    const score = [...seen].reduce((s, t) => s + (weights?.[t] ?? 1), 0);
    if (score > best.score) best = { start, score };
  }
  const end = Math.min(flat.length, best.start + width);
  // Merge overlapping matches (bigrams of one word overlap) into marked spans.
  const spans: [number, number][] = [];
  for (const o of occ) {
    if (o.at < best.start || o.at + o.len > end) continue;
    const last = spans[spans.length - 1];
    if (last && o.at <= last[1]) last[1] = Math.max(last[1], o.at + o.len);
    else spans.push([o.at, o.at + o.len]);
  }
  let html = best.start > 0 ? '…' : '';
  let pos = best.start;
  for (const [a, b] of spans) {
    html += escapeHtml(flat.slice(pos, a)) + '<mark>' + escapeHtml(flat.slice(a, b)) + '</mark>';
    pos = b;
  }
  html += escapeHtml(flat.slice(pos, end)) + (end < flat.length ? '…' : '');
  return html;
}

/**
 * Cleans a citizen's query before it reaches any search backend. Quotes, `*`, `NEAR`, `-`, `AND`/`OR`/`NOT`
 * and parentheses mean something to FTS5 (and some to Meilisearch); in a government search box they are just
 * punctuation, so they become spaces. Nothing a citizen types may raise a query syntax error.
 */
export const MAX_QUERY_LENGTH = 100;

export type CleanQuery = { ok: true; text: string } | { ok: false; field: 'q'; message: string };

const OPERATOR_WORDS = /\b(AND|OR|NOT|NEAR)\b/gi;
// Letters and digits of any script survive, plus the 〔〕 of document numbers; everything else is a separator.
const SEPARATORS = /[^\p{L}\p{N}〔〕]+/gu;

export function cleanQuery(raw: unknown): CleanQuery {
  if (typeof raw !== 'string') return { ok: true, text: '' };
  if (raw.length > MAX_QUERY_LENGTH) return { ok: false, field: 'q', message: `搜索词不能超过 ${MAX_QUERY_LENGTH} 个字` };
  const text = raw.normalize('NFKC').replace(OPERATOR_WORDS, ' ').replace(SEPARATORS, ' ').trim().replace(/\s+/g, ' ');
  return { ok: true, text };
}

export { normalizeDocNumber, looksLikeDocNumber } from './doc-number.ts';
export { cleanQuery, MAX_QUERY_LENGTH, type CleanQuery } from './query.ts';

export { normalizeDocNumber, looksLikeDocNumber } from './doc-number.ts';
export { cleanQuery, MAX_QUERY_LENGTH, type CleanQuery } from './query.ts';
export { indexText, runTokens, runs } from './tokenize.ts';
export * from './schema.ts';
export { indexStatements, removeStatements, searchD1, loadSynonyms, D1Backend } from './d1.ts';
export { parseSynonyms, synonymsIn, phraseOf, type SynonymGroups } from './synonyms.ts';
export { indexRows, SEARCH_DOCS_COLUMNS, SEARCH_FTS_COLUMNS, SEARCH_SITES_COLUMNS, type IndexRows } from './rows.ts';
export { toSearchDocument, searchDocumentsOf, placementRef, levelOf, regionOf } from './from-content.ts';

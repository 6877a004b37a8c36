export { normalizeDocNumber, looksLikeDocNumber } from './doc-number.ts';
export { cleanQuery, MAX_QUERY_LENGTH, type CleanQuery } from './query.ts';
export { indexText, runTokens, runs, documentTokens } from './tokenize.ts';
export * from './schema.ts';
export { loadSynonyms, synonymStatements, forgetSynonyms, D1Backend, type D1BackendOptions } from './d1.ts';
export { bumpVersion, forgetResults } from './d1-cache.ts';
export { searchD1, PLAN, frequencies } from './d1-search.ts';
export { snippetHtml } from './snippet.ts';
export { correction, confusions, suspectCharacters, bigramsToLookUp, SUSPECT, type SuspectCharacter } from './typo.ts';
export { parseSynonyms, synonymsIn, phraseOf, type SynonymGroups } from './synonyms.ts';
export { indexRows, SEARCH_COLUMNS, SEARCH_TABLES, type IndexRows } from './rows.ts';
export { indexDocuments, removeDocuments, documentHash } from './d1-index.ts';
export { reindexAll, reindexStep, searchDocumentsFor, type ReindexStep } from './reindex.ts';
export { configuredBackend, MirroredBackend, type SearchConfig } from './configured.ts';
export { drainSearchQueue, enqueueDocument, enqueueSynonyms, type SearchDrain } from './queue.ts';
export { toSearchDocument, searchDocumentsOf, placementRef, levelOf, regionOf } from './from-content.ts';
export { MeilisearchBackend, type MeilisearchOptions } from './meilisearch/backend.ts';
export { documentArea, nearness, AreaSchema, ReaderSchema, type Area, type Reader } from './area.ts';
export {
  fingerprint,
  prepareForDedupe,
  normaliseForDedupe,
  hamming,
  sharesBand,
  isNearDuplicate,
  compareForDedupe,
  SIMHASH_MAX_DISTANCE,
  MAX_EDITS,
  MAX_EDIT_CHARS,
  MAX_FRAMING_SHARE,
  MIN_FRAMING_CHARS,
  type Fingerprint,
  type DedupeDocument,
  type DedupeVerdict,
  type DedupeOptions,
} from './dedupe.ts';

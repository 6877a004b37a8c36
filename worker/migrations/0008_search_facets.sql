-- Filters become FTS terms (search/src/facets.ts): both FTS tables gain `facets` and `issuer` columns. FTS5
-- tables cannot be altered, so they are recreated, and the rest of the index is emptied with them; the next
-- `npm start` (or `npm run reindex`) rebuilds it from the content store.
DROP TABLE search_fts;
DROP TABLE search_title_fts;
CREATE VIRTUAL TABLE search_fts USING fts5(title, doc_number, keywords, body, facets, issuer, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');
CREATE VIRTUAL TABLE search_title_fts USING fts5(title, doc_number, keywords, facets, issuer, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');
DELETE FROM search_sites;
DELETE FROM search_text;
DELETE FROM search_links;
DELETE FROM search_terms;
DELETE FROM search_docs;

-- The embedded index, second shape (search/src/d1-*.ts). At 100k documents FTS5 cannot rank every document a
-- common bigram matches within a query budget, so queries are planned from document frequencies (search_terms),
-- kept exactly at index time — fts5vocab counts them by decoding whole doclists (milliseconds per common term).
DROP TABLE search_vocab;
CREATE TABLE search_terms (
  term TEXT NOT NULL PRIMARY KEY,
  df INTEGER NOT NULL               -- documents holding the token in any field
) WITHOUT ROWID;

-- The text as indexed: snippets are cut from it, and replacing or removing a document re-derives its old
-- tokens from it to keep search_terms exact (a contentless FTS5 table cannot give them back).
CREATE TABLE search_text (
  rowid INTEGER PRIMARY KEY,        -- = search_docs.rowid = search_fts.rowid
  keywords TEXT NOT NULL,
  body TEXT NOT NULL
);

-- Content hash of the indexed SearchDocument: `npm run reindex` compares it with the content store and only
-- rewrites what differs, which is also how an interrupted indexing run is repaired.
ALTER TABLE search_docs ADD COLUMN hash TEXT NOT NULL DEFAULT '';

-- Facts of each placement, so site, column kind, level and region filter together on the same placement.
ALTER TABLE search_sites ADD COLUMN column_kind TEXT;
ALTER TABLE search_sites ADD COLUMN level TEXT;
ALTER TABLE search_sites ADD COLUMN region TEXT;
CREATE INDEX search_sites_column ON search_sites(column_kind, document_id);
CREATE INDEX search_sites_level ON search_sites(level, document_id);
CREATE INDEX search_sites_region ON search_sites(region, document_id);

-- Policy ↔ interpretation pairs among indexed documents: results show them together.
CREATE TABLE search_links (
  policy_id TEXT NOT NULL,
  interpretation_id TEXT NOT NULL,
  PRIMARY KEY (policy_id, interpretation_id)
) WITHOUT ROWID;
CREATE INDEX search_links_back ON search_links(interpretation_id);

-- Titles, 发文字号 and keywords alone: for a query that matches tens of thousands of documents, ranking
-- title matches from this small index is cheap where the full index would decode every body position.
CREATE VIRTUAL TABLE search_title_fts USING fts5(title, doc_number, keywords, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');

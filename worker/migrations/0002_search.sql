-- The embedded search index (search/src/d1.ts). search_fts holds bigram token streams (search/src/tokenize.ts)
-- without content; search_docs holds what results show and filter on; search_sites which sites show what.
CREATE VIRTUAL TABLE search_fts USING fts5(title, doc_number, keywords, body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');

CREATE TABLE search_docs (
  rowid INTEGER PRIMARY KEY,
  document_id TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  doc_number TEXT,
  kind TEXT NOT NULL,
  issuer TEXT,
  validity TEXT,
  year INTEGER NOT NULL,
  published_at TEXT NOT NULL,
  summary TEXT NOT NULL,
  placements TEXT NOT NULL          -- JSON [{siteId, path}]
);
CREATE INDEX search_docs_doc_number ON search_docs(doc_number);
CREATE INDEX search_docs_published ON search_docs(published_at);

CREATE TABLE search_sites (
  document_id TEXT NOT NULL,
  site_id TEXT NOT NULL,
  PRIMARY KEY (site_id, document_id)
);
CREATE INDEX search_sites_document ON search_sites(document_id);

-- Policy Q&A (政策问答): review state, the answer index and the questions nobody answered (search/src/qa-d1.ts).

-- 先审后发: an entry shows only once approved. The table is rebuilt rather than altered because ADD COLUMN
-- NOT NULL needs a default, and a default of 'approved' would publish any insert that forgot the status.
-- Entries already here came from published sources (the seed), so they are approved.
CREATE TABLE qa_entries_new (
  id TEXT NOT NULL PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  question TEXT NOT NULL,
  answer TEXT NOT NULL,
  source_document_id TEXT NOT NULL REFERENCES documents(id),
  status TEXT NOT NULL CHECK (status IN ('draft', 'approved')),
  updated_at TEXT                   -- last edit through the editor API; NULL for imported entries
);
INSERT INTO qa_entries_new (id, site_id, question, answer, source_document_id, status, updated_at)
  SELECT id, site_id, question, answer, source_document_id, 'approved', NULL FROM qa_entries;
DROP TABLE qa_entries;
ALTER TABLE qa_entries_new RENAME TO qa_entries;
CREATE INDEX qa_entries_status ON qa_entries(status);
CREATE INDEX qa_entries_source ON qa_entries(source_document_id);

-- The answer index: approved questions as content tokens (question words cut, Han bigrams), like search_fts.
CREATE VIRTUAL TABLE qa_fts USING fts5(question, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0');
CREATE TABLE qa_index (
  rowid INTEGER PRIMARY KEY,        -- = qa_fts.rowid
  entry_id TEXT NOT NULL UNIQUE REFERENCES qa_entries(id) ON DELETE CASCADE
);
-- Entries per token, for the idf weights of the similarity score (a few thousand short questions: cheap).
CREATE VIRTUAL TABLE qa_vocab USING fts5vocab('qa_fts', 'row');

-- Questions no entry answered, for editors. No personal data: no IP, no user, no time finer than a day, and
-- texts that look like an ID card or phone number are never written (search/src/qa-unanswered.ts).
CREATE TABLE qa_unanswered (
  question TEXT NOT NULL PRIMARY KEY,   -- normalized as search cleans a query
  count INTEGER NOT NULL,
  first_day TEXT NOT NULL,              -- YYYY-MM-DD, China time
  last_day TEXT NOT NULL
);
CREATE INDEX qa_unanswered_last ON qa_unanswered(last_day);

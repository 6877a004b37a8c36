-- 索引号 assigned at publish (worker/src/cms/index-numbers.ts), in the national form 单位代码/年份-流水号.
-- One counter per unit and year, advanced by an UPSERT inside the publish's own D1 batch (one transaction), so
-- concurrent publishes can never take the same serial; the number a document got is kept here and reused on
-- every later publish of it (withdrawn and published again: the same 索引号).
CREATE TABLE index_number_counters (
  unit_code TEXT NOT NULL,
  year INTEGER NOT NULL,
  last INTEGER NOT NULL,        -- the highest serial given out (or found typed by hand) for this unit and year
  PRIMARY KEY (unit_code, year)
);

CREATE TABLE index_numbers (
  document_id TEXT NOT NULL PRIMARY KEY,
  index_number TEXT NOT NULL UNIQUE,
  assigned_at TEXT NOT NULL
);

-- The counter starts above any number of that unit and year already in the store (typed by hand, seeded):
-- a range read on this index, not a scan.
CREATE INDEX documents_index_number ON documents(index_number);

-- The column an editor used last (the new-document form's default): their newest revision.
CREATE INDEX cms_revisions_author ON cms_revisions(author_id, created_at);

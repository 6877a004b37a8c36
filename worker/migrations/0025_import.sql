-- 数据融合与集约迁移 (issue 15; cms-schema/src/import.ts, worker/src/import/, docs/import.md).

-- A source: a separately built platform (pushing, signed with its key), an exported file set or a crawled site.
-- key_secret is the push key's HMAC secret sealed with AES-GCM under the Worker's INGEST_TOKEN (hex), NULL for
-- sources only the command-line importer feeds.
CREATE TABLE import_sources (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  site_ids TEXT NOT NULL,           -- JSON array: the sites it may write to
  hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
  key_hash TEXT,
  key_secret TEXT,
  created_at TEXT NOT NULL
);

-- One row per (source, record id): what the record became. Sending a record again finds its document here, so
-- imports are idempotent and a killed run re-run writes nothing twice. content_hash is the hash of the
-- validated record: unchanged → 'unchanged', no write.
CREATE TABLE import_records (
  source_id TEXT NOT NULL,
  record_id TEXT NOT NULL,
  document_id TEXT,
  site_id TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('imported', 'updated', 'unchanged', 'merged', 'deleted', 'failed')),
  reason TEXT,
  url TEXT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (source_id, record_id)
) WITHOUT ROWID;
CREATE INDEX import_records_document ON import_records (document_id);

-- A run of the command-line importer: its progress and counts, for the report and for resuming after a kill.
CREATE TABLE import_runs (
  id TEXT NOT NULL PRIMARY KEY,
  source_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('crawl', 'file', 'push')),
  dry_run INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
  started_at TEXT NOT NULL,
  finished_at TEXT,
  counts TEXT NOT NULL DEFAULT '{}', -- JSON {imported, updated, unchanged, merged, deleted, failed}
  cursor TEXT                        -- JSON: where a resumed run continues (the file offset, the crawl frontier)
);

-- Fingerprints of each document's normalised text (search/src/dedupe.ts): the exact hash, and the 64-bit
-- SimHash cut into four 16-bit bands — a near duplicate (≤ 3 bits apart) shares at least one band exactly.
CREATE TABLE document_fingerprints (
  document_id TEXT NOT NULL PRIMARY KEY,
  exact_hash TEXT NOT NULL,
  simhash TEXT NOT NULL,            -- 16 hex digits
  band0 INTEGER NOT NULL,
  band1 INTEGER NOT NULL,
  band2 INTEGER NOT NULL,
  band3 INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX document_fingerprints_exact ON document_fingerprints (exact_hash);
CREATE INDEX document_fingerprints_b0 ON document_fingerprints (band0);
CREATE INDEX document_fingerprints_b1 ON document_fingerprints (band1);
CREATE INDEX document_fingerprints_b2 ON document_fingerprints (band2);
CREATE INDEX document_fingerprints_b3 ON document_fingerprints (band3);

-- Old addresses of migrated sites: (old host, path with its query) → the document or column page that replaced
-- it. The Worker answers a request on an old host with a 301 to the page on the site's primary domain.
CREATE TABLE import_redirects (
  host TEXT NOT NULL,
  path TEXT NOT NULL,
  site_id TEXT NOT NULL,
  document_id TEXT,                 -- a document's page, wherever its column is now
  target_path TEXT,                 -- or a fixed path on the site (a column's list, the home page)
  source_id TEXT NOT NULL,
  PRIMARY KEY (host, path),
  CHECK ((document_id IS NULL) <> (target_path IS NULL))
) WITHOUT ROWID;

-- Old addresses that map to nothing: links found while crawling that were not imported, and requests to an old
-- host that no redirect answered (counted, with when they were last asked for).
CREATE TABLE import_unmapped (
  host TEXT NOT NULL,
  path TEXT NOT NULL,
  source_id TEXT,
  reason TEXT NOT NULL,
  hits INTEGER NOT NULL DEFAULT 0,
  last_seen TEXT NOT NULL,
  PRIMARY KEY (host, path)
) WITHOUT ROWID;

-- The 主题分类 the classifier gave an imported document (cms-schema topic model), with its confidence; below the
-- threshold the document waits in the editors' queue (/admin/import/queue) until someone confirms or corrects it.
CREATE TABLE document_topics (
  document_id TEXT NOT NULL PRIMARY KEY,
  topic TEXT NOT NULL,
  confidence REAL NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('record', 'auto', 'editor')),
  needs_review INTEGER NOT NULL DEFAULT 0,
  reviewed_by TEXT,
  reviewed_at TEXT
) WITHOUT ROWID;
CREATE INDEX document_topics_review ON document_topics (needs_review) WHERE needs_review = 1;

-- A migrated site's switch-over: its content imported into a hidden version (rendered to R2, the live pointer
-- untouched), inspected, then made live in one pointer write. One row per site; state moves forward only.
CREATE TABLE site_switchovers (
  site_id TEXT NOT NULL PRIMARY KEY,
  state TEXT NOT NULL CHECK (state IN ('importing', 'rendered', 'inspected', 'live', 'refused')),
  version TEXT,                     -- the hidden version in R2
  run_id TEXT,                      -- the inspection run that judged it
  verdict TEXT,                     -- JSON: score, vetoes, findings by kind
  started_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  switched_by TEXT
) WITHOUT ROWID;

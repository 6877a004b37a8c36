-- Index updates owed after a content change (cms-schema SearchTaskSchema): written in the content change's own
-- transaction, so a committed publish or withdrawal always leaves its search update behind even if the Worker
-- stops right after; deleted once the configured search backend has taken it (search/src/queue.ts). `kind`:
-- 'document' (index or remove document_id as the content store now has it) or 'synonyms' (push the dictionary
-- in search_synonyms to the served index).
CREATE TABLE search_queue (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('document', 'synonyms')),
  document_id TEXT,
  queued_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  CHECK ((kind = 'document') = (document_id IS NOT NULL))
);
CREATE INDEX search_queue_document ON search_queue (document_id);

-- Page updates may be owed for a whole site (a template switch changes every page), not only for a document:
-- `scope` 'site' has no document or column. SQLite cannot relax NOT NULL in place, so the table is rebuilt
-- with the rows it holds.
CREATE TABLE render_queue_next (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  site_id TEXT NOT NULL,
  scope TEXT NOT NULL DEFAULT 'document' CHECK (scope IN ('document', 'site')),
  document_id TEXT,
  column_id TEXT,
  related TEXT NOT NULL,
  queued_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  CHECK ((scope = 'document') = (document_id IS NOT NULL AND column_id IS NOT NULL))
);
INSERT INTO render_queue_next (seq, site_id, scope, document_id, column_id, related, queued_at, attempts, last_error)
  SELECT seq, site_id, 'document', document_id, column_id, related, queued_at, attempts, last_error FROM render_queue;
DROP TABLE render_queue;
ALTER TABLE render_queue_next RENAME TO render_queue;
CREATE INDEX render_queue_site ON render_queue (site_id, seq);
CREATE INDEX render_queue_document ON render_queue (document_id);

-- The search index's publish time as a number (seconds since the epoch), for "newest first": published_at is
-- kept as written (with the offset it was written in, +08:00 or Z), and strings of different offsets do not
-- sort in time order. Existing entries are filled in from published_at (SQLite reads both offsets).
ALTER TABLE search_docs ADD COLUMN published_ts INTEGER NOT NULL DEFAULT 0;
UPDATE search_docs SET published_ts = unixepoch(published_at);
CREATE INDEX search_docs_published_ts ON search_docs (published_ts);

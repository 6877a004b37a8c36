-- Search analytics without personal data (worker/src/search-analytics.ts): one row per day and normalized query
-- text, holding counts only. No IP, cookie, user agent, user id or exact time is ever written — the day (China
-- Standard Time) is the finest time grain, and queries that look like an ID-card, phone or bank number are
-- dropped before they get here.
CREATE TABLE search_query_days (
  day TEXT NOT NULL,                 -- YYYY-MM-DD, Asia/Shanghai
  query TEXT NOT NULL,               -- cleaned and lower-cased as search cleans it, ≤ 100 characters
  searches INTEGER NOT NULL DEFAULT 0,
  zero_results INTEGER NOT NULL DEFAULT 0,   -- searches of it that found nothing
  clicks INTEGER NOT NULL DEFAULT 0,         -- results opened from its result pages (/search/click)
  PRIMARY KEY (day, query)
) WITHOUT ROWID;

-- Best bets: documents admins put first for a query (worker/src/search-pins.ts). What a hit shows is kept as a
-- snapshot taken when pinned, so a pin shows the same over the D1 index and Meilisearch, and even when the
-- backend does not find the document for that query at all.
CREATE TABLE search_pins (
  query TEXT NOT NULL,               -- normalized query text, as in search_query_days
  document_id TEXT NOT NULL,
  position INTEGER NOT NULL,         -- order among the query's pins, lowest first
  title TEXT NOT NULL,
  doc_number TEXT,
  kind TEXT NOT NULL,
  issuer TEXT,
  validity TEXT,
  published_at TEXT NOT NULL,
  summary TEXT NOT NULL,
  placements TEXT NOT NULL,          -- JSON [{siteId, path, columnKind, siteKind, level, region}]
  PRIMARY KEY (query, document_id)
) WITHOUT ROWID;

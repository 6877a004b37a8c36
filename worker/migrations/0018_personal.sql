-- 千人千网 (issue 12): documents carry the editor's 兴趣领域 and, for 办事指南, the guide's elements; every
-- document gets interest tags (the editor's, or the classifier's with a confidence); page views are rolled up
-- per day, site and document (nothing about the reader); editors pin or block items of their site's hot list.
ALTER TABLE documents ADD COLUMN interests TEXT NOT NULL DEFAULT '[]';
ALTER TABLE documents ADD COLUMN guide TEXT;

CREATE TABLE document_tags (
  document_id TEXT NOT NULL,
  interest TEXT NOT NULL,
  confidence REAL NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('editor', 'auto')),
  needs_review INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (document_id, interest)
) WITHOUT ROWID;
CREATE INDEX document_tags_interest ON document_tags (interest, document_id);
CREATE INDEX document_tags_review ON document_tags (needs_review) WHERE needs_review = 1;

CREATE TABLE page_view_days (
  day TEXT NOT NULL,
  site_id TEXT NOT NULL,
  document_id TEXT NOT NULL,
  views INTEGER NOT NULL,
  PRIMARY KEY (day, site_id, document_id)
) WITHOUT ROWID;
CREATE INDEX page_view_days_site ON page_view_days (site_id, day);

CREATE TABLE hot_overrides (
  site_id TEXT NOT NULL,
  document_id TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('pin', 'block')),
  account_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (site_id, document_id)
) WITHOUT ROWID;

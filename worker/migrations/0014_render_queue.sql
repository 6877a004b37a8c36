-- Page updates owed to sites after a publish, withdrawal or 转载 (cms-schema RenderTaskSchema): written in the
-- content change's own transaction, deleted when the site's new version is live. See worker/src/render/.
CREATE TABLE render_queue (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  site_id TEXT NOT NULL,
  document_id TEXT NOT NULL,
  column_id TEXT NOT NULL,
  related TEXT NOT NULL,
  queued_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE INDEX render_queue_site ON render_queue (site_id, seq);
CREATE INDEX render_queue_document ON render_queue (document_id);

-- 转载/共享 (cms-schema/src/cms-document.ts ShareSchema): other sites showing a document. Kept while the
-- document is withdrawn, so publishing it again brings it back where it was shown.
CREATE TABLE cms_shares (
  document_id TEXT NOT NULL REFERENCES cms_documents(id) ON DELETE CASCADE,
  site_id TEXT NOT NULL,
  column_id TEXT NOT NULL,
  account_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (document_id, site_id)
);

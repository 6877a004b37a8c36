-- The reference corpus (cms-schema ReferenceDocumentSchema): documents kept for search and evaluation that no site
-- shows — other provinces' documents, which no Guangxi unit's column may carry (issue 13). Search indexes them
-- without a placement; reindex and the search queue keep them indexed because they are listed here.
CREATE TABLE reference_documents (
  document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE
);

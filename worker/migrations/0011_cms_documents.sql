-- Documents in the CMS (cms-schema/src/cms-document.ts): the item in 先审后发, every saved revision, every
-- workflow step. Published documents are copied into the content store (documents, placements) for the sites.
CREATE TABLE cms_documents (
  id TEXT NOT NULL PRIMARY KEY,
  site_id TEXT NOT NULL,
  column_id TEXT NOT NULL,
  state TEXT NOT NULL,
  level INTEGER,                -- in review: the level waiting to be signed off
  depth INTEGER NOT NULL,       -- review levels required
  revision INTEGER NOT NULL,    -- current revision; saves must name it (concurrent edits get a 409)
  published_at TEXT,            -- set by the server at publish
  scheduled_at TEXT,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX cms_documents_site ON cms_documents(site_id, state);

CREATE TABLE cms_revisions (
  document_id TEXT NOT NULL REFERENCES cms_documents(id) ON DELETE CASCADE,
  revision INTEGER NOT NULL,
  data TEXT NOT NULL,           -- the draft, JSON
  hash TEXT NOT NULL,           -- SHA-256 of data
  author_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (document_id, revision)
);

CREATE TABLE cms_transitions (
  seq INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  document_id TEXT NOT NULL REFERENCES cms_documents(id) ON DELETE CASCADE,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  level INTEGER,
  account_id TEXT NOT NULL,
  at TEXT NOT NULL,
  comment TEXT NOT NULL
);
CREATE INDEX cms_transitions_document ON cms_transitions(document_id, seq);

-- A conditional write's guard: `INSERT INTO cms_guard VALUES (changes())` right after the conditional UPDATE
-- fails the whole batch (one transaction) unless exactly one row changed, so nothing else in it is written.
CREATE TABLE cms_guard (ok INTEGER NOT NULL CHECK (ok = 1));

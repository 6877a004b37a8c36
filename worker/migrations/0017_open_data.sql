-- 数据开放 (cms-schema/src/open): the catalogue, the change feed that incremental sync reads, external units,
-- their logins, applications, API keys and daily usage.

-- 开放目录: one row per interface (OpenInterfaceSchema), written by the seed from the registry.
CREATE TABLE open_interfaces (
  code TEXT NOT NULL PRIMARY KEY,
  dataset TEXT NOT NULL,
  scope_kind TEXT NOT NULL CHECK (scope_kind IN ('region', 'subtree', 'site')),
  scope_site_id TEXT NOT NULL,
  owner_site_id TEXT NOT NULL,
  owner_name TEXT NOT NULL,
  open_type TEXT NOT NULL CHECK (open_type IN ('unconditional', 'conditional')),
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  condition_reason TEXT NOT NULL,
  version TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX open_interfaces_scope ON open_interfaces (dataset, scope_kind, scope_site_id);

-- The change feed: which entity may have changed, where, and when (ms since epoch). Written by triggers, so
-- every write path — seed, CMS, publishing API — records its changes in its own transaction. A reader decides
-- from the store as it now is whether the entity is in an interface (a record) or has left it (a tombstone).
CREATE TABLE open_changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  entity TEXT NOT NULL CHECK (entity IN ('document', 'qa', 'site', 'column')),
  entity_id TEXT NOT NULL,
  site_id TEXT,
  at INTEGER NOT NULL
);
CREATE INDEX open_changes_at ON open_changes (at);

CREATE TRIGGER open_changes_document_insert AFTER INSERT ON documents
BEGIN INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('document', NEW.id, NULL, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
CREATE TRIGGER open_changes_document_update AFTER UPDATE ON documents
BEGIN INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('document', NEW.id, NULL, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
CREATE TRIGGER open_changes_document_delete AFTER DELETE ON documents
BEGIN INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('document', OLD.id, NULL, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;

CREATE TRIGGER open_changes_placement_insert AFTER INSERT ON placements
BEGIN
  INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('document', NEW.document_id, NEW.site_id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
  INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('column', NEW.column_id, NEW.site_id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
CREATE TRIGGER open_changes_placement_delete AFTER DELETE ON placements
BEGIN
  INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('document', OLD.document_id, OLD.site_id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
  INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('column', OLD.column_id, OLD.site_id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;
CREATE TRIGGER open_changes_placement_update AFTER UPDATE ON placements
BEGIN
  INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('document', OLD.document_id, OLD.site_id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
  INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('document', NEW.document_id, NEW.site_id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
  INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('column', OLD.column_id, OLD.site_id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
  INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('column', NEW.column_id, NEW.site_id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;

-- A 解读 shows the policy it interprets.
CREATE TRIGGER open_changes_link_insert AFTER INSERT ON interpretation_links
BEGIN INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('document', NEW.interpretation_id, NULL, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
CREATE TRIGGER open_changes_link_delete AFTER DELETE ON interpretation_links
BEGIN INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('document', OLD.interpretation_id, NULL, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;

CREATE TRIGGER open_changes_qa_insert AFTER INSERT ON qa_entries
BEGIN INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('qa', NEW.id, NEW.site_id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
CREATE TRIGGER open_changes_qa_update AFTER UPDATE ON qa_entries
BEGIN INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('qa', NEW.id, NEW.site_id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
CREATE TRIGGER open_changes_qa_delete AFTER DELETE ON qa_entries
BEGIN INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('qa', OLD.id, OLD.site_id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;

CREATE TRIGGER open_changes_site_insert AFTER INSERT ON sites
BEGIN INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('site', NEW.id, NEW.id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
CREATE TRIGGER open_changes_site_update AFTER UPDATE ON sites
BEGIN INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('site', NEW.id, NEW.id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
CREATE TRIGGER open_changes_site_delete AFTER DELETE ON sites
BEGIN INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('site', OLD.id, OLD.id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;

CREATE TRIGGER open_changes_column_insert AFTER INSERT ON columns
BEGIN INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('column', NEW.id, NEW.site_id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
CREATE TRIGGER open_changes_column_update AFTER UPDATE ON columns
BEGIN INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('column', NEW.id, NEW.site_id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;
CREATE TRIGGER open_changes_column_delete AFTER DELETE ON columns
BEGIN INSERT INTO open_changes (entity, entity_id, site_id, at) VALUES ('column', OLD.id, OLD.site_id, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)); END;

-- A 解读's policy, looked up from the 解读.
CREATE INDEX IF NOT EXISTS interpretation_links_interpretation ON interpretation_links (interpretation_id);

-- Listing documents newest first, by the instant (published_at strings carry different offsets).
CREATE INDEX documents_published_instant ON documents (unixepoch(published_at), id);

-- 数据使用单位 and their logins (OpenUnitSchema, OpenAccountSchema); sessions as the CMS's, in a table of their own.
CREATE TABLE open_units (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  uscc TEXT NOT NULL UNIQUE,
  contact_name TEXT NOT NULL,
  contact_phone TEXT NOT NULL,
  contact_email TEXT NOT NULL,
  purpose TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'suspended')),
  suspended_reason TEXT,
  created_at TEXT NOT NULL
);
CREATE TABLE open_accounts (
  id TEXT NOT NULL PRIMARY KEY,
  unit_id TEXT NOT NULL REFERENCES open_units(id) ON DELETE CASCADE,
  username TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  password_salt TEXT NOT NULL,
  password_iterations INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  password_changed_at TEXT NOT NULL
);
CREATE TABLE open_sessions (
  token_hash TEXT NOT NULL PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES open_accounts(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX open_sessions_account ON open_sessions (account_id);

-- 申请 → 审批 (OpenApplicationSchema): one row per application; the owning unit's site admins decide.
CREATE TABLE open_applications (
  id TEXT NOT NULL PRIMARY KEY,
  unit_id TEXT NOT NULL REFERENCES open_units(id) ON DELETE CASCADE,
  code TEXT NOT NULL REFERENCES open_interfaces(code),
  purpose TEXT NOT NULL,
  daily_quota INTEGER NOT NULL,
  ends_on TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),
  reason TEXT,
  decided_by TEXT,
  decided_at TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX open_applications_unit ON open_applications (unit_id, status);
CREATE INDEX open_applications_code ON open_applications (code, status);
-- At most one live (pending or approved) application per unit and interface.
CREATE UNIQUE INDEX open_applications_live ON open_applications (unit_id, code) WHERE status IN ('pending', 'approved');

-- API keys (ApiKeySchema): only the SHA-256 of a key is stored.
CREATE TABLE open_keys (
  id TEXT NOT NULL PRIMARY KEY,
  unit_id TEXT NOT NULL REFERENCES open_units(id) ON DELETE CASCADE,
  key_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX open_keys_unit ON open_keys (unit_id);

-- Calls per day (北京时间), unit and interface, without anything of the request or the answer.
CREATE TABLE open_usage (
  day TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  code TEXT NOT NULL,
  calls INTEGER NOT NULL,
  refused INTEGER NOT NULL,
  PRIMARY KEY (day, unit_id, code)
);
CREATE INDEX open_usage_code ON open_usage (code, day);

-- The audit log (cms-schema/src/audit.ts): appended in the same batch as each change, never changed after.
CREATE TABLE audit_log (
  seq INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  account_id TEXT,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  site_id TEXT,
  before_hash TEXT,
  after_hash TEXT,
  detail TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_account ON audit_log(account_id, seq);
CREATE INDEX audit_log_site ON audit_log(site_id, seq);

CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

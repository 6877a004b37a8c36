-- CMS accounts (cms-schema/src/account.ts; columns derived by table.ts, checked by a test), their grants along
-- the site hierarchy, sessions and login throttling (worker/src/cms/).
CREATE TABLE accounts (
  id TEXT NOT NULL PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,       -- PBKDF2-SHA256, hex
  password_salt TEXT NOT NULL,       -- per account, hex
  password_iterations INTEGER NOT NULL,
  external_subject TEXT UNIQUE,      -- iss|sub of a linked SSO identity (统一身份认证)
  disabled INTEGER NOT NULL,
  is_demo INTEGER NOT NULL,          -- 1 = demo account of the local cluster
  created_at TEXT NOT NULL,
  password_changed_at TEXT NOT NULL
);

CREATE TABLE grants (
  id TEXT NOT NULL PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  role TEXT NOT NULL,
  site_id TEXT,                      -- no foreign key: re-seeding the registry must not drop people's rights
  column_ids TEXT NOT NULL,          -- JSON array (editors: limited to these columns when not empty)
  level INTEGER                      -- reviewers: the review level they sign off
);
CREATE INDEX grants_account ON grants(account_id);

-- A session is known by the SHA-256 of its cookie value: a leak of this table logs nobody in.
CREATE TABLE sessions (
  token_hash TEXT NOT NULL PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,       -- ms since epoch
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_account ON sessions(account_id);

-- Failed logins per key (a hashed user name or client address) in the current window.
CREATE TABLE login_failures (
  key TEXT NOT NULL PRIMARY KEY,
  window_start INTEGER NOT NULL,
  failures INTEGER NOT NULL
);

-- 内容监管 (issue 14, cms-schema/src/inspection.ts): inspection runs, their findings, each site's score, the pages a
-- run could not judge, and the 整改 items findings become. A run is worked off site by site (inspection_tasks), so
-- a run the Cron Trigger or `npm run inspect` left half-way (killed, out of time) is resumed, never started twice.
CREATE TABLE inspection_runs (
  id TEXT NOT NULL PRIMARY KEY,
  schedule TEXT NOT NULL,
  state TEXT NOT NULL,
  trigger TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  sites INTEGER NOT NULL,
  pages INTEGER NOT NULL,
  findings INTEGER NOT NULL,
  skipped INTEGER NOT NULL,
  requested_by TEXT
);
CREATE INDEX inspection_runs_started ON inspection_runs (schedule, started_at);

CREATE TABLE inspection_tasks (
  run_id TEXT NOT NULL REFERENCES inspection_runs (id) ON DELETE CASCADE,
  site_id TEXT NOT NULL,
  done INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, site_id)
) WITHOUT ROWID;

CREATE TABLE inspection_findings (
  run_id TEXT NOT NULL REFERENCES inspection_runs (id) ON DELETE CASCADE,
  site_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL,
  points REAL NOT NULL,
  url TEXT NOT NULL,
  target TEXT NOT NULL,
  message TEXT NOT NULL,
  excerpt TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  PRIMARY KEY (run_id, fingerprint)
);
CREATE INDEX inspection_findings_site ON inspection_findings (site_id, run_id);

CREATE TABLE inspection_scores (
  run_id TEXT NOT NULL REFERENCES inspection_runs (id) ON DELETE CASCADE,
  site_id TEXT NOT NULL,
  verdict TEXT NOT NULL,
  score REAL,
  vetoes INTEGER NOT NULL,
  deductions REAL NOT NULL,
  pages INTEGER NOT NULL,
  findings INTEGER NOT NULL,
  veto_reasons TEXT NOT NULL,
  PRIMARY KEY (run_id, site_id)
);
CREATE INDEX inspection_scores_site ON inspection_scores (site_id);

CREATE TABLE inspection_skips (
  run_id TEXT NOT NULL REFERENCES inspection_runs (id) ON DELETE CASCADE,
  site_id TEXT NOT NULL,
  url TEXT NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (run_id, site_id, url)
);

-- The publish time each document had when the inspector first saw it: a later, earlier time is a back-dated item.
CREATE TABLE inspection_seen (
  document_id TEXT NOT NULL PRIMARY KEY,
  published_at TEXT NOT NULL,
  seen_at TEXT NOT NULL
) WITHOUT ROWID;

-- Availability probes of each site's home page (the national rule: ≥ 20 a day over a week, ≥ 5 % failed vetoes).
CREATE TABLE inspection_probes (
  site_id TEXT NOT NULL,
  at TEXT NOT NULL,
  ok INTEGER NOT NULL,
  status INTEGER,
  ms INTEGER NOT NULL,
  PRIMARY KEY (site_id, at)
) WITHOUT ROWID;

CREATE TABLE rectifications (
  id TEXT NOT NULL PRIMARY KEY,
  fingerprint TEXT NOT NULL UNIQUE,
  site_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL,
  state TEXT NOT NULL,
  url TEXT NOT NULL,
  target TEXT NOT NULL,
  message TEXT NOT NULL,
  excerpt TEXT NOT NULL,
  first_run_id TEXT NOT NULL,
  last_run_id TEXT NOT NULL,
  deadline TEXT NOT NULL,
  escalation INTEGER NOT NULL,
  escalated_to TEXT NOT NULL,
  note TEXT NOT NULL,
  updated_by TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX rectifications_site ON rectifications (site_id, state);
CREATE INDEX rectifications_escalated ON rectifications (escalated_to, state);

-- 域名管理 (issue 14; cms-schema/src/domains.ts, worker/src/domains/).

-- The last probe of each host (DNS over HTTPS, certificate expiry). A failed probe is a row too: its status
-- ERROR or its cert_error says what went wrong, so the report never mistakes "not checked" for "fine".
CREATE TABLE domain_status (
  host TEXT NOT NULL PRIMARY KEY,
  checked_at TEXT NOT NULL,
  dns_status TEXT NOT NULL CHECK (dns_status IN ('NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'ERROR')),
  dns_answers TEXT NOT NULL,        -- JSON [{type: A|AAAA|CNAME, data, ttl}]
  dns_error TEXT,
  cert_not_after TEXT,              -- ISO instant; NULL: none found, or the probe failed (cert_error)
  cert_issuer TEXT,
  cert_source TEXT CHECK (cert_source IN ('tls', 'ct')),
  cert_error TEXT
);

-- A site admin's request to move the site to another primary domain, decided by the unit above. At most one
-- pending request per site, and no two pending requests for one domain.
CREATE TABLE domain_requests (
  id TEXT NOT NULL PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  old_domain TEXT NOT NULL,
  new_domain TEXT NOT NULL,
  reason TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected')),
  requested_by TEXT NOT NULL,
  requested_at TEXT NOT NULL,
  decided_by TEXT,
  decided_at TEXT,
  comment TEXT
);
CREATE UNIQUE INDEX domain_requests_pending_site ON domain_requests (site_id) WHERE state = 'pending';
CREATE UNIQUE INDEX domain_requests_pending_domain ON domain_requests (new_domain) WHERE state = 'pending';
CREATE INDEX domain_requests_site ON domain_requests (site_id, requested_at);

-- Hosts a site left: they answer with 301s to the same path on the site's primary domain (read at request
-- time, so a site that moves twice never sends a reader through two hops), and stay the site's.
CREATE TABLE domain_redirects (
  host TEXT NOT NULL PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  since TEXT NOT NULL,
  request_id TEXT REFERENCES domain_requests(id)
);
CREATE INDEX domain_redirects_site ON domain_redirects (site_id);

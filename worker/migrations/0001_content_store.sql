-- The content store. Columns mirror the zod schemas in cms-schema/src (see table.ts); a test applies this
-- file to a real D1 and fails if a table and its schema disagree.

CREATE TABLE sites (
  id TEXT NOT NULL PRIMARY KEY,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  parent_id TEXT REFERENCES sites(id),
  division_code TEXT NOT NULL,
  domains TEXT NOT NULL,            -- JSON array, first is primary
  domain_listed INTEGER NOT NULL,   -- 1 = from the public list of government hosts
  id_code TEXT NOT NULL UNIQUE,     -- 网站标识码
  icp TEXT NOT NULL,                -- ICP备案号
  psb TEXT NOT NULL,                -- 公安机关备案号
  sponsor TEXT NOT NULL,            -- 主办单位
  contact TEXT NOT NULL,            -- JSON {phone, address, postcode, email?}
  theme_id TEXT NOT NULL,
  sort_order INTEGER NOT NULL
);
CREATE INDEX sites_parent ON sites(parent_id);

CREATE TABLE site_hosts (
  host TEXT NOT NULL PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE
);

CREATE TABLE columns (
  id TEXT NOT NULL PRIMARY KEY,     -- <site id>/<slug>
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  parent_id TEXT REFERENCES columns(id),
  slug TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  description TEXT NOT NULL,
  keywords TEXT NOT NULL,           -- JSON array
  sort_order INTEGER NOT NULL,
  UNIQUE (site_id, slug)
);

CREATE TABLE documents (
  id TEXT NOT NULL PRIMARY KEY,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  body_html TEXT NOT NULL,          -- sanitized on the way in
  summary TEXT NOT NULL,
  keywords TEXT NOT NULL,           -- JSON array
  author TEXT NOT NULL,
  source TEXT NOT NULL,             -- 来源
  source_url TEXT,
  published_at TEXT NOT NULL,       -- ISO 8601 with offset
  attachments TEXT NOT NULL,        -- JSON array of {name, key, contentType, size, sha256}
  owner_site_id TEXT NOT NULL REFERENCES sites(id),
  is_demo INTEGER NOT NULL,         -- 1 = generated 示例 content
  index_number TEXT,                -- 索引号
  issuer TEXT,                      -- 发文机关
  doc_number TEXT,                  -- 发文字号
  written_on TEXT,                  -- 成文日期
  issued_on TEXT,                   -- 发布日期
  topic TEXT,                       -- 主题分类
  subject_words TEXT NOT NULL,      -- 主题词, JSON array
  validity TEXT                     -- 有效 / 失效 / 废止
);
CREATE INDEX documents_published ON documents(published_at);
CREATE INDEX documents_doc_number ON documents(doc_number);

CREATE TABLE placements (
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  column_id TEXT NOT NULL REFERENCES columns(id) ON DELETE CASCADE,
  pinned INTEGER NOT NULL,
  PRIMARY KEY (document_id, site_id)
);
CREATE INDEX placements_column ON placements(column_id);
CREATE INDEX placements_site ON placements(site_id);

CREATE TABLE interpretation_links (
  policy_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  interpretation_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  PRIMARY KEY (policy_id, interpretation_id)
);
CREATE INDEX interpretation_links_back ON interpretation_links(interpretation_id);

CREATE TABLE qa_entries (
  id TEXT NOT NULL PRIMARY KEY,
  site_id TEXT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
  question TEXT NOT NULL,
  answer TEXT NOT NULL,
  source_document_id TEXT NOT NULL REFERENCES documents(id)
);

-- Bookkeeping for the seed (which data set is loaded) and similar one-row facts.
CREATE TABLE meta (
  key TEXT NOT NULL PRIMARY KEY,
  value TEXT NOT NULL
);

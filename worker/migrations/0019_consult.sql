-- 留言咨询 (互动交流, cms-schema/src/consult.ts): a citizen's question, answered through the CMS. The question and
-- its contact details are separate tables: the editors' queue and any published 留言选登 item read the question,
-- only the editors' detail page reads the contact row, and the Cron Trigger deletes contact rows after
-- purge_after. The query code is stored as its SHA-256 only.
CREATE TABLE consult_messages (
  id TEXT NOT NULL PRIMARY KEY,
  site_id TEXT NOT NULL,
  code_hash TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  question TEXT NOT NULL,
  received_at TEXT NOT NULL,
  document_id TEXT UNIQUE,             -- the 留言选登 document of the answer (cms_documents.id)
  answer TEXT,
  answer_unit TEXT,
  answered_at TEXT,
  qa_entry_id TEXT
);
CREATE INDEX consult_messages_site ON consult_messages (site_id, received_at);

CREATE TABLE consult_contacts (
  message_id TEXT NOT NULL PRIMARY KEY REFERENCES consult_messages (id) ON DELETE CASCADE,
  name TEXT,
  phone TEXT,
  email TEXT,
  purge_after TEXT NOT NULL
);
CREATE INDEX consult_contacts_purge ON consult_contacts (purge_after);

-- Submissions and look-ups per client address (hashed) and per site, in fixed windows: one conditional upsert
-- takes a slot and returns the count, so parallel posts cannot all slip under the limit.
CREATE TABLE consult_rate (
  key TEXT NOT NULL PRIMARY KEY,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL
) WITHOUT ROWID;

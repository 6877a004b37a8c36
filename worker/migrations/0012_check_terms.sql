-- Word and domain lists of the pre-publish checks (cms-schema/src/checks.ts): data admins edit, not code.
CREATE TABLE check_terms (
  list TEXT NOT NULL,           -- typo | banned | caution | illegal-domain
  term TEXT NOT NULL,
  replacement TEXT NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY (list, term)
) WITHOUT ROWID;

-- Synonym and abbreviation groups for search (search/data/synonyms.tsv seeds them; admins edit them here).
CREATE TABLE search_synonyms (
  id INTEGER PRIMARY KEY,
  terms TEXT NOT NULL UNIQUE   -- "社保|社会保险"
);

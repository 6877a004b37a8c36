-- 地区 of each indexed document (search/src/area.ts: whose government issued it, as JSON {scope, name, code}):
-- results show it and search ranks documents near the reader first. Entries indexed before this migration
-- have none (ranked neutrally, shown as 地区未注明) until `npm run reindex`, which rewrites every entry whose
-- fingerprint changed — the fingerprint now includes the area.
ALTER TABLE search_docs ADD COLUMN area TEXT;

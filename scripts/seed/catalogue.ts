/**
 * 开放目录: the open-data catalogue (cms-schema buildCatalogue) written for the registry in the store. Codes
 * already given are kept and new entries appended, so a consumer's GX-OPEN-0042 never changes meaning; run
 * after every seed, and harmless when nothing changed.
 */
import { TABLES, buildCatalogue, fromRow, insertSql, selectColumns, toRow } from '@ywtc/cms-schema';

export async function seedCatalogue(db: D1Database, now = new Date()): Promise<{ interfaces: number; added: number }> {
  const sites = (await db.prepare(`SELECT ${selectColumns(TABLES.sites)} FROM sites`).all()).results.map((r) => fromRow(TABLES.sites, r));
  const existing = (await db.prepare(`SELECT ${selectColumns(TABLES.openInterfaces)} FROM open_interfaces`).all()).results.map((r) =>
    fromRow(TABLES.openInterfaces, r),
  );
  const entries = buildCatalogue(sites, now.toISOString(), existing);
  const known = new Set(existing.map((e) => e.code));
  const added = entries.filter((e) => !known.has(e.code));
  if (added.length)
    await db.batch(
      added.map((e) => db.prepare(insertSql(TABLES.openInterfaces).replace(/^INSERT/, 'INSERT OR IGNORE')).bind(...toRow(TABLES.openInterfaces, e))),
    );
  return { interfaces: existing.length + added.length, added: added.length };
}

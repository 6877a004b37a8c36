/**
 * 索引号 at publish, in the national form 单位代码/年份-流水号 (as the State Council's own, 000014349/2019-00007:
 * the publishing unit's code, the year, a five-digit serial per unit and year). The registry holds no
 * 组织机构代码 or 统一社会信用代码 for its units, so the unit code is the site's 网站标识码 (10 digits, unique per
 * unit and issued by the national platform). An editor who typed one keeps it; an empty one is assigned here.
 *
 * Why statements and not a function that returns a number: the serial is taken inside the publish's own D1
 * batch (one transaction), by an UPSERT on the unit's counter, so two publishes at the same moment can never
 * read the same counter value — and a publish that fails takes no number. The number a document got is kept
 * in `index_numbers` and reused whenever it is published again.
 */
import { cstYear } from '@ywtc/cms-schema';

/** Kinds that carry 政务公开 metadata (索引号, 发文机关, 发文字号). */
export const NUMBERED_KINDS: ReadonlySet<string> = new Set(['policy', 'regulation', 'interpretation']);

/** ?1 unit, ?2 year, ?3 the prefix `unit/year-`: the highest serial of that unit and year already in the store. */
const HIGHEST_STORED = `coalesce((SELECT max(CAST(substr(index_number, length(?3) + 1) AS INTEGER)) FROM documents
  WHERE index_number >= ?3 AND index_number < ?3 || '~'), 0)`;

/**
 * The statements that give `documentId` its 索引号 unless it has one: take the next serial of the unit and year
 * (above any number of that unit and year typed by hand), record it. Put them before the document's row is
 * written, and `fillIndexNumber` after it.
 */
export function assignIndexNumber(db: D1Database, input: { documentId: string; unitCode: string; publishedAt: string }): D1PreparedStatement[] {
  const year = cstYear(input.publishedAt);
  const prefix = `${input.unitCode}/${year}-`;
  const unassigned = 'NOT EXISTS (SELECT 1 FROM index_numbers WHERE document_id = ?4)';
  return [
    db
      .prepare(
        `INSERT INTO index_number_counters (unit_code, year, last) SELECT ?1, ?2, ${HIGHEST_STORED} + 1 WHERE ${unassigned}
         ON CONFLICT (unit_code, year) DO UPDATE SET last = max(index_number_counters.last + 1, excluded.last)`,
      )
      .bind(input.unitCode, year, prefix, input.documentId),
    db
      .prepare(
        `INSERT INTO index_numbers (document_id, index_number, assigned_at)
         SELECT ?4, ?3 || printf('%05d', last), ?5 FROM index_number_counters WHERE unit_code = ?1 AND year = ?2 AND ${unassigned}`,
      )
      .bind(input.unitCode, year, prefix, input.documentId, input.publishedAt),
  ];
}

/** After the document's row is written: an empty 索引号 becomes the one assigned. */
export const fillIndexNumber = (db: D1Database, documentId: string): D1PreparedStatement =>
  db
    .prepare('UPDATE documents SET index_number = (SELECT index_number FROM index_numbers WHERE document_id = ?1) WHERE id = ?1 AND index_number IS NULL')
    .bind(documentId);

/** The 索引号 a document was given at publish, if any (the editor page shows it). */
export async function assignedIndexNumber(db: D1Database, documentId: string): Promise<string | null> {
  const row = await db.prepare('SELECT index_number FROM index_numbers WHERE document_id = ?').bind(documentId).first<{ index_number: string }>();
  return row?.index_number ?? null;
}

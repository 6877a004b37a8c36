/**
 * Is this record a document the store already holds — the same notice reposted by another platform or site?
 * Fingerprints (search/src/dedupe.ts) are kept per document in D1 (document_fingerprints): the exact hash of the
 * normalised text, and the SimHash cut into four bands. A batch asks D1 ONCE for every stored document that
 * shares an exact hash or a band with any of its records (a near duplicate shares at least one band), and the
 * few candidates are then judged in memory with the full test, which also tells two notices of one template apart.
 *
 * The document kept is the original issuer's copy: when the repeat comes from the site of the unit that issued
 * it (its 来源 is that site's sponsor) and the stored copy is another site's repost, the stored document takes
 * the issuer's site as its owner and the issuer's page as its 来源网址.
 */
import { SIMHASH_MAX_DISTANCE, hamming, isNearDuplicate, prepareForDedupe, sharesBand, type DedupeDocument, type Fingerprint } from '@ywtc/search/dedupe';
import type { Prepared } from './prepare.ts';

export interface Fingerprinted {
  /** The record's normalised text and fingerprint, computed once. */
  dedupe: DedupeDocument;
}

export interface Duplicate {
  documentId: string;
  /** Statements that make the stored document the issuer's copy, when this record is it. */
  adopt: (db: D1Database, p: Prepared) => D1PreparedStatement[];
  notes: string[];
}

interface Candidate {
  documentId: string;
  exactHash: string;
  simhash: string;
}

export const fingerprintsOf = (ps: readonly Prepared[]): DedupeDocument[] => ps.map((p) => prepareForDedupe(p.document.title, p.document.bodyHtml));

export const fingerprintWrite = (db: D1Database, documentId: string, f: Fingerprint): D1PreparedStatement =>
  db
    .prepare('INSERT OR REPLACE INTO document_fingerprints (document_id, exact_hash, simhash, band0, band1, band2, band3) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .bind(documentId, f.exactHash, f.simhash, ...f.bands);

/** popcount of a 32-bit value in SQLite integer arithmetic (SWAR): SQLite has no bit-count function. */
const popcount = (x: string) => {
  const a = `(${x} - ((${x} >> 1) & 1431655765))`;
  const b = `((${a} & 858993459) + ((${a} >> 2) & 858993459))`;
  const c = `((${b} + (${b} >> 4)) & 252645135)`;
  return `(((${c} * 16843009) & 4294967295) >> 24)`;
};

/**
 * Every stored document with the exact hash of one of the batch's texts, or within SimHash distance of one: one
 * query. The four band indexes find the candidates (a document ≤ 3 bits away shares a band); the distance itself is
 * computed in SQLite on the two 32-bit halves (XOR as (a | b) − (a & b): SQLite has no ^), so only real candidates come back — rows sharing a 16-bit band by
 * chance grow with the store (≈ 10,000 a batch at 50,000 documents), true near ones do not.
 */
export async function storedCandidates(db: D1Database, docs: readonly DedupeDocument[]): Promise<Candidate[]> {
  if (!docs.length) return [];
  const q = docs.map(({ fingerprint: f }) => [f.bands[0] * 65536 + f.bands[1], f.bands[2] * 65536 + f.bands[3], f.exactHash]);
  const band = (col: string, expr: string) =>
    `SELECT f.document_id, f.exact_hash, f.simhash, f.band0, f.band1, f.band2, f.band3, q.hi, q.lo, q.exact FROM q JOIN document_fingerprints f ON f.${col} = ${expr}`;
  const { results } = await db
    .prepare(
      `WITH q AS (SELECT json_extract(value, '$[0]') AS hi, json_extract(value, '$[1]') AS lo, json_extract(value, '$[2]') AS exact FROM json_each(?1)),
       m AS (${band('band0', '(q.hi >> 16)')} UNION ALL ${band('band1', '(q.hi & 65535)')} UNION ALL ${band('band2', '(q.lo >> 16)')}
             UNION ALL ${band('band3', '(q.lo & 65535)')} UNION ALL ${band('exact_hash', 'q.exact')}),
       h AS (SELECT document_id, exact_hash, simhash, exact, hi, lo, ((band0 << 16) | band1) AS fh, ((band2 << 16) | band3) AS fl FROM m),
       x AS (SELECT document_id, exact_hash, simhash, exact, (fh | hi) - (fh & hi) AS a, (fl | lo) - (fl & lo) AS b FROM h)
       SELECT DISTINCT document_id, exact_hash, simhash FROM x WHERE exact_hash = exact OR ${popcount('a')} + ${popcount('b')} <= ${SIMHASH_MAX_DISTANCE}`,
    )
    .bind(JSON.stringify(q))
    .all<{ document_id: string; exact_hash: string; simhash: string }>();
  return results.map((r) => ({ documentId: r.document_id, exactHash: r.exact_hash, simhash: r.simhash }));
}

/** The stored (or earlier-in-batch) document this record repeats, or null. */
export async function duplicateOf(
  db: D1Database,
  p: Prepared & Fingerprinted,
  batch: readonly (Prepared & Fingerprinted)[],
  candidates: readonly Candidate[],
): Promise<Duplicate | null> {
  const me = p.dedupe;
  const mine = (c: { documentId: string }) => c.documentId === p.document.id;
  // Earlier records of this batch first: they are not in D1 yet.
  for (const b of batch)
    if (
      b.document.id !== p.document.id &&
      (b.dedupe.fingerprint.exactHash === me.fingerprint.exactHash || (sharesBand(me.fingerprint, b.dedupe.fingerprint) && isNearDuplicate(me, b.dedupe)))
    )
      return merge(p, { documentId: b.document.id, ownerSiteId: b.document.ownerSiteId, source: b.document.source });
  // The batch's candidates are within distance of SOME record of the batch: this record's are checked again.
  const exact = candidates.filter((c) => !mine(c) && c.exactHash === me.fingerprint.exactHash);
  const near = candidates.filter(
    (c) => !mine(c) && c.exactHash !== me.fingerprint.exactHash && hamming(me.fingerprint.simhash, c.simhash) <= SIMHASH_MAX_DISTANCE,
  );
  if (!exact.length && !near.length) return null;
  const { results } = await db
    .prepare('SELECT id, title, body_html, owner_site_id, source FROM documents WHERE id IN (SELECT value FROM json_each(?))')
    .bind(JSON.stringify([...exact, ...near].map((c) => c.documentId)))
    .all<{ id: string; title: string; body_html: string; owner_site_id: string; source: string }>();
  const stored = (r: (typeof results)[number]) => ({ documentId: r.id, ownerSiteId: r.owner_site_id, source: r.source });
  const exactRow = results.find((r) => exact.some((c) => c.documentId === r.id));
  if (exactRow) return merge(p, stored(exactRow));
  for (const r of results) if (isNearDuplicate(me, prepareForDedupe(r.title, r.body_html))) return merge(p, stored(r));
  return null;
}

function merge(p: Prepared, stored: { documentId: string; ownerSiteId: string; source: string }): Duplicate {
  // This record is the issuer's own copy when its 来源 is its own site's unit, and the stored one is someone else's.
  const fromIssuer = p.document.source === p.sponsor && stored.ownerSiteId !== p.document.ownerSiteId;
  return {
    documentId: stored.documentId,
    notes: [
      fromIssuer ? `与已有文档 ${stored.documentId} 相同，以发文单位网站的这份原文为准` : `与已有文档 ${stored.documentId} 相同，已在本网站栏目中共享该文档`,
    ],
    adopt: (db) =>
      fromIssuer
        ? [
            db
              .prepare('UPDATE documents SET owner_site_id = ?, source = ?, source_url = ? WHERE id = ?')
              .bind(p.document.ownerSiteId, p.document.source, p.document.sourceUrl, stored.documentId),
            db.prepare('UPDATE cms_documents SET site_id = ?, column_id = ? WHERE id = ?').bind(p.document.ownerSiteId, p.columnId, stored.documentId),
          ]
        : [],
  };
}

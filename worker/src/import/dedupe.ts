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
  ownerSiteId: string;
  source: string;
}

export const fingerprintsOf = (ps: readonly Prepared[]): DedupeDocument[] => ps.map((p) => prepareForDedupe(p.document.title, p.document.bodyHtml));

export const fingerprintWrite = (db: D1Database, documentId: string, f: Fingerprint): D1PreparedStatement =>
  db
    .prepare('INSERT OR REPLACE INTO document_fingerprints (document_id, exact_hash, simhash, band0, band1, band2, band3) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .bind(documentId, f.exactHash, f.simhash, ...f.bands);

/** Every stored document sharing an exact hash or a SimHash band with one of the batch's fingerprints: one query. */
export async function storedCandidates(db: D1Database, docs: readonly DedupeDocument[]): Promise<Candidate[]> {
  if (!docs.length) return [];
  const fps = docs.map((d) => d.fingerprint);
  const list = (values: readonly (string | number)[]) => JSON.stringify([...new Set(values)]);
  const { results } = await db
    .prepare(
      `SELECT f.document_id, f.exact_hash, f.simhash, d.owner_site_id, d.source FROM document_fingerprints f JOIN documents d ON d.id = f.document_id
       WHERE f.exact_hash IN (SELECT value FROM json_each(?1)) OR f.band0 IN (SELECT value FROM json_each(?2)) OR f.band1 IN (SELECT value FROM json_each(?3))
          OR f.band2 IN (SELECT value FROM json_each(?4)) OR f.band3 IN (SELECT value FROM json_each(?5))`,
    )
    .bind(
      list(fps.map((f) => f.exactHash)),
      list(fps.map((f) => f.bands[0])),
      list(fps.map((f) => f.bands[1])),
      list(fps.map((f) => f.bands[2])),
      list(fps.map((f) => f.bands[3])),
    )
    .all<{ document_id: string; exact_hash: string; simhash: string; owner_site_id: string; source: string }>();
  return results.map((r) => ({ documentId: r.document_id, exactHash: r.exact_hash, simhash: r.simhash, ownerSiteId: r.owner_site_id, source: r.source }));
}

const bandsOfHex = (simhash: string): Fingerprint['bands'] => [0, 1, 2, 3].map((i) => parseInt(simhash.slice(i * 4, i * 4 + 4), 16)) as Fingerprint['bands'];

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
  const exact = candidates.find((c) => !mine(c) && c.exactHash === me.fingerprint.exactHash);
  if (exact) return merge(p, exact);
  // Sharing a band only makes a candidate; within the SimHash distance the full test can accept, it is worth reading.
  const near = candidates.filter(
    (c) =>
      !mine(c) &&
      sharesBand(me.fingerprint, { ...me.fingerprint, bands: bandsOfHex(c.simhash) }) &&
      hamming(me.fingerprint.simhash, c.simhash) <= SIMHASH_MAX_DISTANCE,
  );
  if (!near.length) return null;
  const { results } = await db
    .prepare('SELECT id, title, body_html FROM documents WHERE id IN (SELECT value FROM json_each(?))')
    .bind(JSON.stringify(near.map((c) => c.documentId)))
    .all<{ id: string; title: string; body_html: string }>();
  for (const r of results)
    if (isNearDuplicate(me, prepareForDedupe(r.title, r.body_html)))
      return merge(
        p,
        near.find((c) => c.documentId === r.id)!,
      );
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

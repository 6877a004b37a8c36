/**
 * The 政策文件库 of one site, read from D1: the policy documents (政策文件, 行政法规) placed on the site, filtered and
 * paged, and what the filters offer — the issuers and years the site's documents have. One batch, one round trip.
 */
import { documentPath } from '@ywtc/cms-schema';
import { PAGE_SIZE, type LibraryQuery } from './query.ts';

export interface LibraryRow {
  id: string;
  title: string;
  docNumber: string | null;
  issuer: string | null;
  writtenOn: string | null;
  /** 发布日期: the recorded one, else the China Standard Time day it went live. */
  issuedOn: string;
  validity: string | null;
  /** The document's page on this site. */
  path: string;
}

export interface Library {
  siteName: string;
  issuers: { name: string; count: number }[];
  years: number[];
  total: number;
  rows: LibraryRow[];
}

/** 发布日期 as a day: issued_on when recorded, else published_at in UTC+8 (stored instants carry any offset). */
const ISSUED_DAY = `COALESCE(d.issued_on, date(d.published_at, '+8 hours'))`;
const FROM = `FROM placements p JOIN documents d ON d.id = p.document_id JOIN columns c ON c.id = p.column_id
  WHERE p.site_id = ? AND d.kind IN ('policy', 'regulation')`;

export async function readLibrary(db: D1Database, siteId: string, q: LibraryQuery): Promise<Library> {
  const where: string[] = [];
  const args: string[] = [];
  const add = (sql: string, ...values: string[]) => {
    where.push(sql);
    args.push(...values);
  };
  if (q.issuer) add('d.issuer = ?', q.issuer);
  if (q.year) add(`substr(${ISSUED_DAY}, 1, 4) = ?`, String(q.year));
  // A topic is stored as `first` or `first/second` (older imports `first\second`).
  if (q.topic) add(`(d.topic = ? OR substr(d.topic, 1, length(?) + 1) IN (? || '/', ? || '\\'))`, q.topic, q.topic, q.topic, q.topic);
  if (q.validity === '未标注') add('d.validity IS NULL');
  else if (q.validity) add('d.validity = ?', q.validity);
  const filtered = FROM + where.map((w) => ` AND ${w}`).join('');
  const [site, issuers, years, count, rows] = await db.batch([
    db.prepare('SELECT name FROM sites WHERE id = ?').bind(siteId),
    db.prepare(`SELECT d.issuer AS name, count(*) AS count ${FROM} AND d.issuer IS NOT NULL GROUP BY d.issuer ORDER BY count DESC, d.issuer`).bind(siteId),
    db.prepare(`SELECT DISTINCT CAST(substr(${ISSUED_DAY}, 1, 4) AS INTEGER) AS year ${FROM} ORDER BY year DESC`).bind(siteId),
    // A document is placed once per site (the placements' key), so each row is one document.
    db.prepare(`SELECT count(*) AS n ${filtered}`).bind(siteId, ...args),
    db
      .prepare(
        `SELECT d.id, d.title, d.doc_number, d.issuer, d.written_on, ${ISSUED_DAY} AS issued_day, d.validity, c.slug ${filtered}
         ORDER BY unixepoch(d.published_at) DESC, d.id LIMIT ? OFFSET ?`,
      )
      .bind(siteId, ...args, PAGE_SIZE, (q.page - 1) * PAGE_SIZE),
  ]);
  return {
    siteName: (site!.results[0] as { name: string } | undefined)?.name ?? '',
    issuers: issuers!.results as { name: string; count: number }[],
    years: (years!.results as { year: number | null }[]).map((r) => r.year).filter((y): y is number => typeof y === 'number'),
    total: (count!.results[0] as { n: number }).n,
    rows: (
      rows!.results as {
        id: string;
        title: string;
        doc_number: string | null;
        issuer: string | null;
        written_on: string | null;
        issued_day: string;
        validity: string | null;
        slug: string;
      }[]
    ).map((r) => ({
      id: r.id,
      title: r.title,
      docNumber: r.doc_number,
      issuer: r.issuer,
      writtenOn: r.written_on,
      issuedOn: r.issued_day,
      validity: r.validity,
      path: documentPath(r.slug, r.id),
    })),
  };
}

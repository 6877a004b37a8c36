/** D1 `domain_status` (migration 0024): the last probe of each host, written as upserts, read back through the schema. */
import { DomainStatusSchema, type DomainStatus } from '@ywtc/cms-schema';

const UPSERT = `INSERT INTO domain_status (host, checked_at, dns_status, dns_answers, dns_error, cert_not_after, cert_issuer, cert_source, cert_error)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (host) DO UPDATE SET checked_at = excluded.checked_at, dns_status = excluded.dns_status, dns_answers = excluded.dns_answers,
    dns_error = excluded.dns_error, cert_not_after = excluded.cert_not_after, cert_issuer = excluded.cert_issuer, cert_source = excluded.cert_source,
    cert_error = excluded.cert_error`;

/** Writes the rows, 50 statements to a batch (each batch one transaction: a row is whole or absent). */
export async function storeStatuses(db: D1Database, rows: readonly DomainStatus[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 50)
    await db.batch(
      rows
        .slice(i, i + 50)
        .map((s) =>
          db
            .prepare(UPSERT)
            .bind(s.host, s.checkedAt, s.dnsStatus, JSON.stringify(s.dnsAnswers), s.dnsError, s.certNotAfter, s.certIssuer, s.certSource, s.certError),
        ),
    );
}

interface Row {
  host: string;
  checked_at: string;
  dns_status: string;
  dns_answers: string;
  dns_error: string | null;
  cert_not_after: string | null;
  cert_issuer: string | null;
  cert_source: string | null;
  cert_error: string | null;
}

export const statusOfRow = (r: Row): DomainStatus =>
  DomainStatusSchema.parse({
    host: r.host,
    checkedAt: r.checked_at,
    dnsStatus: r.dns_status,
    dnsAnswers: JSON.parse(r.dns_answers) as unknown,
    dnsError: r.dns_error,
    certNotAfter: r.cert_not_after,
    certIssuer: r.cert_issuer,
    certSource: r.cert_source,
    certError: r.cert_error,
  });

export const selectStatuses = (db: D1Database) => db.prepare('SELECT * FROM domain_status ORDER BY host');

/**
 * The hosts the next scheduled probe should take: the registry's hosts never checked first, then those checked
 * longest ago, at most `limit` (each host costs four subrequests: DoH A and AAAA, two CT searches).
 */
export async function hostsDue(db: D1Database, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare('SELECT h.host FROM site_hosts h LEFT JOIN domain_status s ON s.host = h.host ORDER BY s.checked_at IS NOT NULL, s.checked_at, h.host LIMIT ?')
    .bind(limit)
    .all<{ host: string }>();
  return results.map((r) => r.host);
}

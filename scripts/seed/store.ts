/**
 * Writes a validated registry and its content into D1 in one batch. D1 runs a batch as a single transaction,
 * so a failure leaves the previous content exactly as it was: nothing is ever half-written.
 *
 * Rows go in as multi-row INSERTs with SQL literals (quoted by `sqlLiteral`, never built from unquoted input):
 * one bound statement per row costs ≈3 ms in the local simulator (45 s for the demo cluster), while
 * ~90 KB statements load the same rows in a couple of seconds. D1 caps a statement at 100,000 bytes, so a
 * row too large for that goes in alone with bound parameters.
 */
import { TABLES, columnsOf, insertSql, tagDocument, toRow, type Site, type SqlValue, type TableSpec } from '@ywtc/cms-schema';
import type { Content } from './content.ts';
import { SEED_AUTHOR, cmsRowsOf } from './cms-import.ts';
import { SEARCH_COLUMNS, SEARCH_TABLES, bumpVersion, indexRows, searchDocumentsOf } from '@ywtc/search';
import { QA_FTS_COLUMNS, QA_INDEX_COLUMNS, qaIndexRows } from '@ywtc/search/qa-d1';

export const SEED_KEY = 'seed.fingerprint';
const MAX_STATEMENT_BYTES = 90_000;

export async function storedFingerprint(db: D1Database): Promise<string | null> {
  const row = await db.prepare('SELECT value FROM meta WHERE key = ?').bind(SEED_KEY).first<{ value: string }>();
  return row?.value ?? null;
}

export function sqlLiteral(v: SqlValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a finite number: ${v}`);
    return String(v);
  }
  // eslint-disable-next-line no-control-regex -- a NUL cannot be written in a SQL literal
  return `'${v.replace(/\u0000/g, '').replace(/'/g, "''")}'`;
}

export function insertStatements(db: D1Database, spec: TableSpec, rows: readonly unknown[]): D1PreparedStatement[] {
  const columns = columnsOf(spec).map((c) => c.name);
  return literalInserts(
    db,
    spec.name,
    columns,
    rows.map((r) => toRow(spec, r as never)),
    insertSql(spec),
  );
}

/** Multi-row INSERTs of quoted literals, ≤ MAX_STATEMENT_BYTES each; a row too large goes alone, bound. */
export function literalInserts(
  db: D1Database,
  table: string,
  columns: readonly string[],
  rows: readonly SqlValue[][],
  boundSql?: string,
): D1PreparedStatement[] {
  const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
  const single = boundSql ?? `${head}(${columns.map(() => '?').join(', ')})`;
  const utf8 = new TextEncoder();
  const headBytes = utf8.encode(head).byteLength;
  const out: D1PreparedStatement[] = [];
  let tuples: string[] = [];
  let bytes = headBytes;
  const flush = () => {
    if (tuples.length) out.push(db.prepare(head + tuples.join(',')));
    tuples = [];
    bytes = headBytes;
  };
  for (const values of rows) {
    const tuple = `(${values.map(sqlLiteral).join(',')})`;
    const size = utf8.encode(tuple).byteLength + 1;
    if (headBytes + size > MAX_STATEMENT_BYTES) {
      out.push(db.prepare(single).bind(...values));
      continue;
    }
    if (bytes + size > MAX_STATEMENT_BYTES) flush();
    tuples.push(tuple);
    bytes += size;
  }
  flush();
  return out;
}

export async function writeContent(db: D1Database, sites: Site[], content: Content, fingerprint: string): Promise<void> {
  // The search index is rebuilt in the same transaction, so search and content never disagree.
  const index = indexRows(searchDocumentsOf({ ...content, sites }));
  const qaIndex = qaIndexRows(content.qa); // the policy Q&A answer index, likewise
  // Children before parents on delete, parents before children on insert: D1 enforces the foreign keys.
  const stmts = [
    db.prepare("INSERT INTO search_fts (search_fts) VALUES ('delete-all')"),
    db.prepare("INSERT INTO search_title_fts (search_title_fts) VALUES ('delete-all')"),
    db.prepare("INSERT INTO qa_fts (qa_fts) VALUES ('delete-all')"),
    db.prepare('DELETE FROM search_synonyms'),
  ];
  // The CMS side of the seeded documents (cms-import.ts) is replaced with them; documents people wrote stay.
  const cms = cmsRowsOf(content);
  stmts.push(
    db.prepare('DELETE FROM cms_shares WHERE account_id = ?').bind(SEED_AUTHOR),
    db.prepare('DELETE FROM cms_documents WHERE created_by = ?').bind(SEED_AUTHOR),
  );
  stmts.push(
    ...[
      'search_sites',
      'search_text',
      'search_links',
      'search_terms',
      'search_docs',
      'qa_index',
      'qa_entries',
      'interpretation_links',
      'placements',
      'document_tags',
      'reference_documents',
      'documents',
      'columns',
      'site_hosts',
      'sites',
    ].map((t) => db.prepare(`DELETE FROM ${t}`)),
  );
  stmts.push(
    ...insertStatements(db, TABLES.sites, sites),
    ...insertStatements(
      db,
      TABLES.siteHosts,
      sites.flatMap((s) => s.domains.map((host) => ({ host, siteId: s.id }))),
    ),
    ...insertStatements(db, TABLES.columns, content.columns),
    ...insertStatements(db, TABLES.documents, content.documents),
    // 千人千网's interest tags: the editor's where chosen, the classifier's otherwise (cms-schema auto-tags.ts).
    ...insertStatements(
      db,
      TABLES.documentTags,
      content.documents.flatMap((d) => tagDocument(d)),
    ),
    ...insertStatements(db, TABLES.placements, content.placements),
    ...insertStatements(
      db,
      TABLES.referenceDocuments,
      content.reference.map((documentId) => ({ documentId })),
    ),
    ...insertStatements(db, TABLES.interpretationLinks, content.links),
    ...insertStatements(db, TABLES.qaEntries, content.qa),
    ...insertStatements(db, TABLES.cmsDocuments, cms.documents),
    ...insertStatements(db, TABLES.revisions, cms.revisions),
    ...insertStatements(db, TABLES.shares, cms.shares),
    ...literalInserts(db, 'qa_index', QA_INDEX_COLUMNS, qaIndex.index),
    ...literalInserts(db, 'qa_fts', QA_FTS_COLUMNS, qaIndex.fts),
    ...SEARCH_TABLES.flatMap(([table, key]) => literalInserts(db, table, SEARCH_COLUMNS[table], index[key])),
    ...literalInserts(
      db,
      'search_synonyms',
      ['terms'],
      content.synonyms.map((g) => [g.join('|')]),
    ),
    db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').bind(SEED_KEY, fingerprint),
    bumpVersion(db), // the search index was rewritten with the content
  );
  await db.batch(stmts);
}

/**
 * An import batch's writes as few D1 statements as possible, still in ONE transaction (db.batch). The store builds
 * its statements record by record — clear, and the same code as a single write — against a recorder that keeps
 * (sql, args) instead of preparing them; here they are put in dependency order (PHASES: a document before its
 * placements, placements before the render rows selected from them) and merged: rows of one INSERT into a
 * multi-row INSERT of quoted literals, one-key UPDATEs and DELETEs into `IN (…)`. 500 records make ≈ 40
 * statements instead of ≈ 7,000 — under D1's per-invocation query limit in production, and, through the local
 * platform proxy where every prepare and bind is a synchronous round trip, the difference between 15 and several
 * hundred documents a second (docs/benchmarks.md, Import). The seed writes its rows the same way for the same
 * reason (scripts/seed/store.ts). A row too big for D1's 100 KB statement limit keeps its bound form.
 */

export interface Recorded {
  sql: string;
  args: unknown[];
}

/** A stand-in for D1Database.prepare(…).bind(…) that records the statement. */
export function recorder(): D1Database {
  const prepare = (sql: string) => {
    const stmt = { sql, args: [] as unknown[], bind: (...args: unknown[]) => ({ ...stmt, args }) };
    return stmt;
  };
  return { prepare } as unknown as D1Database;
}

const asRecorded = (s: D1PreparedStatement) => s as unknown as Recorded;

/** Write order: what a later statement reads or overwrites comes first. Statements not listed keep their order, last. */
const PHASES: RegExp[] = [
  /^INSERT OR REPLACE INTO documents\b/,
  /^UPDATE documents SET owner_site_id\b/,
  /^INSERT INTO cms_documents\b/,
  /^UPDATE cms_documents\b/,
  /INTO cms_revisions\b/,
  /INTO placements\b/,
  /^DELETE FROM document_tags\b/,
  /INTO document_tags\b/,
  /INTO document_topics\b/,
  /^UPDATE documents SET topic\b/,
  /INTO document_fingerprints\b/,
  /INTO import_records\b/,
  /INTO import_redirects\b/,
  /INTO search_queue\b/,
  /INTO render_queue\b/,
  /INTO audit_log\b/,
];
const phaseOf = (sql: string) => {
  const i = PHASES.findIndex((p) => p.test(sql));
  return i < 0 ? PHASES.length : i;
};

export function literal(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'NULL';
  if (typeof v === 'boolean') return v ? '1' : '0';
  return `'${(typeof v === 'string' ? v : JSON.stringify(v)).replace(/'/g, "''")}'`;
}

/** The statement with its arguments written in (`?` in order, `?N` by number). */
export function inline(sql: string, args: readonly unknown[]): string {
  let next = 0;
  return sql.replace(/\?(\d+)?/g, (_, n: string | undefined) => literal(args[n ? Number(n) - 1 : next++]));
}

const INSERT = /^(INSERT[^(]*\([^)]*\)\s*VALUES\s*)(\([^()]*\))(\s*(?:ON CONFLICT[\s\S]*)?)$/;
const ONE_KEY = /^((?:UPDATE|DELETE)[\s\S]*\bWHERE [\w.]+) = \?$/;
/** Under D1's 100 KB limit per statement (UTF-8 bytes: a Chinese character is three), with room. */
const MAX_STATEMENT = 90_000;
/** UTF-8 length without encoding (a loop over code units: surrogate pairs count 2 + 2). */
function bytes(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
}

/** The recorded statements, ordered and merged, prepared on the real database. */
export function bulkStatements(db: D1Database, statements: readonly D1PreparedStatement[]): D1PreparedStatement[] {
  const recorded = statements.map(asRecorded);
  const ordered = recorded.map((s, i) => ({ s, i, phase: phaseOf(s.sql.trim()) })).sort((a, b) => a.phase - b.phase || a.i - b.i);
  const out: D1PreparedStatement[] = [];
  interface Group {
    key: string;
    head: string;
    tail: string;
    parts: string[];
    size: number;
    inList: boolean;
  }
  const open: { group: Group | null } = { group: null };
  const flush = () => {
    const g = open.group;
    if (!g) return;
    out.push(db.prepare(g.inList ? `${g.head} IN (${g.parts.join(', ')})` : `${g.head}${g.parts.join(',\n')}${g.tail}`));
    open.group = null;
  };
  for (const { s } of ordered) {
    const sql = s.sql.trim();
    const matched = INSERT.exec(sql);
    const insert = matched && !matched[3]!.includes('?') ? matched : null;
    const oneKey = !insert && (sql.match(/\?/g) ?? []).length === 1 ? ONE_KEY.exec(sql) : null;
    const part = insert ? inline(insert[2]!, s.args) : oneKey ? literal(s.args[0]) : null;
    const size = part === null ? 0 : bytes(part);
    if (part === null || size > MAX_STATEMENT / 2) {
      flush();
      out.push(db.prepare(sql).bind(...s.args));
      continue;
    }
    const key = insert ? `${insert[1]!}|${insert[3]!}` : oneKey![1]!;
    const g = open.group;
    if (g && g.key === key && g.size + size < MAX_STATEMENT) {
      g.parts.push(part);
      g.size += size + 2;
      continue;
    }
    flush();
    open.group = insert
      ? { key, head: insert[1]!, tail: insert[3]!, parts: [part], size: bytes(insert[1]!) + size, inList: false }
      : { key, head: oneKey![1]!, tail: '', parts: [part], size, inList: true };
  }
  flush();
  return out;
}

/** Re-prepares recorded statements one by one on the real database (the slow path, record by record after a failure). */
export const prepared = (db: D1Database, statements: readonly D1PreparedStatement[]): D1PreparedStatement[] =>
  statements.map(asRecorded).map((s) => db.prepare(s.sql).bind(...s.args));

/**
 * Sites and columns in an import: a column the site lacks is created (validated as a CMS column); a column's old
 * list page and an old host's home page get redirects to their new pages, so an old bookmark of a list lands on
 * the list. Results are per item, like documents'.
 */
import type { z } from 'zod';
import { ColumnSchema, ImportColumnSchema, ImportSiteSchema, TABLES, columnId, insertSql, toRow, COLUMN_KINDS } from '@ywtc/cms-schema';

export interface ItemResult {
  id: string;
  outcome: 'created' | 'exists' | 'failed';
  reason?: string;
}

/** The item's id as sent, for its result line, whatever was sent. */
const nameOf = (raw: unknown, key: string) => {
  const v = (raw as Record<string, unknown> | null)?.[key];
  return typeof v === 'string' ? v : '';
};

/** An item the schema refused: its id as sent and the first problem, field first. */
const invalidItem = (raw: unknown, key: string, error: z.ZodError): ItemResult => ({
  id: nameOf(raw, key),
  outcome: 'failed',
  reason: `${error.issues[0]!.path.join('.')}: ${error.issues[0]!.message}`,
});

const redirect = (db: D1Database, host: string, path: string, siteId: string, target: string, sourceId: string) =>
  db
    .prepare('INSERT OR REPLACE INTO import_redirects (host, path, site_id, document_id, target_path, source_id) VALUES (?, ?, ?, NULL, ?, ?)')
    .bind(host, path, siteId, target, sourceId);

/** Each old host of a site answers for the site: its home page goes to the new home page. */
export async function importSites(db: D1Database, sourceId: string, sites: readonly unknown[]): Promise<ItemResult[]> {
  const out: ItemResult[] = [];
  const statements: D1PreparedStatement[] = [];
  for (const raw of sites) {
    const s = ImportSiteSchema.safeParse(raw);
    if (!s.success) {
      out.push(invalidItem(raw, 'siteId', s.error));
      continue;
    }
    const registered = await db
      .prepare('SELECT 1 FROM site_hosts WHERE host IN (SELECT value FROM json_each(?)) LIMIT 1')
      .bind(JSON.stringify(s.data.oldHosts))
      .first();
    if (registered) {
      out.push({ id: s.data.siteId, outcome: 'failed', reason: 'oldHosts: 旧域名仍是注册表中网站的域名，不能设为迁移来源' });
      continue;
    }
    for (const host of s.data.oldHosts)
      for (const path of ['/', '/index.html', '/index.htm']) statements.push(redirect(db, host, path, s.data.siteId, '/', sourceId));
    out.push({ id: s.data.siteId, outcome: 'exists' });
  }
  if (statements.length) await db.batch(statements);
  return out;
}

export async function importColumns(db: D1Database, sourceId: string, columns: readonly unknown[]): Promise<ItemResult[]> {
  const out: ItemResult[] = [];
  for (const raw of columns) {
    const parsed = ImportColumnSchema.safeParse(raw);
    if (!parsed.success) {
      out.push(invalidItem(raw, 'slug', parsed.error));
      continue;
    }
    const c = parsed.data;
    const id = columnId(c.siteId, c.slug);
    const site = await db
      .prepare(
        'SELECT (SELECT 1 FROM sites WHERE id = ?1) AS site, (SELECT 1 FROM columns WHERE id = ?2) AS col, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM columns WHERE site_id = ?1) AS next',
      )
      .bind(c.siteId, id)
      .first<{ site: number | null; col: number | null; next: number }>();
    if (!site?.site) {
      out.push({ id, outcome: 'failed', reason: `siteId: 网站 ${c.siteId} 不在注册表中` });
      continue;
    }
    const statements: D1PreparedStatement[] = [];
    if (!site.col) {
      const column = ColumnSchema.parse({
        id,
        siteId: c.siteId,
        parentId: null,
        slug: c.slug,
        name: c.name,
        kind: c.kind,
        description: `${c.name}（${COLUMN_KINDS[c.kind].label}，迁移自原网站）`,
        keywords: [],
        sortOrder: site.next,
      });
      statements.push(db.prepare(insertSql(TABLES.columns)).bind(...toRow(TABLES.columns, column)));
    }
    if (c.url) {
      const u = new URL(c.url);
      statements.push(redirect(db, u.hostname.toLowerCase(), u.pathname + u.search, c.siteId, `/${c.slug}/`, sourceId));
    }
    if (statements.length) await db.batch(statements);
    out.push({ id, outcome: site.col ? 'exists' : 'created' });
  }
  return out;
}

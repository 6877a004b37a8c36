/**
 * Which column the new-document form starts on: the one this editor used last on the site (the column of the
 * document of their newest revision there — a new document is revision 1), else the column holding most of
 * the site's documents; only among the columns the editor may write in. The first column in the site's order
 * (信息公开指南 on most portals) was almost never the one wanted.
 */
export async function defaultColumn(db: D1Database, accountId: string, siteId: string, writable: readonly string[]): Promise<string | null> {
  if (writable.length === 0) return null;
  const allowed = new Set(writable);
  const [recent, common] = await db.batch<{ column_id: string }>([
    // Newest first on (author_id, created_at); a few rows are enough to skip columns the editor lost access to.
    db
      .prepare(
        'SELECT d.column_id FROM cms_revisions r JOIN cms_documents d ON d.id = r.document_id WHERE r.author_id = ?1 AND d.site_id = ?2 ORDER BY r.created_at DESC LIMIT 50',
      )
      .bind(accountId, siteId),
    db.prepare('SELECT column_id FROM placements WHERE site_id = ?1 GROUP BY column_id ORDER BY count(*) DESC, column_id').bind(siteId),
  ]);
  const first = (r: D1Result<{ column_id: string }> | undefined) => r?.results.find((x) => allowed.has(x.column_id))?.column_id ?? null;
  return first(recent) ?? first(common) ?? null;
}

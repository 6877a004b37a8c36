/**
 * What a content change owes the pages, as statements for the change's own D1 batch (render_queue). Kept apart
 * from the queue's runner so that code writing changes — the CMS, the import store, scripts in Node — need not
 * load the renderer.
 */
/** Documents linked to `document_id`, either way, at the moment the statement runs. */
const RELATED = `(SELECT json_group_array(x) FROM (SELECT policy_id AS x FROM interpretation_links WHERE interpretation_id = p.document_id
  UNION SELECT interpretation_id FROM interpretation_links WHERE policy_id = p.document_id))`;

/**
 * One task per site showing the document, as placed when the statement runs: put it after the placements are
 * written (a publish) or before they are deleted (a withdrawal), in the same batch.
 */
export function enqueueRenders(db: D1Database, documentId: string, at: string, siteId?: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO render_queue (site_id, scope, document_id, column_id, related, queued_at, attempts, last_error)
    SELECT p.site_id, 'document', p.document_id, p.column_id, ${RELATED}, ?1, 0, NULL FROM placements p WHERE p.document_id = ?2 AND (?3 IS NULL OR p.site_id = ?3)`,
    )
    .bind(at, documentId, siteId ?? null);
}

/** Every page of a site owed (a template switch): for the switch's own batch. */
export function enqueueSiteRender(db: D1Database, siteId: string, at: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO render_queue (site_id, scope, document_id, column_id, related, queued_at, attempts, last_error) VALUES (?1, 'site', NULL, NULL, '[]', ?2, 0, NULL)`,
    )
    .bind(siteId, at);
}

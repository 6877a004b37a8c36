/**
 * /attachments/<sha256>.<ext> on a site: served only while a published document on that site lists it, so an
 * attachment goes live and is withdrawn with its document. Sent as a download with its original name, its
 * type, and nosniff; content-addressed, so it never changes under its URL.
 */
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';

const KEY = /^attachments\/[0-9a-f]{64}\.[a-z0-9]{1,8}$/;

export async function serveAttachment(c: Context<AppEnv>, siteId: string, path: string) {
  const key = path.slice(1);
  if (!KEY.test(key)) return c.text('未找到', 404);
  const row = await c.env.DB.prepare(
    `SELECT json_extract(a.value, '$.name') AS name, json_extract(a.value, '$.contentType') AS type
     FROM placements p JOIN documents d ON d.id = p.document_id, json_each(d.attachments) a
     WHERE p.site_id = ? AND json_extract(a.value, '$.key') = ? LIMIT 1`,
  )
    .bind(siteId, key)
    .first<{ name: string; type: string }>();
  if (!row) return c.text('未找到该附件', 404, { 'Cache-Control': 'no-store' });
  const etag = `"${key.slice(12, 76)}"`;
  if (c.req.header('if-none-match') === etag) return c.body(null, 304, { ETag: etag });
  const obj = await c.env.PAGES.get(key);
  if (!obj) return c.text('未找到该附件', 404, { 'Cache-Control': 'no-store' });
  const ascii = row.name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return new Response(obj.body, {
    headers: {
      'Content-Type': row.type,
      'Content-Length': String(obj.size),
      'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(row.name)}`,
      'X-Content-Type-Options': 'nosniff',
      // Withdrawal must show within the publish bound, so caches revalidate (the ETag makes that cheap).
      'Cache-Control': 'public, max-age=0, must-revalidate',
      ETag: etag,
    },
  });
}

/**
 * Scheduled releases: a Cron Trigger (every minute, wrangler.toml) publishes what reviewers approved for a
 * time once that time has come — through the same workflow step as a person, recorded and audited as
 * `system`. Nothing runs between triggers: no always-on server.
 */
import { GrantSchema } from '@ywtc/cms-schema';
import { moveDocument } from './documents.ts';

const SYSTEM = { id: 'system' };
const SYSTEM_GRANTS = [GrantSchema.parse({ id: 'system', accountId: 'system', role: 'platform-admin', siteId: null })];

export async function releaseDue(db: D1Database, now = new Date()): Promise<{ released: string[]; failed: { id: string; message: string }[] }> {
  const { results } = await db
    .prepare("SELECT id FROM cms_documents WHERE state = 'scheduled' AND scheduled_at <= ? ORDER BY scheduled_at LIMIT 100")
    .bind(now.toISOString())
    .all<{ id: string }>();
  const released: string[] = [];
  const failed: { id: string; message: string }[] = [];
  for (const { id } of results) {
    const r = await moveDocument(db, SYSTEM, SYSTEM_GRANTS, id, { type: 'release' }, now);
    if (r.ok) released.push(id);
    else failed.push({ id, message: r.message });
  }
  return { released, failed };
}

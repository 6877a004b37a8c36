/**
 * Whether the content store changed: the open-data change log's counter (open_changes, fed by triggers on
 * documents, placements, links, Q&A, sites and columns in each change's own transaction — every write path
 * bumps it). The 热点 list and the recommendation pool are kept per isolate under this version, so a withdrawn
 * or 失效 document leaves them as soon as the change commits: read at most once a second per isolate, and
 * forgotten at once by the isolate that made the change (cms/after-change.ts).
 */
const TTL_MS = 1_000;
let known: { version: number; until: number } | null = null;

export async function contentVersion(db: D1Database, now = Date.now()): Promise<number> {
  if (known && known.until > now) return known.version;
  const row = await db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'open_changes'").first<{ seq: number }>();
  known = { version: row?.seq ?? 0, until: now + TTL_MS };
  return known.version;
}

/** This isolate changed content: read the version again on the next request. */
export function forgetContentVersion(): void {
  known = null;
}

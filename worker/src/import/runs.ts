/**
 * Import runs of the command line (`npm run import`), kept in D1 (import_runs) so a run killed half-way can be
 * continued: the row holds how many records the run had consumed when its last batch committed. Used by the
 * publishing API's import routes (run-routes.ts: a local or production Worker does the writing) and, for
 * `--remote` runs, by the command line directly on the bound database.
 */
import { IMPORT_OUTCOMES, type ImportOutcome } from '@ywtc/cms-schema';
import { registerSource } from './source-keys.ts';

export type Counts = Record<ImportOutcome, number>;
export const emptyCounts = (): Counts => Object.fromEntries(Object.keys(IMPORT_OUTCOMES).map((k) => [k, 0])) as Counts;

export interface RunSource {
  id: string;
  name: string;
  siteIds: string[];
  hidden: boolean;
}

/** A run of a source that was killed before it finished: its id, and how far it had got. */
export interface Resume {
  id: string;
  records: number;
  counts: Counts;
}

export interface RunStart {
  /** The run this is: the one continued, or the new one (`runId` as asked). */
  runId: string;
  resume: Resume | null;
  /** The old URLs of this source already in the store (a crawl's resume: the crawler need not fetch them). */
  importedUrls: string[];
}

/**
 * What a run needs before its first record: the source registered (a command-line source has no key), the
 * unfinished run to continue, the URLs already imported — or, with nothing to continue, a new run's row under
 * `runId`, written now so a kill before the first batch still leaves a run to continue. A dry run registers
 * nothing, continues nothing and writes no row.
 */
export async function beginRun(
  db: D1Database,
  source: RunSource,
  kind: 'crawl' | 'file',
  dryRun: boolean,
  runId: string,
): Promise<RunStart | { field: string; message: string }> {
  if (dryRun) return { runId, resume: null, importedUrls: [] };
  const registered = await registerSource(db, { ...source, push: false }, undefined);
  if ('field' in registered) return registered;
  const row = await db
    .prepare("SELECT id, cursor, counts FROM import_runs WHERE source_id = ? AND state = 'running' AND dry_run = 0 ORDER BY started_at DESC LIMIT 1")
    .bind(source.id)
    .first<{ id: string; cursor: string | null; counts: string }>();
  const resume = row
    ? {
        id: row.id,
        records: row.cursor ? ((JSON.parse(row.cursor) as { records?: number }).records ?? 0) : 0,
        counts: { ...emptyCounts(), ...(JSON.parse(row.counts) as Partial<Counts>) },
      }
    : null;
  const importedUrls =
    kind === 'crawl'
      ? (
          await db.prepare("SELECT record_id FROM import_records WHERE source_id = ? AND outcome <> 'failed'").bind(source.id).all<{ record_id: string }>()
        ).results.map((r) => r.record_id)
      : [];
  if (!resume)
    await db
      .prepare(
        "INSERT OR IGNORE INTO import_runs (id, source_id, kind, dry_run, state, started_at, counts, cursor) VALUES (?, ?, ?, 0, 'running', ?, '{}', '{\"records\":0}')",
      )
      .bind(runId, source.id, kind, new Date().toISOString())
      .run();
  return { runId: resume?.id ?? runId, resume, importedUrls };
}

/** After each committed batch: the counts so far and the records consumed; `done` ends the run. */
export async function saveProgress(db: D1Database, runId: string, counts: Counts, records: number, done: boolean, at: Date): Promise<void> {
  const cursor = JSON.stringify({ records });
  await (
    done
      ? db
          .prepare("UPDATE import_runs SET state = 'done', finished_at = ?, counts = ?, cursor = ? WHERE id = ?")
          .bind(at.toISOString(), JSON.stringify(counts), cursor, runId)
      : db.prepare('UPDATE import_runs SET counts = ?, cursor = ? WHERE id = ?').bind(JSON.stringify(counts), cursor, runId)
  ).run();
}

/** Old addresses the crawler found but could not map to anything (reported on /admin/import/unmapped), in one batch. */
export async function recordUnmapped(db: D1Database, sourceId: string, items: readonly { url: string; reason: string }[], at: Date): Promise<void> {
  if (!items.length) return;
  const upsert = db.prepare(
    'INSERT INTO import_unmapped (host, path, source_id, reason, hits, last_seen) VALUES (?, ?, ?, ?, 0, ?) ON CONFLICT (host, path) DO UPDATE SET reason = excluded.reason, last_seen = excluded.last_seen',
  );
  await db.batch(
    items.map(({ url, reason }) => {
      const u = new URL(url);
      return upsert.bind(u.hostname, u.pathname + u.search, sourceId, reason, at.toISOString());
    }),
  );
}

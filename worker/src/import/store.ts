/**
 * The one write path of every import (the push API, the file importers, the crawler): a batch of records in, one
 * result per record out. A record is validated and shaped first (prepare.ts); only whole, valid documents reach
 * the write, so a failed record never leaves half a document behind. The writes of a batch are one D1 batch —
 * one transaction — per record group, and each record's rows go together:
 *
 *   documents (+ cms_documents and a revision, so editors can open it in the CMS as a published item),
 *   placements, the interest tags and 主题分类 with their confidence, the text fingerprint, the redirect from its
 *   old address, import_records (source, record id) → document, an audit row, and what the change owes:
 *   search_queue and render_queue rows — except for a hidden source (a site migrating), whose documents wait
 *   for the site's switch-over (switchover.ts) to be rendered and indexed.
 *
 * Idempotent by (source, record id): the record's hash is kept, so sending it again is 'unchanged' and writes
 * nothing; a changed record updates its document (a new revision). A record that repeats a document already in
 * the store — the same notice reposted by another platform or site (dedupe.ts) — becomes a placement of that
 * document on the record's site, not a second document. A dry run does all the deciding and writes nothing.
 */
import { TABLES, insertSql, tagDocument, toRow, type CompiledLists, type ImportRecordResult, type InterestCode } from '@ywtc/cms-schema';
import { enqueueDocument } from '@ywtc/search';
import { auditStatement } from '../cms/audit.ts';
import { sha256Hex } from '../cms/password.ts';
import { checkLists } from '../cms/checks.ts';
import { enqueueRenders, enqueueSiteRender } from '../render/enqueue.ts';
import { documentIdFor, prepareRecord, type Prepared, type SiteInfo } from './prepare.ts';
import { duplicateOf, fingerprintWrite, fingerprintsOf, storedCandidates, type Fingerprinted } from './dedupe.ts';
import { classificationWrites } from './classification.ts';
import { bulkStatements, prepared as preparedOn, recorder } from './bulk.ts';

export interface ImportSource {
  id: string;
  siteIds: readonly string[];
  /** Documents wait for the site's switch-over: no render or search rows now. */
  hidden: boolean;
}

export interface ImportOptions {
  dryRun?: boolean;
  now?: Date;
  /** Who the audit log names: the signed-in staff member, or the source itself. */
  actor?: string;
}

/** Above this many documents of one site in a batch, one whole-site render replaces their page-by-page updates. */
const SITE_RENDER_THRESHOLD = 20;

interface Existing {
  documentId: string | null;
  contentHash: string;
  outcome: string;
}

async function loadSites(db: D1Database, siteIds: readonly string[]): Promise<Map<string, SiteInfo>> {
  if (!siteIds.length) return new Map();
  const ids = JSON.stringify([...new Set(siteIds)]);
  const [sites, columns] = await db.batch<Record<string, string>>([
    db.prepare('SELECT id, sponsor FROM sites WHERE id IN (SELECT value FROM json_each(?))').bind(ids),
    db.prepare('SELECT id, site_id, slug FROM columns WHERE site_id IN (SELECT value FROM json_each(?))').bind(ids),
  ]);
  const out = new Map<string, SiteInfo>();
  for (const s of sites!.results) out.set(s.id!, { id: s.id!, sponsor: s.sponsor!, columns: new Map() });
  for (const c of columns!.results) {
    const col = { id: c.id!, slug: c.slug! };
    out.get(c.site_id!)?.columns.set(c.slug!, col);
    out.get(c.site_id!)?.columns.set(c.id!, col);
  }
  return out;
}

async function loadExisting(db: D1Database, sourceId: string, recordIds: string[]): Promise<Map<string, Existing>> {
  const { results } = await db
    .prepare('SELECT record_id, document_id, content_hash, outcome FROM import_records WHERE source_id = ? AND record_id IN (SELECT value FROM json_each(?))')
    .bind(sourceId, JSON.stringify(recordIds))
    .all<{ record_id: string; document_id: string | null; content_hash: string; outcome: string }>();
  return new Map(results.map((r) => [r.record_id, { documentId: r.document_id, contentHash: r.content_hash, outcome: r.outcome }]));
}

const recordIdOf = (input: unknown) => {
  const id = (input as { sourceId?: unknown } | null)?.sourceId;
  return typeof id === 'string' ? id.trim() : '';
};

/** What one record will write: its statements, and the result it reports once they are committed. */
interface Planned {
  result: ImportRecordResult;
  statements: D1PreparedStatement[];
  siteId: string;
}

function pathOf(url: string): { host: string; path: string } | null {
  try {
    const u = new URL(url);
    return { host: u.hostname.toLowerCase(), path: u.pathname + u.search };
  } catch {
    return null;
  }
}

/**
 * A stored document's CMS revision, and the classification an editor gave it in the queue, if one did (the queue
 * writes the editor's 主题分类 to document_topics and the 兴趣领域 to the document's own row: classification.ts).
 */
async function storedDecisions(db: D1Database, id: string): Promise<{ revision: number | null; editor: { topic: string; interests: InterestCode[] } | null }> {
  const row = await db
    .prepare(
      `SELECT (SELECT revision FROM cms_documents WHERE id = ?1) AS revision,
              (SELECT topic FROM document_topics WHERE document_id = ?1 AND source = 'editor') AS topic,
              (SELECT interests FROM documents WHERE id = ?1) AS interests`,
    )
    .bind(id)
    .first<{ revision: number | null; topic: string | null; interests: string }>();
  return {
    revision: row?.revision ?? null,
    editor: row?.topic ? { topic: row.topic, interests: JSON.parse(row.interests) as InterestCode[] } : null,
  };
}

async function documentWrites(
  db: D1Database,
  w: D1Database,
  p: Prepared & Fingerprinted,
  existing: Existing | undefined,
  source: ImportSource,
  at: string,
): Promise<D1PreparedStatement[]> {
  const doc = p.document;
  const stored = existing?.documentId ? await storedDecisions(db, doc.id) : null;
  const next = (stored?.revision ?? 0) + 1;
  // An editor settled this document's 主题分类 and 兴趣领域 in the queue: a changed record from the source updates
  // the text, not the editor's decision — in the document, its tags and the CMS's copy alike.
  const editor = stored?.editor;
  if (editor) {
    doc.topic = editor.topic;
    doc.interests = editor.interests;
    p.draft.topic = editor.topic;
    p.draft.interests = editor.interests;
  }
  const tags = editor && editor.interests.length === 0 ? [] : tagDocument(doc);
  const data = JSON.stringify(p.draft);
  const statements = [
    w.prepare(insertSql(TABLES.documents, 'INSERT OR REPLACE')).bind(...toRow(TABLES.documents, doc)),
    w
      .prepare(
        `INSERT INTO cms_documents (id, site_id, column_id, state, level, depth, revision, published_at, scheduled_at, created_by, created_at, updated_at)
         VALUES (?, ?, ?, 'published', NULL, 1, ?, ?, NULL, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET column_id = excluded.column_id, state = 'published', revision = excluded.revision, updated_at = excluded.updated_at`,
      )
      .bind(doc.id, doc.ownerSiteId, p.columnId, next, doc.publishedAt, `import:${source.id}`, at, at),
    w
      .prepare('INSERT OR REPLACE INTO cms_revisions (document_id, revision, data, hash, author_id, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .bind(doc.id, next, data, await sha256Hex(data), `import:${source.id}`, at),
    // The record's site shows it in the record's column (moved there if an update changed the column).
    w.prepare('INSERT OR REPLACE INTO placements (document_id, site_id, column_id, pinned) VALUES (?, ?, ?, 0)').bind(doc.id, doc.ownerSiteId, p.columnId),
    w.prepare('DELETE FROM document_tags WHERE document_id = ?').bind(doc.id),
    ...tags.map((tag) => w.prepare(insertSql(TABLES.documentTags)).bind(...toRow(TABLES.documentTags, tag))),
    ...classificationWrites(w, doc),
    fingerprintWrite(w, doc.id, p.dedupe.fingerprint),
  ];
  return statements;
}

/**
 * Imports one batch (at most MAX_BATCH_DOCUMENTS records) for `source`. Never throws for a bad record: each gets
 * its result. Throws only when the store itself is unavailable, having written nothing of the failed group.
 */
export async function importDocuments(
  env: { DB: D1Database },
  source: ImportSource,
  inputs: readonly unknown[],
  opts: ImportOptions = {},
): Promise<ImportRecordResult[]> {
  const db = env.DB;
  // Writes are recorded, then ordered and merged into few statements (bulk.ts); reads go to the database.
  const w = recorder();
  const now = opts.now ?? new Date();
  const at = now.toISOString();
  const lists: CompiledLists = await checkLists(db);
  const allowed = new Set(source.siteIds);
  const siteIds = inputs.map((i) => (i as { siteId?: unknown } | null)?.siteId).filter((s): s is string => typeof s === 'string' && allowed.has(s));
  const sites = await loadSites(db, siteIds);
  const existing = await loadExisting(db, source.id, inputs.map(recordIdOf).filter(Boolean));
  const today = at.slice(0, 10);

  // 1. Shape every record (no writes), refusing a record id the batch already had.
  const seen = new Map<string, number>();
  const results: ImportRecordResult[] = [];
  const prepared: { index: number; p: Prepared }[] = [];
  const deletions: { index: number; recordId: string; siteId: string }[] = [];
  for (const [index, input] of inputs.entries()) {
    const recordId = recordIdOf(input);
    const first = seen.get(recordId);
    if (recordId && first !== undefined) {
      results[index] = {
        sourceId: recordId,
        outcome: 'failed',
        documentId: null,
        field: 'sourceId',
        reason: `记录标识重复，与本批第 ${first + 1} 条相同`,
        warnings: [],
      };
      continue;
    }
    seen.set(recordId, index);
    const siteId = (input as { siteId?: unknown } | null)?.siteId;
    if ((input as { op?: unknown } | null)?.op === 'delete') {
      deletions.push({ index, recordId, siteId: typeof siteId === 'string' ? siteId : '' });
      continue;
    }
    const known = existing.get(recordId)?.documentId;
    const p = prepareRecord(input, {
      site: typeof siteId === 'string' && allowed.has(siteId) ? sites.get(siteId) : undefined,
      // An update keeps its document's id; a new record's id comes from (source, record id) alone.
      documentId: () => known ?? 'import-pending',
      lists,
      today,
    });
    if ('outcome' in p) {
      results[index] = { ...p, documentId: null, warnings: [] };
      continue;
    }
    if (!known) p.document.id = await documentIdFor(source.id, p.record.sourceId, p.record.siteId, p.record.publishedAt);
    prepared.push({ index, p });
  }

  // 2. Decide each prepared record: unchanged, a repeat of a stored document, or a document to write.
  const fingerprinted = fingerprintsOf(prepared.map(({ p }) => p));
  const candidates = await storedCandidates(db, fingerprinted);
  const plans: { index: number; plan: Planned }[] = [];
  // Sites getting many documents in this batch get one whole-site render instead of page-by-page updates.
  const siteDocs = new Map<string, number>();
  for (const { p } of prepared) siteDocs.set(p.record.siteId, (siteDocs.get(p.record.siteId) ?? 0) + 1);
  const wholeSite = new Set([...siteDocs].filter(([, n]) => n >= SITE_RENDER_THRESHOLD).map(([siteId]) => siteId));
  const batchDocs: (Prepared & Fingerprinted)[] = [];
  for (const [k, { index, p }] of prepared.entries()) {
    const fp = { ...p, dedupe: fingerprinted[k]! };
    const hash = await sha256Hex(JSON.stringify([p.document, p.columnId]));
    const before = existing.get(p.record.sourceId);
    const base = { sourceId: p.record.sourceId, warnings: p.warnings };
    if (before && before.contentHash === hash && before.outcome !== 'failed' && before.outcome !== 'deleted') {
      results[index] = { ...base, outcome: 'unchanged', documentId: before.documentId };
      continue;
    }
    const recordRow = (documentId: string, outcome: string) =>
      w
        .prepare(
          'INSERT OR REPLACE INTO import_records (source_id, record_id, document_id, site_id, content_hash, outcome, reason, url, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?)',
        )
        .bind(source.id, p.record.sourceId, documentId, p.record.siteId, hash, outcome, p.record.url, at);
    const redirect = (documentId: string) => {
      const old = p.record.url ? pathOf(p.record.url) : null;
      return old
        ? [
            w
              .prepare('INSERT OR REPLACE INTO import_redirects (host, path, site_id, document_id, target_path, source_id) VALUES (?, ?, ?, ?, NULL, ?)')
              .bind(old.host, old.path, p.record.siteId, documentId, source.id),
          ]
        : [];
    };
    const owes = (documentId: string) =>
      source.hidden
        ? []
        : [enqueueDocument(w, documentId, at), ...(wholeSite.has(p.record.siteId) ? [] : [enqueueRenders(w, documentId, at, p.record.siteId)])];

    // A repeat of a document already stored (or earlier in this batch) from another record: placed, not copied.
    // A record merged before stays merged into the same document.
    const dup =
      before?.documentId && before.outcome === 'merged'
        ? { documentId: before.documentId, adopt: () => [], notes: [] }
        : before?.documentId
          ? null
          : await duplicateOf(db, fp, batchDocs, candidates);
    if (dup && dup.documentId !== p.document.id) {
      const statements = [
        w
          .prepare('INSERT OR IGNORE INTO placements (document_id, site_id, column_id, pinned) VALUES (?, ?, ?, 0)')
          .bind(dup.documentId, p.record.siteId, p.columnId),
        ...dup.adopt(w, fp),
        recordRow(dup.documentId, 'merged'),
        ...redirect(dup.documentId),
        ...owes(dup.documentId),
        await auditStatement(
          w,
          {
            accountId: opts.actor ?? null,
            action: 'document.import',
            target: dup.documentId,
            siteId: p.record.siteId,
            after: hash,
            detail: `合并：${source.id} ${p.record.sourceId}`.slice(0, 500),
          },
          now,
        ),
      ];
      plans.push({
        index,
        plan: {
          result: { ...base, outcome: 'merged', documentId: dup.documentId, warnings: [...p.warnings, ...dup.notes] },
          statements,
          siteId: p.record.siteId,
        },
      });
      continue;
    }
    const outcome = before?.documentId ? 'updated' : 'imported';
    const statements = [
      ...(await documentWrites(db, w, fp, before, source, at)),
      recordRow(p.document.id, outcome),
      ...redirect(p.document.id),
      ...owes(p.document.id),
      await auditStatement(
        w,
        {
          accountId: opts.actor ?? null,
          action: 'document.import',
          target: p.document.id,
          siteId: p.record.siteId,
          after: hash,
          detail: `${source.id} ${p.record.sourceId}`.slice(0, 500),
        },
        now,
      ),
    ];
    batchDocs.push(fp);
    plans.push({ index, plan: { result: { ...base, outcome, documentId: p.document.id }, statements, siteId: p.record.siteId } });
  }
  for (const d of deletions) {
    const before = existing.get(d.recordId);
    if (!d.recordId || !before?.documentId) {
      results[d.index] = { sourceId: d.recordId, outcome: 'failed', documentId: null, field: 'sourceId', reason: '要撤下的记录从未导入', warnings: [] };
      continue;
    }
    const id = before.documentId;
    const statements = [
      // What the pages and index owe is read from the placements, so it is queued before the placement goes.
      ...(source.hidden ? [] : [enqueueRenders(w, id, at, d.siteId), enqueueDocument(w, id, at)]),
      w.prepare('DELETE FROM placements WHERE document_id = ? AND site_id = ?').bind(id, d.siteId),
      w.prepare("UPDATE import_records SET outcome = 'deleted', updated_at = ? WHERE source_id = ? AND record_id = ?").bind(at, source.id, d.recordId),
      await auditStatement(
        w,
        { accountId: opts.actor ?? null, action: 'document.import', target: id, siteId: d.siteId, detail: `撤下：${source.id} ${d.recordId}`.slice(0, 500) },
        now,
      ),
    ];
    plans.push({ index: d.index, plan: { result: { sourceId: d.recordId, outcome: 'deleted', documentId: id, warnings: [] }, statements, siteId: d.siteId } });
  }

  // 3. Write: the whole batch in one transaction; should it fail, record by record, so one bad row fails alone.
  if (!opts.dryRun && plans.length) {
    const tail = source.hidden ? [] : [...wholeSite].map((siteId) => enqueueSiteRender(w, siteId, at));
    try {
      await db.batch(bulkStatements(db, [...plans.flatMap(({ plan }) => plan.statements), ...tail]));
    } catch (e) {
      for (const { index, plan } of plans) {
        try {
          await db.batch(preparedOn(db, plan.statements));
        } catch (err) {
          results[index] = {
            ...plan.result,
            outcome: 'failed',
            documentId: null,
            field: 'record',
            reason: `写入失败：${String((err as Error).message ?? err).slice(0, 200)}`,
          };
          plan.statements = [];
        }
      }
      if (tail.length) await db.batch(preparedOn(db, tail));
      if (plans.every(({ plan }) => plan.statements.length === 0)) throw e;
    }
  }
  for (const { index, plan } of plans) results[index] ??= plan.result;
  return results;
}

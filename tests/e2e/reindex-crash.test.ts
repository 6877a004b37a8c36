/**
 * The command-line jobs killed half-way (SIGKILL to the whole process group, workerd included), on one seeded store:
 *  - `npm run reindex` leaves an index whose every entry is whole and whose document frequencies are exact; the
 *    next run finishes the job, and a run after that finds nothing to do: index and content agree;
 *  - `npm run inspect` leaves a run whose committed sites are whole — findings, score, 整改 items and their audit
 *    rows together — and the next run of the command resumes it: every site counted once, the run's counters equal
 *    to its rows, one 整改 item per finding, one audit row per item opened;
 *  - `npm run import` of a 2,000-record export leaves whole documents only, and the same command run again continues
 *    the run: every record once — one document, one placement, one import record, one audit row and its search task
 *    each, the site's pages owed — and a
 *    dry run afterwards changes nothing. The import writes through a Worker (a wrangler dev in its process group),
 *    so the kill also stops that Worker in the middle of a batch.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentTokens } from '@ywtc/search';
import { ROOT, applyMigrations, openPlatform, storeHolders } from '../../scripts/lib/platform.ts';
import { seed } from '../../scripts/seed/index.ts';
import { commitPointer, publicationKeys as keys } from '@ywtc/cms-schema';
import { buildPack, prepareFile } from '@ywtc/sites/edge';
import { writeFileSync } from 'node:fs';
import { writeCorpus } from '../../scripts/import/files/corpus-write.ts';

const state = mkdtempSync(join(tmpdir(), 'ywtc-reindex-'));
const reindexArgs = [join(ROOT, 'scripts/reindex.ts'), '--state', state, '--batch', '5'];
let placed = 0;
/** The reference corpus: indexed without a placement (other provinces' documents, on no site). */
let reference = 0;

async function withDb<T>(fn: (db: D1Database) => Promise<T>): Promise<T> {
  const platform = await openPlatform(state);
  try {
    return await fn(platform.env.DB);
  } finally {
    await platform.dispose();
  }
}

/** Every entry whole (docs, both FTS tables, text) and search_terms equal to counts recomputed from the stored text. */
async function checkConsistent(db: D1Database): Promise<number> {
  const n = await db
    .prepare(
      `SELECT (SELECT count(*) FROM search_docs) docs, (SELECT count(*) FROM search_text) text,
    (SELECT count(*) FROM search_docs d WHERE NOT EXISTS (SELECT 1 FROM search_text t WHERE t.rowid = d.rowid)) orphans,
    (SELECT count(*) FROM search_docs d WHERE NOT EXISTS (SELECT 1 FROM search_sites s WHERE s.document_id = d.document_id)
      AND NOT EXISTS (SELECT 1 FROM reference_documents r WHERE r.document_id = d.document_id)) unplaced`,
    )
    .first<{ docs: number; text: number; orphans: number; unplaced: number }>();
  expect(n!.orphans).toBe(0);
  expect(n!.unplaced).toBe(0); // an entry without a placement is one of the reference corpus
  expect(n!.text).toBe(n!.docs);
  const { results } = await db
    .prepare('SELECT d.title, d.doc_number, t.keywords, t.body FROM search_docs d JOIN search_text t ON t.rowid = d.rowid')
    .all<{ title: string; doc_number: string | null; keywords: string; body: string }>();
  const df = new Map<string, number>();
  for (const r of results)
    for (const t of documentTokens({ title: r.title, docNumber: r.doc_number, keywords: r.keywords ? r.keywords.split('\n') : [], body: r.body }))
      df.set(t, (df.get(t) ?? 0) + 1);
  const { results: stored } = await db.prepare('SELECT term, df FROM search_terms').all<{ term: string; df: number }>();
  expect(stored.length).toBe(df.size);
  for (const s of stored) expect(df.get(s.term), s.term).toBe(s.df);
  // The FTS tables hold exactly one row per entry: a match on each entry's own title finds it.
  const sample = await db.prepare('SELECT rowid FROM search_docs ORDER BY rowid LIMIT 3').all<{ rowid: number }>();
  for (const { rowid } of sample.results) {
    const fts = await db
      .prepare('SELECT (SELECT count(*) FROM search_fts WHERE rowid = ?) a, (SELECT count(*) FROM search_title_fts WHERE rowid = ?) b')
      .bind(rowid, rowid)
      .first<{ a: number; b: number }>();
    expect(fts).toEqual({ a: 1, b: 1 });
  }
  return n!.docs;
}

beforeAll(async () => {
  applyMigrations(state);
  await withDb(async (db) => {
    await seed(db, { siteIds: ['nnxn'] });
    reference = (await db.prepare('SELECT count(*) n FROM reference_documents').first<{ n: number }>())!.n;
    // What the index should hold: the placed documents and the reference corpus.
    placed = (await db.prepare('SELECT count(DISTINCT document_id) n FROM placements').first<{ n: number }>())!.n + reference;
    // Start from an empty index, as after a migration that adds the index to an existing store.
    await db.batch(
      ['search_sites', 'search_text', 'search_links', 'search_terms', 'search_docs']
        .map((t) => db.prepare(`DELETE FROM ${t}`))
        .concat([
          db.prepare("INSERT INTO search_fts (search_fts) VALUES ('delete-all')"),
          db.prepare("INSERT INTO search_title_fts (search_title_fts) VALUES ('delete-all')"),
        ]),
    );
  });
}, 300_000);
afterAll(() => rmSync(state, { recursive: true, force: true }));

describe('npm run reindex', () => {
  it('survives being killed half-way and agrees with the content afterwards', async () => {
    expect(placed).toBeGreaterThan(30);
    expect(reference).toBe(115);
    // Run it and kill it once a few pages are committed.
    const child = spawn(process.execPath, reindexArgs, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let pages = 0;
      child.stdout.on('data', (b: Buffer) => {
        pages += (b.toString().match(/indexed [1-9]/g) ?? []).length;
        if (pages >= 3) {
          process.kill(-child.pid!, 'SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error('reindex finished before it could be killed')));
    });
    await new Promise((r) => child.once('exit', r));

    const half = await withDb(checkConsistent);
    expect(half).toBeGreaterThan(0);
    expect(half).toBeLessThan(placed);

    // The next run completes it; the one after has nothing left to do.
    const again = spawnSync(process.execPath, reindexArgs, { cwd: ROOT, encoding: 'utf8' });
    expect(again.status, again.stderr).toBe(0);
    expect(await withDb(checkConsistent)).toBe(placed);
    const idle = spawnSync(process.execPath, reindexArgs, { cwd: ROOT, encoding: 'utf8' });
    expect(idle.stdout).toMatch(new RegExp(`d1: ${placed} documents checked, 0 indexed, 0 removed`));
  });

  it('removes what the content no longer places and re-indexes what changed', async () => {
    await withDb(async (db) => {
      const [gone, changed] = (await db.prepare('SELECT DISTINCT document_id AS id FROM placements ORDER BY document_id LIMIT 2').all<{ id: string }>())
        .results;
      await db.batch([
        db.prepare('DELETE FROM placements WHERE document_id = ?').bind(gone!.id),
        db.prepare("UPDATE documents SET title = title || '（修订）' WHERE id = ?").bind(changed!.id),
      ]);
    });
    const run = spawnSync(process.execPath, reindexArgs, { cwd: ROOT, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`d1: ${placed - 1} documents checked, 1 indexed, 1 removed`));
    expect(await withDb(checkConsistent)).toBe(placed - 1);
  });
});

/** Each seeded site published as plain pages from the store: a home page, a list page per column, a page per document. */
async function publishPlainPages(): Promise<number> {
  const platform = await openPlatform(state);
  try {
    const db = platform.env.DB;
    const enc = new TextEncoder();
    const { results } = await db
      .prepare(
        'SELECT p.site_id, c.slug, d.id, d.title, d.published_at FROM placements p JOIN documents d ON d.id = p.document_id JOIN columns c ON c.id = p.column_id',
      )
      .all<{ site_id: string; slug: string; id: string; title: string; published_at: string }>();
    const sites = (await db.prepare('SELECT id FROM sites').all<{ id: string }>()).results.map((r) => r.id);
    const li = (href: string, r: { title: string; published_at: string }) =>
      `<li><a href="${href}">${r.title}</a><time datetime="${r.published_at}">${r.published_at.slice(0, 10)}</time></li>`;
    for (const site of sites) {
      const docs = results.filter((r) => r.site_id === site);
      const files = new Map<string, ReturnType<typeof prepareFile>>();
      const put = (path: string, main: string) =>
        files.set(path, prepareFile(path, enc.encode(`<!doctype html><html><head><title>页</title></head><body><main>${main}</main></body></html>`)));
      put('/index.html', `<ul>${docs.map((d) => li(`${d.slug}/${d.id}.html`, d)).join('')}</ul>`);
      for (const slug of new Set(docs.map((d) => d.slug)))
        put(
          `/${slug}/index.html`,
          `<ul>${docs
            .filter((d) => d.slug === slug)
            .map((d) => li(`${d.id}.html`, d))
            .join('')}</ul>`,
        );
      for (const d of docs) put(`/${d.slug}/${d.id}.html`, `<div class="doc-body"><p>${d.title}</p><a href="gone-${d.id}.html">相关</a></div>`);
      const version = `v${Date.now().toString(36)}`;
      const packed = buildPack(version, files, null);
      await platform.env.PAGES.put(keys.pack(site, version), packed.pack);
      await platform.env.PAGES.put(
        keys.manifest(site, version),
        JSON.stringify({ siteId: site, version, createdAt: new Date().toISOString(), pages: packed.pages }),
      );
      await commitPointer(platform.env.PAGES, site, {
        version,
        publishedAt: new Date().toISOString(),
        rendererHash: 't',
        contentRevision: 't',
        pageCount: files.size,
      });
    }
    return sites.length;
  } finally {
    await platform.dispose();
  }
}

/** Runs `npm run inspect` on the state; with `killAfter`, SIGKILLs its process group once that many sites are committed. */
function inspect(killAfter?: number): Promise<{ code: number | null; committed: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts/inspect.ts'), '--state', state, '--schedule', 'quarterly'], { cwd: ROOT, detached: true });
    let committed = 0;
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      committed = (out.match(/^\[\d+\/\d+\]/gm) ?? []).length;
      if (killAfter !== undefined && committed >= killAfter) process.kill(-child.pid!, 'SIGKILL');
    });
    child.on('exit', (code) => resolve({ code, committed }));
  });
}

describe('npm run inspect, killed half-way', () => {
  it('resumes the run on the next start; every site is counted once and the stores agree', async () => {
    const total = await publishPlainPages();
    expect(total).toBe(3); // 兴宁区 and the sites above it
    const killed = await inspect(1);
    expect(killed.code).not.toBe(0);
    expect(killed.committed).toBeLessThan(total);
    const resumed = await inspect();
    expect(resumed.code).toBe(0);
    expect(resumed.committed).toBeLessThan(total); // only what was left
    await withDb(async (db) => {
      const runs = (
        await db
          .prepare('SELECT id, state, sites, pages, findings FROM inspection_runs')
          .all<{ id: string; state: string; sites: number; pages: number; findings: number }>()
      ).results;
      expect(runs).toHaveLength(1);
      const run = runs[0]!;
      expect(run.state).toBe('finished');
      const n = await db
        .prepare(
          `SELECT (SELECT count(*) FROM inspection_scores WHERE run_id = ?1) scores, (SELECT sum(pages) FROM inspection_scores WHERE run_id = ?1) pages,
                  (SELECT count(*) FROM inspection_findings WHERE run_id = ?1) findings, (SELECT count(*) FROM inspection_tasks WHERE run_id = ?1 AND done = 1) done,
                  (SELECT count(*) FROM rectifications) items, (SELECT count(DISTINCT fingerprint) FROM inspection_findings WHERE run_id = ?1) distinct_findings,
                  (SELECT count(*) FROM audit_log WHERE action = 'inspect.open') opened`,
        )
        .bind(run.id)
        .first<Record<string, number>>();
      expect(n).toMatchObject({ scores: total, done: total, pages: run.pages, findings: run.findings, items: n!.distinct_findings, opened: n!.items });
      expect(run.findings).toBeGreaterThan(total); // every document page has its broken link
    });
  }, 240_000);
});

describe('npm run import, killed half-way', () => {
  /** Runs the import; with `killAfter`, SIGKILLs its process group once that many records are committed. */
  function runImport(args: string[], killAfter?: number): Promise<{ code: number | null; out: string; committed: number }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [join(ROOT, 'scripts/import.ts'), '--state', state, '--batch', '50', '--no-index', ...args], {
        cwd: ROOT,
        detached: true,
      });
      let out = '';
      let committed = 0;
      const read = (d: Buffer) => {
        out += d.toString();
        committed = Math.max(0, ...[...out.matchAll(/记录 (\d+)：/g)].map((m) => Number(m[1])));
        if (killAfter !== undefined && committed >= killAfter) process.kill(-child.pid!, 'SIGKILL');
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      child.on('exit', (code) => resolve({ code, out, committed }));
    });
  }

  it('continues the run on the next start: every record once, documents whole, and a dry run writes nothing', async () => {
    const { path, source, truth } = await writeCorpus(state, 'jsonl', 2000, 7);
    const config = join(state, 'corpus-source.json');
    writeFileSync(config, JSON.stringify(source));
    const args = ['--source', config, '--file', path, '--progress', 'batch'];
    const killed = await runImport(args, 500);
    expect(killed.code).not.toBe(0);
    expect(killed.committed).toBeGreaterThanOrEqual(500);
    expect(killed.committed).toBeLessThan(2000);
    // The Worker writing the batches (a wrangler dev of this state) was in the import's process group: killed with
    // it, in the middle of a batch, and nothing of it is left running.
    const alive = () => storeHolders(state).length > 0;
    for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(alive()).toBe(false);
    const half = await withDb((db) => db.prepare("SELECT count(*) n FROM import_records WHERE source_id = 'corpus-jsonl'").first<number>('n'));
    expect(half).toBeGreaterThan(0);
    const resumed = await runImport(args);
    expect(resumed.code, resumed.out).toBe(0);
    expect(resumed.out).toContain('继续未完成的导入');
    await withDb(async (db) => {
      const n = await db
        .prepare(
          `SELECT (SELECT count(*) FROM import_records WHERE source_id = 'corpus-jsonl') records,
                  (SELECT count(*) FROM import_records WHERE source_id = 'corpus-jsonl' AND outcome IN ('imported', 'updated', 'unchanged')) own,
                  (SELECT count(DISTINCT document_id) FROM import_records WHERE source_id = 'corpus-jsonl') docs,
                  (SELECT count(*) FROM documents d WHERE d.id IN (SELECT document_id FROM import_records WHERE source_id = 'corpus-jsonl')) stored,
                  (SELECT count(*) FROM cms_documents c WHERE c.id IN (SELECT document_id FROM import_records WHERE source_id = 'corpus-jsonl' AND outcome <> 'merged')) items,
                  (SELECT count(*) FROM placements p WHERE p.site_id = 'nanning' AND p.document_id IN (SELECT document_id FROM import_records WHERE source_id = 'corpus-jsonl')) placed,
                  (SELECT count(*) FROM document_fingerprints f WHERE f.document_id IN (SELECT document_id FROM import_records WHERE source_id = 'corpus-jsonl')) prints,
                  (SELECT count(DISTINCT target) FROM audit_log WHERE action = 'document.import' AND detail LIKE 'corpus-jsonl %') audited,
                  (SELECT count(*) FROM import_records r WHERE r.source_id = 'corpus-jsonl' AND r.outcome <> 'merged'
                     AND NOT EXISTS (SELECT 1 FROM search_queue q WHERE q.document_id = r.document_id)) unindexed,
                  (SELECT count(*) FROM render_queue WHERE site_id = 'nanning' AND scope = 'site') renders,
                  (SELECT state FROM import_runs WHERE source_id = 'corpus-jsonl') state,
                  (SELECT count(*) FROM import_runs WHERE source_id = 'corpus-jsonl') runs`,
        )
        .first<Record<string, number | string>>();
      // The store refuses the record without a date; the reader the duplicate id and the record without one.
      expect(n!.records).toBe(truth.documents - 1);
      // What search and the site's pages owe was committed with each batch: no document without its index task.
      expect(n!.renders).toBeGreaterThan(0);
      expect(n).toMatchObject({ unindexed: 0, runs: 1, state: 'done', stored: n!.docs, placed: n!.docs, prints: n!.docs, items: n!.own, audited: n!.own });
    });
    const before = await withDb((db) =>
      db.prepare('SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM import_runs) n').first<number>('n'),
    );
    const dry = await runImport([...args, '--dry-run']);
    expect(dry.code, dry.out).toBe(0);
    expect(dry.out).toContain('试运行');
    expect(
      await withDb((db) =>
        db.prepare('SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM audit_log) + (SELECT count(*) FROM import_runs) n').first<number>('n'),
      ),
    ).toBe(before);
  }, 240_000);
});

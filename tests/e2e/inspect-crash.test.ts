/**
 * `npm run inspect` killed half-way (SIGKILL to its whole process group, workerd included) leaves a run whose
 * committed sites are whole — findings, score, 整改 items and their audit rows together — and the next run of the
 * command resumes it: every site counted once, the run's counters equal to its rows, one 整改 item per finding,
 * one audit row per item created.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitPointer, publicationKeys as keys } from '@ywtc/cms-schema';
import { buildPack, prepareFile } from '@ywtc/sites/edge';
import { ROOT, applyMigrations, openPlatform } from '../../scripts/lib/platform.ts';
import { seed } from '../../scripts/seed/index.ts';
import { seedCheckTerms } from '../../scripts/seed/check-terms.ts';

const state = mkdtempSync(join(tmpdir(), 'ywtc-inspect-'));
const SITES = ['nanning', 'nnxn', 'qingxiu', 'nnjn', 'xxtq', 'liangqing'];
let total = 0;

/** Each site published as plain pages from the store: a home page, a list page per column, a page per document. */
beforeAll(async () => {
  applyMigrations(state);
  const platform = await openPlatform(state);
  try {
    const db = platform.env.DB;
    await seed(db, { siteIds: SITES, now: new Date() });
    await seedCheckTerms(db);
    const enc = new TextEncoder();
    const { results } = await db
      .prepare(
        'SELECT p.site_id, c.slug, d.id, d.title, d.published_at FROM placements p JOIN documents d ON d.id = p.document_id JOIN columns c ON c.id = p.column_id',
      )
      .all<{ site_id: string; slug: string; id: string; title: string; published_at: string }>();
    const sites = (await db.prepare('SELECT id FROM sites').all<{ id: string }>()).results.map((r) => r.id);
    total = sites.length;
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
  } finally {
    await platform.dispose();
  }
}, 180_000);

afterAll(() => rmSync(state, { recursive: true, force: true }));

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
    const killed = await inspect(2);
    expect(killed.code).not.toBe(0);
    expect(killed.committed).toBeLessThan(total);
    const resumed = await inspect();
    expect(resumed.code).toBe(0);
    expect(resumed.committed).toBeLessThan(total); // only what was left
    const platform = await openPlatform(state);
    try {
      const db = platform.env.DB;
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
    } finally {
      await platform.dispose();
    }
  }, 240_000);
});

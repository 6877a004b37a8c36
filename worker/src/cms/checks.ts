/**
 * Pre-publish checks in the Worker: the lists from D1 (compiled once a minute per isolate, at once after an
 * edit in this one), the list checks of cms-schema/checks.ts, and characters that look mistyped judged by the
 * search index's document frequencies (search/src/typo.ts), and links to pages of the cluster that do not exist.
 */
import { TABLES, checkDraft, compileLists, fromRow, htmlToText, selectColumns, type CheckIssue, type CheckReport, type CompiledLists } from '@ywtc/cms-schema';
import { bigramsToLookUp, frequencies, suspectCharacters } from '@ywtc/search';
import type { Draft } from '@ywtc/cms-schema';
import { brokenInternalLinks } from './internal-links.ts';

const TTL_MS = 60_000;
let cache: { lists: CompiledLists; until: number } | null = null;
export const forgetLists = () => {
  cache = null;
};

/** The compiled check lists (also the inspector's: the same words count before and after publishing). */
export async function checkLists(db: D1Database, now = Date.now()): Promise<CompiledLists> {
  if (cache && cache.until > now) return cache.lists;
  const { results } = await db.prepare(`SELECT ${selectColumns(TABLES.checkTerms)} FROM check_terms`).all();
  cache = { lists: compileLists(results.map((r) => fromRow(TABLES.checkTerms, r))), until: now + TTL_MS };
  return cache.lists;
}

const MAX_LOOKUP = 40_000;
async function contextTypos(db: D1Database, field: string, text: string): Promise<CheckIssue[]> {
  const bigrams = bigramsToLookUp(text).slice(0, MAX_LOOKUP);
  if (bigrams.length === 0) return [];
  const df = await frequencies(db, bigrams);
  return suspectCharacters(text, (b) => df.get(b) ?? 0).map((s) => ({
    code: 'typo' as const,
    field,
    message: `疑似错别字“${s.wrong}”，可能是“${s.right}”`,
    excerpt: s.excerpt,
  }));
}

/** @param ownSiteId the site the document is written for: root-relative links point there. */
export async function runChecks(env: { DB: D1Database; PAGES: R2Bucket }, draft: Draft, ownSiteId: string | null, today?: string): Promise<CheckReport> {
  const db = env.DB;
  const report = checkDraft(draft, await checkLists(db), today);
  report.errors.push(...(await brokenInternalLinks(env, draft.bodyHtml, ownSiteId)));
  for (const [field, text] of [
    ['title', draft.title],
    ['bodyHtml', htmlToText(draft.bodyHtml)],
  ] as const) {
    const known = new Set(report.warnings.filter((w) => w.field === field).map((w) => w.excerpt));
    report.warnings.push(...(await contextTypos(db, field, text)).filter((w) => !known.has(w.excerpt)));
  }
  return report;
}

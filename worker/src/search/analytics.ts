/**
 * Search analytics without personal data: per day and normalized query, how often it was searched, how often
 * it found nothing and how often a result was opened. Nothing about the person searching is recorded — no IP,
 * cookie, user agent or id, and no time finer than the day — so the log needs no consent and cannot be used to
 * follow anyone. Writes happen after the response (waitUntil) and can never fail a search.
 */
import type { Context } from 'hono';
import { cleanQuery } from '@ywtc/search';
import type { AppEnv } from '../env.ts';

/** The query text pins and the log are keyed by: cleaned exactly as the search backends clean it, lower-cased. */
export function normalizeQuery(raw: string): string {
  const cleaned = cleanQuery(raw);
  return cleaned.ok ? cleaned.text.toLowerCase() : '';
}

/**
 * Whether a query probably carries someone's personal data. People paste an ID-card number (18 digits, the
 * last may be X; 15 for old cards), a mobile number (11 digits) or a bank card (16–19 digits) into a search box
 * when looking for their own case; stored, such a query would identify them. No government document is looked
 * up by a run of 11 or more digits (发文字号 and 索引号 numbers are shorter), so any such run — also when typed
 * in groups like 138 0013 8000 — or an e-mail address drops the query from the log. It is still searched.
 */
export function looksPersonal(raw: string): boolean {
  const text = raw.normalize('NFKC');
  const digits = text.replace(/(?<=\d)[\s-]+(?=\d)/g, '');
  return /\d{11,}/.test(digits) || /[^\s@]+@[^\s@]+\.[a-z]{2,}/i.test(text);
}

/** The query as it may be logged, or null when it is empty or looks personal. */
export function loggableQuery(raw: string): string | null {
  if (looksPersonal(raw)) return null;
  const q = normalizeQuery(raw);
  return q ? q : null;
}

const CST_OFFSET_MS = 8 * 3600_000;
/** The calendar day in China Standard Time (the finest time the log keeps). */
export const dayOf = (ms: number) => new Date(ms + CST_OFFSET_MS).toISOString().slice(0, 10);

/** Runs a write after the response; a failure is reported to the log and goes no further. */
export function afterResponse(c: Context<AppEnv>, write: () => Promise<unknown>): void {
  const done = (async () => {
    try {
      await write();
    } catch (err) {
      console.error('search analytics write failed', err);
    }
  })();
  try {
    c.executionCtx.waitUntil(done);
  } catch {
    // No execution context (app.request in a unit test): the write still runs, nobody waits for it.
  }
}

/** Counts one search of `raw` (call for page 1 only, so paging through results is not counted again). */
export function recordSearch(c: Context<AppEnv>, raw: string, zeroResults: boolean, now = Date.now()): void {
  const query = loggableQuery(raw);
  if (!query) return;
  afterResponse(c, () =>
    c.env.DB.prepare(
      `INSERT INTO search_query_days (day, query, searches, zero_results) VALUES (?, ?, 1, ?)
       ON CONFLICT (day, query) DO UPDATE SET searches = searches + 1, zero_results = zero_results + excluded.zero_results`,
    )
      .bind(dayOf(now), query, zeroResults ? 1 : 0)
      .run(),
  );
}

/** Counts one result opened from the results of `raw`. */
export function recordClick(c: Context<AppEnv>, raw: string, now = Date.now()): void {
  const query = loggableQuery(raw);
  if (!query) return;
  afterResponse(c, () =>
    c.env.DB.prepare(
      `INSERT INTO search_query_days (day, query, clicks) VALUES (?, ?, 1)
       ON CONFLICT (day, query) DO UPDATE SET clicks = clicks + 1`,
    )
      .bind(dayOf(now), query)
      .run(),
  );
}

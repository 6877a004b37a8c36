/**
 * GET /search/suggest.json?q=…: completions for the search box, from what many people searched and from the
 * synonym dictionary. The search page fills a <datalist> from it when scripts run; without them nothing is lost.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.ts';
import { looksPersonal, normalizeQuery } from './analytics.ts';
import { suggestions } from './stats.ts';

export const MAX_SUGGESTIONS = 8;
const SuggestSchema = z.object({ q: z.string().max(100, '搜索词不能超过 100 个字').default('') });

export async function searchSuggest(c: Context<AppEnv>) {
  const parsed = SuggestSchema.safeParse(c.req.query());
  if (!parsed.success) return c.json({ error: 'invalid', field: 'q', message: parsed.error.issues[0]!.message }, 400);
  const query = normalizeQuery(parsed.data.q);
  // A number that identifies someone is not something to complete from other people's searches.
  const list = query && !looksPersonal(parsed.data.q) ? await suggestions(c.env.DB, query, MAX_SUGGESTIONS) : [];
  // Suggestions change slowly and are asked for on every keystroke: a short shared cache takes most of the load.
  return c.json({ query, suggestions: list }, 200, { 'Cache-Control': 'public, max-age=300' });
}

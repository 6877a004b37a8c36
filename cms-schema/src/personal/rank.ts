/**
 * 为您推荐: ranks the cluster's shared content for one citizen. Pure and synchronous, so the Worker runs it per
 * request and `npm run eval:recommend` runs the very same function offline.
 *
 * An item qualifies only through an interest: one the citizen chose, or (opted in) a topic they read lately. Its
 * score adds how well its tags match (tag confidence × weight of that interest), freshness (half-life
 * FRESH_HALF_LIFE_DAYS), popularity (page views, log-scaled against the pool's most viewed) and nearness (the
 * site being visited, the citizen's county, its city, the region). Never a 失效/废止 item, never one already
 * read. Diversity: picking greedily, each further item from an already used column or interest is discounted,
 * so ten items of one column cannot crowd the block.
 */
import type { InterestCode } from './interests.ts';
import { readHash } from './profile.ts';

export type Nearness = 'visited' | 'county' | 'city' | 'region' | 'other';

export interface Candidate {
  id: string;
  title: string;
  /** Where the item is shown (the site the link goes to) and how near that is to the citizen. */
  siteId: string;
  nearness: Nearness;
  columnId: string;
  publishedAt: string;
  validity: '有效' | '失效' | '废止' | null;
  tags: readonly { interest: InterestCode; confidence: number }[];
  /** Page views, time-decayed (0 when unknown). */
  views: number;
}

export interface Taste {
  interests: readonly InterestCode[];
  /** Opted-in recent topics (newest first). */
  recentTopics: readonly InterestCode[];
  /** Opted-in hashes of documents already read (readHash). */
  read: readonly string[];
}

export interface Recommendation<C extends Candidate = Candidate> {
  item: C;
  score: number;
  /** Why it is shown: the interest it matched, and whether the citizen chose it or read about it. */
  because: { interest: InterestCode; chosen: boolean };
}

export const RANK_WEIGHTS = {
  chosen: 1,
  recent: 0.6,
  freshness: 0.5,
  popularity: 0.3,
  nearness: { visited: 0.3, county: 0.25, city: 0.2, region: 0.1, other: 0 } satisfies Record<Nearness, number>,
  sameColumn: 0.6,
  sameInterest: 0.85,
} as const;
export const FRESH_HALF_LIFE_DAYS = 120;

export function recommend<C extends Candidate>(pool: readonly C[], taste: Taste, now: Date, limit = 8): Recommendation<C>[] {
  const chosen = new Set(taste.interests);
  const recent = new Set(taste.recentTopics.filter((t) => !chosen.has(t)));
  if (chosen.size === 0 && recent.size === 0) return [];
  const read = new Set(taste.read);
  const maxViews = pool.reduce((m, c) => Math.max(m, c.views), 0);
  const scored: Recommendation<C>[] = [];
  const seen = new Set<string>();
  for (const item of pool) {
    if (item.validity === '失效' || item.validity === '废止') continue;
    if (seen.has(item.id) || read.has(readHash(item.id))) continue;
    let match = 0;
    let because: Recommendation['because'] | null = null;
    let best = 0;
    for (const t of item.tags) {
      const w = chosen.has(t.interest) ? RANK_WEIGHTS.chosen : recent.has(t.interest) ? RANK_WEIGHTS.recent : 0;
      const m = w * t.confidence;
      match += m;
      if (m > best) {
        best = m;
        because = { interest: t.interest, chosen: chosen.has(t.interest) };
      }
    }
    if (!because) continue;
    seen.add(item.id);
    const ageDays = Math.max(0, (now.getTime() - Date.parse(item.publishedAt)) / 86_400_000);
    const freshness = Math.pow(0.5, ageDays / FRESH_HALF_LIFE_DAYS);
    const popularity = maxViews > 0 ? Math.log1p(item.views) / Math.log1p(maxViews) : 0;
    const score = match + RANK_WEIGHTS.freshness * freshness + RANK_WEIGHTS.popularity * popularity + RANK_WEIGHTS.nearness[item.nearness];
    scored.push({ item, score, because });
  }
  scored.sort((a, b) => b.score - a.score || a.item.id.localeCompare(b.item.id));
  return diversify(scored, limit);
}

/** Greedy re-ranking: an item's score is discounted for each item already picked from its column or interest. */
function diversify<C extends Candidate>(ranked: Recommendation<C>[], limit: number): Recommendation<C>[] {
  const picked: Recommendation<C>[] = [];
  const columns = new Map<string, number>();
  const interests = new Map<string, number>();
  // Only the head can win: an item below the top (limit × 6) would need a discount larger than any there is.
  const rest = ranked.slice(0, limit * 6);
  while (picked.length < limit && rest.length) {
    let bestIndex = 0;
    let bestScore = -Infinity;
    for (const [i, r] of rest.entries()) {
      const s =
        r.score *
        Math.pow(RANK_WEIGHTS.sameColumn, columns.get(r.item.columnId) ?? 0) *
        Math.pow(RANK_WEIGHTS.sameInterest, interests.get(r.because.interest) ?? 0);
      if (s > bestScore) {
        bestScore = s;
        bestIndex = i;
      }
    }
    const [next] = rest.splice(bestIndex, 1);
    picked.push(next!);
    columns.set(next!.item.columnId, (columns.get(next!.item.columnId) ?? 0) + 1);
    interests.set(next!.because.interest, (interests.get(next!.because.interest) ?? 0) + 1);
  }
  return picked;
}

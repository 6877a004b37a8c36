/**
 * The synonym and abbreviation dictionary (data/synonyms.tsv, seeded into D1 so admins can edit it): a query
 * holding any term of a group is expanded with the other terms, so 社保 finds 社会保险 and the reverse.
 */
import { runTokens, runs } from './tokenize.ts';

export type SynonymGroups = readonly (readonly string[])[];

export function parseSynonyms(tsv: string): string[][] {
  return tsv
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => [
      ...new Set(
        l
          .split('|')
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ])
    .filter((g) => g.length >= 2);
}

/** The other terms of every group one of whose terms occurs in the query. */
export function synonymsIn(query: string, groups: SynonymGroups): string[] {
  const q = query.normalize('NFKC');
  const extra = new Set<string>();
  for (const g of groups) if (g.some((t) => q.includes(t))) for (const t of g) if (!q.includes(t)) extra.add(t);
  return [...extra];
}

/** An FTS5 phrase for a term: its tokens adjacent and in order, i.e. the exact term. */
export function phraseOf(term: string): string | null {
  const toks = runs(term).flatMap(runTokens);
  return toks.length ? `"${toks.join(' ').replace(/"/g, '')}"` : null;
}

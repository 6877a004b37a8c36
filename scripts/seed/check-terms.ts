/**
 * The pre-publish check lists from scripts/seed/data/checks (copied from ../shared/data/content-check, see
 * ATTRIBUTION.md) as rows of `check_terms`. Loaded once, when the table is empty: after that the lists are
 * the admins' to edit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckTermSchema, TABLES, columnsOf, type CheckTerm } from '@ywtc/cms-schema';
import { literalInserts } from './store.ts';

const DIR = join(import.meta.dirname, 'data/checks');
const tsv = (f: string) =>
  readFileSync(join(DIR, f), 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((r) => r[0]?.trim());

export function checkTerms(): CheckTerm[] {
  const out = new Map<string, CheckTerm>();
  const add = (t: Partial<CheckTerm> & Pick<CheckTerm, 'list' | 'term'>) => {
    const parsed = CheckTermSchema.safeParse(t);
    if (parsed.success) out.set(`${parsed.data.list}:${parsed.data.term}`, parsed.data);
  };
  for (const [wrong, right] of tsv('typo-confusion-pairs.tsv')) add({ list: 'typo', term: wrong!.trim(), replacement: right?.trim() ?? '' });
  for (const [wrong, right] of tsv('gongwen-common-typos-excerpt.tsv'))
    add({ list: 'typo', term: wrong!.trim(), replacement: right?.trim() ?? '', note: '公文常见错别字' });
  for (const [term, level, suggestion, note] of tsv('xinhua-banned-caution-terms-excerpt.tsv'))
    add({ list: level === 'banned' ? 'banned' : 'caution', term: term!.trim(), replacement: suggestion?.trim() ?? '', note: note?.trim() ?? '' });
  for (const d of readFileSync(join(DIR, 'illegal-domains.txt'), 'utf8').split('\n'))
    if (d.trim() && !d.startsWith('#')) add({ list: 'illegal-domain', term: d.trim().toLowerCase() });
  return [...out.values()];
}

export async function seedCheckTerms(db: D1Database): Promise<number> {
  const n = (await db.prepare('SELECT count(*) AS n FROM check_terms').first<{ n: number }>())!.n;
  if (n > 0) return 0;
  const terms = checkTerms();
  const cols = columnsOf(TABLES.checkTerms).map((c) => c.name);
  await db.batch(
    literalInserts(
      db,
      'check_terms',
      cols,
      terms.map((t) => [t.list, t.term, t.replacement, t.note]),
    ),
  );
  return terms.length;
}

/**
 * Filters as index terms. Joining every match to a side table to test its kind, year or site costs more than
 * ranking it (at 100k documents a join per match tripled a query's time), so each document's filter facts go
 * into its FTS row as plain ASCII tokens in a `facets` column (and its issuer as bigrams in `issuer`), and a
 * filter becomes one more FTS5 condition: an intersection of doclists. Site, column kind, level and region must
 * hold on one and the same placement, so each placement contributes one token per combination of them it satisfies.
 */
import type { PlacementRef, SearchDocument, SearchParams } from './schema.ts';
import { cstYear } from '@ywtc/cms-schema';
import { indexText } from './tokenize.ts';

const VALIDITY = { 有效: 'valid', 失效: 'expired', 废止: 'repealed' } as const;
/** ASCII alphanumerics only (what unicode61 keeps as one token): site ids and column kinds may hold '-'. */
const hex = (s: string) => [...new TextEncoder().encode(s)].map((b) => b.toString(16).padStart(2, '0')).join('');
/** Region codes a placement counts in: its own, and the whole region (45) for a city. */
const regions = (r: string | null) => (r === null ? [] : r.length > 2 ? [r, r.slice(0, 2)] : [r]);

/** One token per combination of site, column kind, level and region that this placement satisfies. */
function placementTokens(p: PlacementRef): string[] {
  const out: string[] = [];
  for (const si of ['', `s${hex(p.siteId)}`])
    for (const ci of p.columnKind ? ['', `c${hex(p.columnKind)}`] : [''])
      for (const li of p.level ? ['', `l${p.level}`] : [''])
        for (const ri of ['', ...regions(p.region).map((x) => `r${x}`)]) if (si || ci || li || ri) out.push(`f${si}${ci}${li}${ri}`);
  return out;
}

export function facetTokens(d: Pick<SearchDocument, 'kind' | 'validity' | 'publishedAt' | 'placements'>): string {
  const out = new Set([`k${d.kind}`, `y${cstYear(d.publishedAt)}`]);
  if (d.validity) out.add(`v${VALIDITY[d.validity]}`);
  for (const p of d.placements) for (const t of placementTokens(p)) out.add(t);
  return [...out].join(' ');
}

export const issuerTokens = (issuer: string | null) => (issuer ? indexText(issuer) : '');

/** The FTS5 condition for a request's filters, or null when it has none. */
export function facetQuery(p: Pick<SearchParams, 'site' | 'kind' | 'validity' | 'year' | 'issuer' | 'column' | 'level' | 'region'>): string | null {
  const terms: string[] = [];
  if (p.kind) terms.push(`k${p.kind}`);
  if (p.validity) terms.push(`v${VALIDITY[p.validity]}`);
  if (p.year) terms.push(`y${p.year}`);
  if (p.site || p.column || p.level || p.region)
    terms.push(`f${p.site ? `s${hex(p.site)}` : ''}${p.column ? `c${hex(p.column)}` : ''}${p.level ? `l${p.level}` : ''}${p.region ? `r${p.region}` : ''}`);
  const parts = terms.length ? [`facets : (${terms.join(' AND ')})`] : [];
  const issuer = p.issuer ? indexText(p.issuer) : '';
  if (issuer) parts.push(`issuer : "${issuer.replace(/"/g, '')}"`);
  return parts.length ? parts.join(' AND ') : null;
}

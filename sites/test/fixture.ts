/** A small store for publisher tests, built with the real seed so the models see real shapes. */
import { buildSeed } from '../../scripts/seed/index.ts';
import type { Store } from '../publisher/store.ts';

export function smallStore(siteIds = ['nnxn', 'fgw-gxzf', 'rd-nanning']): Store {
  const { sites, content } = buildSeed({ now: new Date('2026-11-28T00:00:00Z'), siteIds, newsPerColumn: 25 });
  return {
    sites,
    columns: content.columns,
    documents: new Map(content.documents.map((d) => [d.id, d])),
    placements: content.placements,
    links: content.links,
    qa: content.qa,
    revision: 'test',
  };
}

/**
 * The 清查 of the registry as the inspector (worker/src/inspect/) and the 域名管理 pages ask for it: every rule of
 * cms-schema's DOMAIN_RULES broken today, over the sites as D1 holds them and each host's last probe. The rules
 * themselves are pure and live in cms-schema/src/domains.ts (unit-tested there); this file only gathers the inputs.
 */
import { TABLES, domainProblems, fromRow, selectColumns, type DomainProblem, type DomainRedirect, type DomainStatus, type Site } from '@ywtc/cms-schema';
import { selectStatuses, statusOfRow } from './status-store.ts';

/**
 * Every rule broken across `sites`, given each host's last probe (`domainStatus`: rows of `domain_status`, any
 * order; hosts without one raise no status alert). `redirects`: hosts sites left, which stay theirs.
 */
export function registryProblems(
  sites: readonly Site[],
  domainStatus: readonly DomainStatus[],
  opts: { now?: Date; redirects?: readonly DomainRedirect[] } = {},
): DomainProblem[] {
  return domainProblems(sites, domainStatus, opts);
}

export interface DomainRegistry {
  sites: Site[];
  statuses: DomainStatus[];
  redirects: DomainRedirect[];
}

/** The registry in sort order, the probe rows and the hosts left behind: one D1 batch. */
export async function loadDomainRegistry(db: D1Database): Promise<DomainRegistry> {
  const [sites, statuses, redirects] = await db.batch([
    db.prepare(`SELECT ${selectColumns(TABLES.sites)} FROM sites ORDER BY sort_order, id`),
    selectStatuses(db),
    db.prepare('SELECT host, site_id FROM domain_redirects ORDER BY host'),
  ]);
  return {
    sites: (sites!.results as Record<string, unknown>[]).map((r) => fromRow(TABLES.sites, r)),
    statuses: (statuses!.results as Parameters<typeof statusOfRow>[0][]).map(statusOfRow),
    redirects: (redirects!.results as { host: string; site_id: string }[]).map((r) => ({ host: r.host, siteId: r.site_id })),
  };
}

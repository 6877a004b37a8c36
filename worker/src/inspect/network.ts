/**
 * The checks of a run that go beyond R2 and D1, put together for the Cron Trigger and `npm run inspect`: the
 * availability probes of the national window (always: they are rows in D1), a probe of each home page now
 * (when the sites' public origin is known), and external links (when enabled — this machine reaches nothing
 * outside, so locally they are off unless limited to hosts a test serves).
 */
import { checkLinks } from './net/links.ts';
import { availability, homeUrlOf, probe } from './net/probe.ts';
import type { NetworkChecks } from './inspect-site.ts';
import { loadDomainRegistry, registryProblems } from '../domains/rules.ts';

export interface NetworkOptions {
  /** Where the sites are public, e.g. https://{domain}; needed for the probe now. */
  origin?: string;
  probe?: boolean;
  external?: boolean;
  /** Only these external hosts are checked (the rest count as not checked). */
  onlyHosts?: readonly string[];
  /** Requests the external checker may make per site (Workers cap subrequests per invocation). */
  maxRequests?: number;
  fetch?: typeof fetch;
}

export function networkChecks(env: { DB: D1Database }, o: NetworkOptions, now = new Date()): NetworkChecks {
  const domains = new Map<string, string>();
  const domainOf = async (siteId: string) => {
    if (!domains.has(siteId)) {
      const row = await env.DB.prepare("SELECT json_extract(domains, '$[0]') AS d FROM sites WHERE id = ?").bind(siteId).first<{ d: string }>();
      domains.set(siteId, row?.d ?? '');
    }
    return domains.get(siteId)!;
  };
  // The registry's rule breaks (域名管理), worked out once per run for every site.
  let problems: Promise<Map<string, { host: string; rule: string; message: string }[]>> | null = null;
  const net: NetworkChecks = {
    availability: (siteId) => availability(env.DB, siteId, now),
    registryProblems: async (siteId) => {
      problems ??= loadDomainRegistry(env.DB).then((r) => {
        const bySite = new Map<string, { host: string; rule: string; message: string }[]>();
        for (const p of registryProblems(r.sites, r.statuses, { now, redirects: r.redirects }))
          bySite.set(p.siteId, [...(bySite.get(p.siteId) ?? []), { host: p.host, rule: p.rule, message: p.message }]);
        return bySite;
      });
      return (await problems).get(siteId) ?? [];
    },
  };
  if (o.probe && o.origin) {
    const origin = o.origin;
    net.probe = async (siteId) => probe(homeUrlOf(origin, await domainOf(siteId)), o.fetch ? { fetch: o.fetch } : {});
  }
  if (o.external) {
    const only = o.onlyHosts ? new Set(o.onlyHosts) : null;
    net.externalLinks = async (urls) => {
      const checked = only ? urls.filter((u) => only.has(new URL(u).host)) : urls;
      const status = await checkLinks(checked, { ...(o.fetch ? { fetch: o.fetch } : {}), ...(o.maxRequests ? { maxRequests: o.maxRequests } : {}) });
      return new Map(urls.map((u) => [u, status.get(u) ?? null]));
    };
  }
  return net;
}

/**
 * The checks as the Worker runs them (the Cron Trigger and runs started by hand): probes where the sites' public
 * origin is known, external links when switched on; Workers allow 1,000 subrequests per invocation, so a site's
 * external links take at most 40 of them.
 */
export function workerNetworkChecks(env: { DB: D1Database; SITE_ORIGIN_TEMPLATE?: string; INSPECT_EXTERNAL_LINKS?: string }): NetworkChecks {
  return networkChecks(env, {
    ...(env.SITE_ORIGIN_TEMPLATE ? { origin: env.SITE_ORIGIN_TEMPLATE, probe: true } : {}),
    external: env.INSPECT_EXTERNAL_LINKS === 'on',
    maxRequests: 40,
  });
}

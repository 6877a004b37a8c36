/** How a finding's evidence is shown in the admin: the page on the live site, what was found, how it counts. */
import { html } from 'hono/html';
import { FINDING_KINDS, INDICATORS, SEVERITIES, type FindingKind } from '@ywtc/cms-schema';
import { originOf } from '../../personal/registry.ts';

/** A site's domains as stored (a JSON array; the first is the primary host). */
export const primaryDomain = (domains: unknown): string | null => {
  try {
    const list = typeof domains === 'string' ? (JSON.parse(domains) as unknown) : domains;
    return Array.isArray(list) && typeof list[0] === 'string' ? list[0] : null;
  } catch {
    return null;
  }
};

/** The address citizens open for a finding's page: a path on the site's primary host, or an address as it is. */
export function liveUrl(originTemplate: string | undefined, domain: string | null, url: string): string | null {
  if (/^https?:\/\//i.test(url)) return url;
  if (!domain || !url.startsWith('/')) return null;
  return originOf(originTemplate, domain) + url;
}

export const kindLabel = (kind: string) => FINDING_KINDS[kind as FindingKind]?.label ?? kind;
export const indicatorOf = (kind: string) => {
  const spec = FINDING_KINDS[kind as FindingKind];
  return spec ? { key: spec.indicator, ...INDICATORS[spec.indicator], points: spec.points, fixWithinDays: spec.fixWithinDays } : null;
};
export const severityLabel = (s: string) => SEVERITIES[s as keyof typeof SEVERITIES] ?? s;

/** The page, linked to the live site when there is one. */
export const pageLink = (href: string | null, url: string) =>
  href ? html`<a href="${href}" rel="noopener noreferrer" class="evidence-url">${url}</a>` : html`${url}`;

/**
 * 链接可用性 and links that must not be there. Every link of an inspected page is resolved against the page's
 * address: a page of this site must be in the live manifest (or be one of the pages the Worker itself serves),
 * a page of another site of the cluster in that site's manifest, an attachment in R2; an address on a listed
 * illegal domain (or below one) is a finding wherever it points; other external addresses are handed to the
 * bounded checker (net/links.ts) by the monthly and quarterly runs. A broken link in the shared header or footer
 * is reported once per site, not once per page.
 */
import { listedHost, type CompiledLists } from '@ywtc/cms-schema';
import type { FindingDraft, SiteInput } from '../types.ts';

/** Paths the Worker answers on every site without a published page (search, settings, forms, the policy library …). */
const WORKER_PAGES = /^\/(?:search(?:\.json|\/click|\/suggest\.json)?|_mode|_me\/(?:clear)?|hot\/|zcwjk\/(?:index\.html)?|hdjl\/(?:ly|cx)\/|favicon\.ico)$/;
const SKIP = /^(?:#|mailto:|tel:|javascript:|data:|sms:)/i;
const ATTACHMENT = /^\/attachments\/[0-9a-f]{64}\.[a-z0-9]{1,8}$/;

/** A host as the registry knows it: a local preview's `<domain>.localhost` and any port dropped. */
export const registryHost = (host: string) =>
  host
    .toLowerCase()
    .replace(/:\d+$/, '')
    .replace(/\.localhost$/, '');

/** The page a path on a site names: a folder's index page, query and fragment dropped. */
export function pagePath(pathname: string): string {
  const p = decodeURI(pathname);
  return p.endsWith('/') ? `${p}index.html` : p;
}

export interface LinkRef {
  /** The page it is on. */
  from: string;
  href: string;
  url: URL;
  inMain: boolean;
}

export interface CollectedLinks {
  drafts: FindingDraft[];
  /** Pages of other sites of the cluster: site id → links (checked against that site's manifest). */
  otherSites: Map<string, LinkRef[]>;
  attachments: LinkRef[];
  external: LinkRef[];
}

export function collectLinks(input: SiteInput, hosts: ReadonlyMap<string, string>): CollectedLinks {
  const lists: CompiledLists = input.lists;
  const out: CollectedLinks = { drafts: [], otherSites: new Map(), attachments: [], external: [] };
  const own = new Set(input.site.domains);
  const chromeSeen = new Set<string>();
  const origin = `https://${input.site.domains[0]!}`;
  for (const [path, page] of input.pages) {
    for (const link of page.links) {
      const href = link.href.trim();
      if (!href || SKIP.test(href)) continue;
      let url: URL;
      try {
        url = new URL(href, origin + path);
      } catch {
        out.drafts.push({ kind: 'broken-link', url: path, target: href, message: `链接地址无法解析：${href.slice(0, 100)}`, excerpt: link.text.slice(0, 80) });
        continue;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
      // Shared chrome (header, footer, navigation) is the same on every page: one finding per site.
      if (!link.inMain) {
        const key = url.href;
        if (chromeSeen.has(key)) continue;
        chromeSeen.add(key);
      }
      const ref: LinkRef = { from: path, href, url, inMain: link.inMain };
      const host = registryHost(url.host);
      if (listedHost(host, lists)) {
        out.drafts.push({ kind: 'illegal-domain-link', url: path, target: url.href, message: `链接指向非法网址 ${host}`, excerpt: link.text.slice(0, 80) });
        continue;
      }
      if (own.has(host)) {
        if (ATTACHMENT.test(url.pathname)) out.attachments.push(ref);
        else if (!WORKER_PAGES.test(url.pathname) && !input.manifest.has(pagePath(url.pathname)))
          out.drafts.push({
            kind: 'broken-link',
            url: path,
            target: url.pathname,
            message: `站内链接指向不存在的页面 ${url.pathname}`,
            excerpt: link.text.slice(0, 80),
          });
        continue;
      }
      const other = hosts.get(host);
      if (other) {
        if (!out.otherSites.has(other)) out.otherSites.set(other, []);
        out.otherSites.get(other)!.push(ref);
        continue;
      }
      out.external.push(ref);
    }
  }
  return out;
}

/** Links to another site of the cluster, judged against that site's manifest (null: the site has no live version). */
export function otherSiteFindings(refs: readonly LinkRef[], manifest: ReadonlySet<string> | null): FindingDraft[] {
  return refs
    .filter((r) => !WORKER_PAGES.test(r.url.pathname) && !ATTACHMENT.test(r.url.pathname) && !(manifest?.has(pagePath(r.url.pathname)) ?? false))
    .map((r) => ({
      kind: 'broken-link' as const,
      url: r.from,
      target: r.url.href,
      message: `链接指向集群内不存在的页面 ${r.url.host}${r.url.pathname}`,
      excerpt: '',
    }));
}

/**
 * Broken internal links (pre-publish, error): a link in the body to a page of a site on this platform — by any
 * of its registered hosts, or root-relative on the document's own site — must exist in that site's live
 * version, and a link to an attachment must name a stored file. A 404 on a government site is a fault the
 * national inspection counts, so it blocks submission like a banned word does.
 */
import type { CheckIssue } from '@ywtc/cms-schema';
import { liveManifest } from '../site/publication.ts';

const MAX_LINKS = 200;

interface Link {
  raw: string;
  host: string | null;
  path: string;
}

function linksOf(bodyHtml: string): Link[] {
  const out: Link[] = [];
  for (const m of bodyHtml.matchAll(/href\s*=\s*["']([^"']+)["']/gi)) {
    const raw = m[1]!.replace(/&amp;/g, '&');
    let url: URL;
    try {
      url = new URL(raw, 'https://own-site.invalid/');
    } catch {
      continue;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') continue;
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      path = url.pathname;
    }
    // Only root-relative links are the document's own site for sure; "a.html" depends on where the page ends up.
    if (url.hostname === 'own-site.invalid' && !raw.startsWith('/')) continue;
    out.push({ raw, host: url.hostname === 'own-site.invalid' ? null : url.hostname.toLowerCase(), path });
    if (out.length >= MAX_LINKS) break;
  }
  return out;
}

const pageExists = (pages: Record<string, unknown>, path: string) =>
  path in pages || (path.endsWith('/') ? `${path}index.html` in pages : `${path}/index.html` in pages);

export async function brokenInternalLinks(env: { DB: D1Database; PAGES: R2Bucket }, bodyHtml: string, ownSiteId: string | null): Promise<CheckIssue[]> {
  const links = linksOf(bodyHtml);
  if (links.length === 0) return [];
  const hosts = [...new Set(links.flatMap((l) => (l.host ? [l.host] : [])))];
  const { results } = hosts.length
    ? await env.DB.prepare('SELECT host, site_id FROM site_hosts WHERE host IN (SELECT value FROM json_each(?1))')
        .bind(JSON.stringify(hosts))
        .all<{ host: string; site_id: string }>()
    : { results: [] };
  const siteOfHost = new Map(results.map((r) => [r.host, r.site_id]));
  const issues: CheckIssue[] = [];
  const manifests = new Map<string, Promise<Awaited<ReturnType<typeof liveManifest>>>>();
  const manifestOf = (site: string) => {
    let m = manifests.get(site);
    if (!m) {
      m = liveManifest(env.PAGES, site);
      manifests.set(site, m);
    }
    return m;
  };
  for (const link of links) {
    const site = link.host ? siteOfHost.get(link.host) : ownSiteId;
    if (!site) continue; // another website: not ours to check
    let ok: boolean;
    const attachment = /^\/attachments\/([0-9a-f]{64}\.[a-z0-9]{1,8})$/.exec(link.path);
    if (attachment) ok = (await env.PAGES.head(`attachments/${attachment[1]!}`)) !== null;
    else {
      const manifest = await manifestOf(site);
      // A site not published yet cannot be checked; its pages are not known to be missing.
      ok = manifest === null || pageExists(manifest.pages, link.path);
    }
    if (!ok) issues.push({ code: 'broken-link', field: 'bodyHtml', message: `站内链接指向不存在的页面：${link.path}`, excerpt: link.raw.slice(0, 120) });
  }
  return issues;
}

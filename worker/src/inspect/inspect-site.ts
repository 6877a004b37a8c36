/**
 * One site in one run: read its live version from R2, parse the pages the schedule covers, run every rule the
 * schedule includes, resolve the links that need another look-up (other sites' manifests, attachments, external
 * addresses), and return the findings with the pages it could not judge. Nothing here throws for a bad page or
 * a bad publication: those become findings (the site does not answer) or skips.
 */
import { FINDING_KINDS, PROBE, SLOW_PAGE_MS, type InspectionRun } from '@ywtc/cms-schema';
import { openSite, PackReader } from './source.ts';
import { parsePage, type PageFacts } from './page.ts';
import { siteStore, type RunContext } from './context.ts';
import { freshness } from './rules/freshness.ts';
import { words } from './rules/words.ts';
import { collectLinks, otherSiteFindings } from './rules/links.ts';
import { standards } from './rules/standards.ts';
import { storeRules } from './rules/store-rules.ts';
import type { FindingDraft, SiteInput } from './types.ts';

const WEEK_MS = 7 * 86_400_000;

/** What a run may reach beyond R2 and D1: all optional, so a run without network still judges what it can. */
export interface NetworkChecks {
  /** External links (monthly and quarterly runs); null for a link not checked within the budget. */
  externalLinks?: (urls: string[]) => Promise<Map<string, { ok: boolean; reason: string } | null>>;
  /** A probe of the site's home page now, as a citizen would load it. */
  probe?: (siteId: string) => Promise<{ ok: boolean; status: number | null; ms: number; reason: string }>;
  /** The probes of the national window (a week): how many failed. */
  availability?: (siteId: string) => Promise<{ probes: number; failed: number; share: number; medianMs: number }>;
  /** Rules broken by the site's registry entry and domains (域名管理). */
  registryProblems?: (siteId: string) => Promise<{ host: string; rule: string; message: string }[]>;
}

export interface SiteResult {
  drafts: FindingDraft[];
  skips: { url: string; reason: string }[];
  pages: number;
  columns: SiteInput['columns'];
  /** Documents whose publish time is first seen now (recorded for the back-dating rule). */
  firstSeen: { id: string; publishedAt: string }[];
  /** Pages this run looked at: a 整改 item on another page is not verified by this run. */
  inspected: Set<string>;
}

export async function inspectSite(
  env: { DB: D1Database; PAGES: R2Bucket },
  ctx: RunContext,
  run: Pick<InspectionRun, 'schedule' | 'startedAt'>,
  siteId: string,
  net: NetworkChecks = {},
  /** `version`: judge this version instead of the live one (a switch-over's hidden version, import/switchover.ts). */
  opts: { version?: string } = {},
): Promise<SiteResult> {
  const now = new Date(run.startedAt);
  const site = ctx.sites.get(siteId);
  const result: SiteResult = { drafts: [], skips: [], pages: 0, columns: [], firstSeen: [], inspected: new Set(['/']) };
  if (!site) return result;
  const store = await siteStore(env.DB, siteId, now);
  result.columns = store.columns;
  result.firstSeen = store.docs.filter((d) => !store.seen.has(d.id)).map((d) => ({ id: d.id, publishedAt: d.publishedAt }));
  const opened = await openSite(env.PAGES, siteId, opts.version).catch((e: unknown) => ({
    ok: false as const,
    reason: `读取发布版本失败：${String(e).slice(0, 120)}`,
  }));
  if (!opened.ok) {
    result.drafts.push({ kind: 'site-unreachable', url: '/', target: 'publication', message: `网站无法访问：${opened.reason}`, excerpt: '' });
    return result;
  }
  const entries = opened.manifest.pages;
  const manifest = new Set(Object.keys(entries));
  // Which pages: a 周巡检 reads the home page and the week's new documents; the others read every HTML page.
  const weekAgo = now.getTime() - WEEK_MS;
  const wanted =
    run.schedule === 'weekly'
      ? ['/index.html', ...store.docs.filter((d) => Date.parse(d.publishedAt) >= weekAgo).map((d) => d.path)]
      : Object.keys(entries).filter((p) => entries[p]![4].startsWith('text/html'));
  const reader = new PackReader(env.PAGES, siteId);
  const pages = new Map<string, PageFacts>();
  for (const path of new Set(wanted)) {
    const entry = entries[path];
    if (!entry) {
      if (path === '/index.html')
        result.drafts.push({ kind: 'site-unreachable', url: '/', target: 'home', message: '网站首页不存在（发布清单中没有首页）', excerpt: '' });
      continue; // a document page missing from the manifest is a broken link of its list, found there
    }
    const read = await reader.read(entry);
    if (!read.ok) {
      if (path === '/index.html')
        result.drafts.push({ kind: 'site-unreachable', url: '/', target: 'home', message: `网站首页无法打开：${read.reason}`, excerpt: '' });
      else result.skips.push({ url: path, reason: read.reason });
      continue;
    }
    try {
      pages.set(path, parsePage(read.html));
    } catch (e) {
      result.skips.push({ url: path, reason: `页面无法解析：${String(e).slice(0, 120)}` });
    }
  }
  result.pages = pages.size;
  for (const p of pages.keys()) result.inspected.add(p);
  const input: SiteInput = {
    wordCache: ctx.wordCache,
    site,
    columns: store.columns,
    docs: store.docs,
    now,
    schedule: run.schedule,
    pages,
    manifest,
    lists: ctx.lists,
    overdueConsults: store.overdueConsults,
    seen: store.seen,
  };
  const columnSlugs = new Set(store.columns.map((c) => c.slug));
  const docPaths = new Set(store.docs.map((d) => d.path));
  const kindOf = (path: string) =>
    path === '/index.html'
      ? 'home'
      : docPaths.has(path)
        ? 'article'
        : /^\/([a-z][a-z0-9-]*)\/index(_\d+)?\.html$/.test(path) && columnSlugs.has(path.split('/')[1]!)
          ? 'column'
          : 'other';
  const drafts = [...freshness(input), ...words(input), ...standards(input, kindOf), ...storeRules(input)];
  const links = collectLinks(input, ctx.hosts);
  drafts.push(...links.drafts);
  for (const [other, refs] of links.otherSites) drafts.push(...otherSiteFindings(refs, await ctx.manifestOf(other)));
  for (const a of links.attachments)
    if (!(await ctx.attachmentExists(a.url.pathname.slice(1))))
      drafts.push({ kind: 'broken-attachment', url: a.from, target: a.url.pathname, message: `附件无法下载：${a.url.pathname.slice(-24)}`, excerpt: '' });
  if (run.schedule !== 'weekly' && net.externalLinks && links.external.length) {
    const status = await net.externalLinks([...new Set(links.external.map((r) => r.url.href))]);
    for (const r of links.external) {
      const s = status.get(r.url.href);
      if (s && !s.ok)
        drafts.push({
          kind: 'external-link-broken',
          url: r.from,
          target: r.url.href,
          message: `外部链接不可用（${s.reason}）：${r.url.href.slice(0, 120)}`,
          excerpt: '',
        });
    }
  }
  if (net.probe) {
    const p = await net.probe(siteId);
    if (!p.ok) drafts.push({ kind: 'site-unreachable', url: '/', target: 'probe', message: `首页访问失败（${p.reason}，${p.ms} 毫秒）`, excerpt: '' });
    else if (p.ms > SLOW_PAGE_MS)
      drafts.push({
        kind: 'slow-page',
        url: '/',
        target: 'home',
        message: `首页打开用时 ${(p.ms / 1000).toFixed(1)} 秒，超过 ${SLOW_PAGE_MS / 1000} 秒`,
        excerpt: '',
      });
  }
  if (net.availability) {
    const a = await net.availability(siteId);
    if (a.probes > 0 && a.share >= PROBE.vetoFailureShare)
      drafts.push({
        kind: 'site-unreachable',
        url: '/',
        target: 'availability',
        message: `近 7 天 ${a.probes} 次监测中 ${a.failed} 次首页打不开（${(a.share * 100).toFixed(1)}%，国家标准为低于 5%）`,
        excerpt: '',
      });
    if (a.medianMs > SLOW_PAGE_MS)
      drafts.push({
        kind: 'slow-page',
        url: '/',
        target: 'home-median',
        message: `近 7 天首页打开用时中位数 ${(a.medianMs / 1000).toFixed(1)} 秒，超过 ${SLOW_PAGE_MS / 1000} 秒`,
        excerpt: '',
      });
  }
  if (net.registryProblems)
    for (const p of await net.registryProblems(siteId))
      drafts.push({ kind: 'domain-rule', url: '/', target: `${p.host}|${p.rule}`, message: p.message, excerpt: p.host });
  result.drafts = [...result.drafts, ...drafts.filter((d) => (FINDING_KINDS[d.kind].schedules as readonly string[]).includes(run.schedule))];
  return result;
}

/**
 * 网站采集: crawls an existing government website (a 党委 / 人大 / 政协 / county site) into import records.
 *
 *   for await (const e of crawlSite(loadCrawlSource('scripts/import/sources/fixture-rd.json'), { skip })) …
 *
 * Events: `document` (a record for the store and its attachments' bytes), `column` (one per configured column, with
 * the old list page it was seen at), `unmapped` (a page or link of the site that is not imported, and why: not an
 * article, no column, 404, robots.txt, redirected, over the page limit), `failed` (an article or attachment that
 * could not be fetched or read), `page` (each fetch, for progress).
 *
 * Politeness (fetch.ts; config `politeness`, defaults in brackets) — an old site is often a small server that a
 * careless crawl takes down, and the sites being migrated are still live:
 *   - robots.txt is read once per host and obeyed (`obeyRobots` [true]); its Crawl-delay raises the per-host delay
 *     (capped at 60 s); an unreachable robots.txt (5xx) stops the crawl of that host, as RFC 9309 says;
 *   - at most `concurrency` [2] requests in flight, requests to one host started `delayMs` [500] apart;
 *   - each request bounded by `timeoutMs` [15000] and `maxBytes` [5 MB] (streamed, dropped past the cap);
 *   - 5xx, 429 and timeouts retried twice (1 s, 2 s); redirects followed only within `allowHosts` [the start
 *     URLs' hosts]; at most `maxPages` [20000] pages; User-Agent `ywtc-import/1 (+https://admin.gxzf.gov.cn/import)`
 *     so the site's operators can see who is crawling and why.
 * Frontier: start URLs, then the sitemap (config `sitemap`, else robots.txt's Sitemap lines; indexes followed),
 * then breadth-first along links within the allowed hosts; addresses normalised (url.ts) so no page is fetched twice.
 * `skip(url)` leaves out pages already imported, so a crawl killed half-way resumes where it stopped.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { z } from 'zod';
import type { ColumnKind, DocumentKind, ImportAttachment, ImportColumnSchema } from '@ywtc/cms-schema';
import type { CrawlColumn, CrawlSource } from './config.ts';
import { decodeHtml } from './decode.ts';
import { firstMatch, one, parseHtml, textOf, type Document } from './dom.ts';
import { ATTACHMENT_EXTENSIONS, extractDocument, titleFromTitleTag, type AttachmentLink, type CrawledRecord } from './extract.ts';
import { createFetcher, type FetchFail, type Fetcher, type FetchLike } from './fetch.ts';
import { pageLinks } from './links.ts';
import { parseSitemap } from './sitemap.ts';
import { columnFor, hostAllowed, isColumnHome, normalizeUrl } from './url.ts';

export type ImportColumnInput = z.input<typeof ImportColumnSchema>;

export interface CrawledAttachment {
  name: string;
  url: string;
  bytes: Uint8Array;
  contentType: string;
  sha256: string;
}

export type CrawlEvent =
  | { type: 'document'; record: CrawledRecord; attachments: CrawledAttachment[]; notes: string[] }
  | { type: 'column'; column: ImportColumnInput }
  | { type: 'unmapped'; url: string; reason: string }
  | { type: 'failed'; url: string; reason: string }
  | { type: 'page'; url: string; status: number; ms: number };

export interface CrawlOptions {
  /** Pages not to fetch (already imported by an earlier, interrupted run). */
  skip?: (url: string) => boolean;
  fetch?: FetchLike;
  signal?: AbortSignal;
  /** Pause before the first retry; tests shorten it. */
  retryBaseMs?: number;
}

/** Files that are not pages and never imported on their own. */
const ASSET = /\.(css|js|mjs|json|png|jpe?g|gif|bmp|webp|svg|ico|woff2?|ttf|eot|mp3|mp4|flv|swf|avi|wmv)$/i;
const MAX_SITEMAPS = 1000;
/** sitemaps.org: a sitemap is at most 50 MB uncompressed; a .gz that inflates past that is refused (a zip bomb is not read). */
const MAX_SITEMAP_BYTES = 50 * 1024 * 1024;

const COLUMN_KIND_OF: Record<DocumentKind, ColumnKind> = {
  article: 'work-news',
  notice: 'notice',
  policy: 'policy',
  interpretation: 'interpretation',
  regulation: 'policy',
  guide: 'service',
};

const CONTENT_TYPE_OF: Record<string, string> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  wps: 'application/vnd.ms-works',
  ofd: 'application/ofd',
  zip: 'application/zip',
  rar: 'application/vnd.rar',
  txt: 'text/plain',
  csv: 'text/csv',
};

const extensionOf = (url: string): string => /\.([a-z0-9]{1,8})$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase() ?? 'bin';

function columnName(doc: Document, col: CrawlColumn): string {
  const el = firstMatch(['.column-name', '.lm-name', '.lmname', '.list-title', '.channel-title', '.position a:last-child', '.crumb a:last-child', 'h2'], doc);
  const title = one('title', doc);
  const name = col.name ?? ((el && textOf(el)) || (title && titleFromTitleTag(textOf(title))) || '');
  return (name.length >= 2 ? name : `${col.column}栏目`).slice(0, 30);
}

async function fetchAttachments(
  fetcher: Fetcher,
  links: AttachmentLink[],
): Promise<{ files: CrawledAttachment[]; failures: { url: string; reason: string }[] }> {
  const files: CrawledAttachment[] = [];
  const failures: { url: string; reason: string }[] = [];
  for (const link of links) {
    const r = await fetcher.get(link.url, '*/*');
    if (!r.ok) {
      failures.push({ url: link.url, reason: `附件“${link.name}”未能采集：${r.reason}` });
      continue;
    }
    const ext = extensionOf(r.url);
    const declared = r.contentType.split(';')[0]!.trim().toLowerCase();
    const contentType =
      !declared || declared === 'application/octet-stream' || declared.startsWith('text/html')
        ? (CONTENT_TYPE_OF[ext] ?? 'application/octet-stream')
        : declared;
    const sha256 = createHash('sha256').update(r.bytes).digest('hex');
    files.push({ name: link.name, url: link.url, bytes: r.bytes, contentType, sha256 });
  }
  return { files, failures };
}

const attachmentRecord = (a: CrawledAttachment): ImportAttachment => ({
  name: a.name,
  key: `attachments/${a.sha256}.${extensionOf(a.url)}`,
  contentType: a.contentType,
  size: a.bytes.byteLength,
  sha256: a.sha256,
  url: a.url,
});

export async function* crawlSite(config: CrawlSource, options: CrawlOptions = {}): AsyncGenerator<CrawlEvent> {
  const fetcher = createFetcher({
    politeness: config.politeness,
    allowHosts: config.allowHosts,
    fetch: options.fetch,
    signal: options.signal,
    retryBaseMs: options.retryBaseMs,
  });
  const articleUrl = new RegExp(config.articleUrl);
  const seen = new Set<string>();
  const queue: string[] = [];
  let head = 0;
  const columnsSeen = new Set<string>();
  let fetched = 0;

  /** Links to other sites are not the site's pages: silently left alone (the store checks them in bodies). */
  const enqueue = (url: string): CrawlEvent | null => {
    if (seen.has(url) || !hostAllowed(url, config.allowHosts)) return null;
    seen.add(url);
    const path = new URL(url).pathname;
    if (ASSET.test(path)) return null;
    if (ATTACHMENT_EXTENSIONS.test(path)) return { type: 'unmapped', url, reason: '附件链接不在文章正文中，未单独导入' };
    queue.push(url);
    return null;
  };

  for (const s of config.startUrls) {
    const u = normalizeUrl(s);
    if (u) enqueue(u);
  }

  // The sitemap first: it names pages no link reaches (old items dropped from paginated lists).
  const sitemapQueue = config.sitemap ? [config.sitemap] : [];
  if (!config.sitemap && config.politeness.obeyRobots) {
    for (const s of config.startUrls) sitemapQueue.push(...(await fetcher.robots(s)).sitemaps);
  }
  const sitemapsSeen = new Set<string>();
  while (sitemapQueue.length && sitemapsSeen.size < MAX_SITEMAPS && !options.signal?.aborted) {
    const url = normalizeUrl(sitemapQueue.shift()!);
    if (!url || sitemapsSeen.has(url)) continue;
    sitemapsSeen.add(url);
    const r = await fetcher.get(url, 'application/xml,text/xml,*/*;q=0.5');
    if (!r.ok) {
      yield { type: 'failed', url, reason: `网站地图未能读取：${r.reason}` };
      continue;
    }
    yield { type: 'page', url, status: r.status, ms: r.ms };
    // sitemap.xml.gz (sitemaps.org allows it); bytes that do not decompress are this sitemap's failure, not the run's.
    let bytes = r.bytes;
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        bytes = new Uint8Array(gunzipSync(bytes, { maxOutputLength: MAX_SITEMAP_BYTES }));
      } catch (e) {
        yield {
          type: 'failed',
          url,
          reason: `网站地图无法解压：${e instanceof RangeError ? `解压后超过 ${MAX_SITEMAP_BYTES / 1024 / 1024} MB` : '压缩数据损坏'}`,
        };
        continue;
      }
    }
    const { pages, sitemaps } = parseSitemap(decodeHtml(bytes, r.contentType).text);
    sitemapQueue.push(...sitemaps);
    for (const p of pages) {
      const u = normalizeUrl(p);
      const event = u ? enqueue(u) : null;
      if (event) yield event;
    }
  }

  /** Everything one page yields, computed while other pages are in flight. */
  async function visit(url: string): Promise<{ events: CrawlEvent[]; links: string[] }> {
    const events: CrawlEvent[] = [];
    const isArticle = articleUrl.test(url);
    const col = columnFor(url, config.columns);
    if (isArticle && !col) return { events: [{ type: 'unmapped', url, reason: '文章页没有对应的栏目（columns 中没有匹配的 urlPrefix）' }], links: [] };

    // A redirect to a page already known is not followed: the target is fetched (or was) on its own.
    const r = await fetcher.get(url, undefined, (target) => {
      const t = normalizeUrl(target);
      return !t || !seen.has(t);
    });
    if (!r.ok && r.kind === 'redirect')
      return { events: [{ type: 'unmapped', url, reason: `重定向到 ${normalizeUrl(r.url) ?? r.url}（目标页另行采集）` }], links: [] };
    if (!r.ok) return { events: failure(url, r, isArticle, events), links: [] };
    events.push({ type: 'page', url, status: r.status, ms: r.ms });

    const final = normalizeUrl(r.url) ?? url;
    if (final !== url) {
      events.push({ type: 'unmapped', url, reason: `重定向到 ${final}（按目标页处理）` });
      if (seen.has(final) || options.skip?.(final)) return { events, links: [] };
      seen.add(final);
      return visitFetched(final, r.bytes, r.contentType, events);
    }
    return visitFetched(url, r.bytes, r.contentType, events);
  }

  function failure(url: string, r: FetchFail, isArticle: boolean, events: CrawlEvent[]): CrawlEvent[] {
    if (r.kind === 'aborted') return events;
    if (r.status !== null) events.push({ type: 'page', url, status: r.status, ms: r.ms });
    const transient = r.kind === 'too-large' || r.kind === 'timeout' || r.kind === 'network' || (r.kind === 'http' && (r.status ?? 500) >= 500);
    events.push({ type: isArticle && transient ? 'failed' : 'unmapped', url, reason: r.reason });
    return events;
  }

  async function visitFetched(url: string, bytes: Uint8Array, contentType: string, events: CrawlEvent[]): Promise<{ events: CrawlEvent[]; links: string[] }> {
    const mime = contentType.split(';')[0]!.trim().toLowerCase();
    if (mime && !/html|xml/.test(mime)) {
      events.push({ type: 'unmapped', url, reason: `不是网页（${mime}）` });
      return { events, links: [] };
    }
    const doc = parseHtml(decodeHtml(bytes, contentType).text);
    const links = pageLinks(doc, url);
    const col = columnFor(url, config.columns);
    if (!articleUrl.test(url)) {
      if (col && !columnsSeen.has(col.column) && isColumnHome(url, col)) {
        columnsSeen.add(col.column);
        events.push({ type: 'column', column: columnEvent(col, url, doc) });
      }
      events.push({ type: 'unmapped', url, reason: col ? '非文章页（栏目列表或其他页面）' : '非文章页，且不属于任何栏目' });
      return { events, links };
    }
    if (!col) {
      events.push({ type: 'unmapped', url, reason: '文章页没有对应的栏目（columns 中没有匹配的 urlPrefix）' });
      return { events, links };
    }
    const x = extractDocument(doc, url, config, col);
    if (!x.ok) {
      events.push({ type: 'failed', url, reason: x.reason });
      return { events, links };
    }
    // The attachments are the document's, not pages of their own: never reported again as links of the site.
    for (const a of x.attachmentLinks) seen.add(a.url);
    const { files, failures } = await fetchAttachments(fetcher, x.attachmentLinks);
    for (const f of failures) events.push({ type: 'failed', ...f });
    const record = { ...x.record, attachments: files.map(attachmentRecord) };
    events.push({ type: 'document', record, attachments: files, notes: [...x.notes, ...failures.map((f) => f.reason)] });
    return { events, links };
  }

  const columnEvent = (col: CrawlColumn, url: string | null, doc: Document | null): ImportColumnInput => ({
    siteId: config.siteId,
    slug: col.column,
    name: doc ? columnName(doc, col) : (col.name ?? `${col.column}栏目`).slice(0, 30),
    kind: col.columnKind ?? COLUMN_KIND_OF[col.kind ?? 'article'],
    url,
  });

  const inFlight = new Map<number, Promise<{ id: number; events: CrawlEvent[]; links: string[] }>>();
  let nextId = 0;
  const limit = config.politeness.concurrency;
  for (;;) {
    while (inFlight.size < limit && head < queue.length && fetched < config.politeness.maxPages && !options.signal?.aborted) {
      const url = queue[head++]!;
      if (options.skip?.(url)) continue;
      fetched++;
      const id = nextId++;
      // A page that trips a bug in extraction is reported, never the end of the crawl.
      const task = visit(url).catch((e: unknown) => ({
        events: [{ type: 'failed', url, reason: `处理页面时出错：${e instanceof Error ? e.message : String(e)}` }] as CrawlEvent[],
        links: [],
      }));
      inFlight.set(
        id,
        task.then((r) => ({ id, ...r })),
      );
    }
    if (!inFlight.size) break;
    const done = await Promise.race(inFlight.values());
    inFlight.delete(done.id);
    yield* done.events;
    for (const l of done.links) {
      const event = enqueue(l);
      if (event) yield event;
    }
  }

  if (!options.signal?.aborted) {
    for (let i = head; i < queue.length; i++) yield { type: 'unmapped', url: queue[i]!, reason: `超过 maxPages（${config.politeness.maxPages}）上限，未采集` };
  }
  for (const col of config.columns) {
    if (!columnsSeen.has(col.column)) {
      columnsSeen.add(col.column);
      yield { type: 'column', column: columnEvent(col, null, null) };
    }
  }
}

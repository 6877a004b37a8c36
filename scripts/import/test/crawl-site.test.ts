import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportDocumentSchema, parseChineseDate } from '@ywtc/cms-schema';
import { crawlSite, type CrawlEvent } from '../crawl/crawl.ts';
import type { FetchLike } from '../crawl/fetch.ts';
import { parseCrawlSource } from '../crawl/config.ts';
import { serveFixtureSite, type FixtureServer } from '../fixtures/serve.ts';
import { fixtureSource, generateFixtureSite, type FixtureResponse, type UnmappedWhy } from '../fixtures/site.ts';

const site = generateFixtureSite({ seed: 7, pages: 40 });
let server: FixtureServer;
let events: CrawlEvent[];
const hostsAsked: string[] = [];

const collect = async (it: AsyncIterable<CrawlEvent>) => {
  const out: CrawlEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
};
const recording: FetchLike = (url, init) => {
  hostsAsked.push(new URL(url).host);
  return fetch(url, init);
};

beforeAll(async () => {
  server = await serveFixtureSite(site);
  events = await collect(crawlSite(fixtureSource(server.origin, { delayMs: 0, concurrency: 4 }), { fetch: recording, retryBaseMs: 5 }));
});
afterAll(() => server.close());

const documents = () => events.flatMap((e) => (e.type === 'document' ? [e] : []));
const pathOf = (url: string) => url.slice(server.origin.length);

describe('crawling the fixture 人大 site', () => {
  it('finds every article, and nothing else, once', () => {
    const found = documents().map((d) => pathOf(d.record.url!));
    expect(new Set(found).size).toBe(found.length);
    expect(found.sort()).toEqual(site.truth.articles.map((a) => a.path).sort());
  });

  it('reads each article right: title, date, column, kind, 来源, 政务公开 fields, body', () => {
    const byPath = new Map(documents().map((d) => [pathOf(d.record.url!), d]));
    for (const a of site.truth.articles) {
      const d = byPath.get(a.path)!;
      const r = d.record;
      const what = `${a.path} (${a.structure}, ${a.encoding})`;
      expect(r.title, what).toBe(a.title);
      expect(r.publishedAt === undefined ? null : parseChineseDate(r.publishedAt), what).toEqual(a.publishedAt);
      expect({ column: r.column, kind: r.kind, source: r.source, sourceId: r.sourceId }, what).toEqual({
        column: a.column,
        kind: a.kind,
        source: a.source,
        sourceId: r.url,
      });
      const fields = {
        indexNumber: r.indexNumber,
        docNumber: r.docNumber,
        issuer: r.issuer,
        writtenOn: r.writtenOn,
        issuedOn: r.issuedOn,
        topic: r.topic,
        validity: r.validity,
      };
      expect(fields, what).toEqual({
        indexNumber: a.indexNumber,
        docNumber: a.docNumber,
        issuer: a.issuer,
        writtenOn: a.writtenOn,
        issuedOn: a.issuedOn,
        topic: a.topic,
        validity: a.validity,
      });
      expect(r.bodyHtml, what).toContain(a.bodyText.replace(/&/g, '&amp;').replace(/</g, '&lt;'));
      expect(r.siteId).toBe('rd-nanning');
    }
    // Every structure and every encoding of the fixture was met.
    expect(new Set(site.truth.articles.map((a) => a.structure))).toEqual(
      new Set(['trs', 'govcn-meta', 'xxgk-th', 'xxgk-td', 'xxgk-li', 'chinese-date', 'plain', 'no-date', 'broken']),
    );
    expect(new Set(site.truth.articles.map((a) => a.encoding))).toEqual(new Set(['utf-8', 'utf-8-no-header', 'gbk-meta', 'gbk-header', 'gbk-sniff']));
  });

  it('fetches the attachments with their bytes and describes them in the record', () => {
    const byPath = new Map(documents().map((d) => [pathOf(d.record.url!), d]));
    let count = 0;
    for (const a of site.truth.articles) {
      const d = byPath.get(a.path)!;
      const got = d.attachments.map((x) => ({ name: x.name, path: pathOf(x.url), bytes: Buffer.from(x.bytes).toString('base64') }));
      const want = a.attachments.map((x) => ({ name: x.name, path: x.path, bytes: Buffer.from(x.bytes).toString('base64') }));
      expect(
        got.sort((x, y) => x.path.localeCompare(y.path)),
        a.path,
      ).toEqual(want.sort((x, y) => x.path.localeCompare(y.path)));
      for (const x of d.attachments) {
        const sha = createHash('sha256').update(x.bytes).digest('hex');
        expect(d.record.attachments).toContainEqual({
          name: x.name,
          key: expect.stringMatching(new RegExp(`^attachments/${sha}\\.(pdf|docx)$`)),
          contentType: x.contentType,
          size: x.bytes.length,
          sha256: sha,
          url: x.url,
        });
        expect(x.contentType).toMatch(/^application\/(pdf|vnd\.openxmlformats-officedocument\.wordprocessingml\.document)$/);
        count++;
      }
    }
    expect(count).toBeGreaterThan(5);
  });

  it('produces records the import schema accepts, except the one without a date', () => {
    for (const d of documents()) {
      const r = ImportDocumentSchema.safeParse(d.record);
      if (pathOf(d.record.url!) === site.truth.special.noDate) expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['publishedAt']);
      else expect(r.success, `${d.record.url}: ${JSON.stringify(r.error?.issues)}`).toBe(true);
    }
  });

  it('reports pages and links it does not import, with reasons', () => {
    const REASON: Record<UnmappedWhy, RegExp> = {
      'not-found': /页面不存在（404）/,
      robots: /robots\.txt 禁止采集/,
      'no-column': /没有对应的栏目/,
      offsite: /重定向到站外地址 http:\/\/www\.gxzf\.gov\.cn\//,
      redirect: /^重定向到 http/,
      'not-article': /^非文章页/,
      'attachment-link': /附件链接不在文章正文中/,
    };
    const unmapped = new Map(events.flatMap((e) => (e.type === 'unmapped' ? [[pathOf(e.url), e.reason] as const] : [])));
    for (const u of site.truth.unmapped) expect(unmapped.get(u.path), u.path).toMatch(REASON[u.why]);
    const failed = new Map(events.flatMap((e) => (e.type === 'failed' ? [[pathOf(e.url), e.reason] as const] : [])));
    expect(failed.get(site.truth.special.oversize)).toBe('页面超过 1 MB 上限，未采集');
    expect([...failed.keys()].sort()).toEqual(site.truth.failed.map((f) => f.path).sort());
    const brokenAttachment = documents().find((d) => pathOf(d.record.url!) === site.truth.special.brokenAttachment)!;
    expect(brokenAttachment.notes).toEqual([expect.stringMatching(/附件“附件：已删除的文件\.pdf”未能采集：页面不存在（404）/)]);
  });

  it('names each configured column once, with the old list page', () => {
    const columns = events.flatMap((e) => (e.type === 'column' ? [e.column] : []));
    expect(columns.map((c) => ({ slug: c.slug, name: c.name, url: c.url && pathOf(c.url) })).sort((a, b) => a.slug.localeCompare(b.slug))).toEqual(
      site.truth.columns.map((c) => ({ slug: c.slug, name: c.name, url: c.path })).sort((a, b) => a.slug.localeCompare(b.slug)),
    );
    expect(columns.find((c) => c.slug === 'tzgg')!.kind).toBe('notice');
    expect(columns.find((c) => c.slug === 'rdyw')!.kind).toBe('news');
  });

  it('stays on the site, obeys robots.txt and fetches nothing twice', () => {
    expect(hostsAsked.every((h) => h === new URL(server.origin).host)).toBe(true);
    expect(hostsAsked).not.toContain(site.truth.illegalDomain);
    const paths = server.requests.map((r) => r.path);
    expect(paths.filter((p) => p === '/robots.txt')).toHaveLength(1);
    expect(paths.some((p) => p.startsWith('/tzgg/nb/') || p.startsWith('/search') || p.startsWith('/ztzl/'))).toBe(false);
    const pages = paths.filter((p) => !/\/(robots\.txt|sitemap[-\d]*\.xml)$/.test(p));
    expect(pages.filter((p, i) => pages.indexOf(p) !== i)).toEqual([]);
    // The page only the sitemap names was found; the hostile page and the illegal link reached the store's sanitizer as they were.
    const hostile = documents().find((d) => pathOf(d.record.url!) === site.truth.special.hostile)!;
    expect(hostile.record.bodyHtml).toContain('onerror');
    const illegal = documents().find((d) => pathOf(d.record.url!) === site.truth.special.illegalLink)!;
    expect(illegal.record.bodyHtml).toContain(`href="http://${site.truth.illegalDomain}/"`);
    expect(documents().some((d) => pathOf(d.record.url!) === site.truth.special.sitemapOnly)).toBe(true);
    expect(events.filter((e) => e.type === 'page').length).toBeGreaterThan(site.truth.articles.length);
  });

  it('skips pages already imported when resuming', async () => {
    const done = new Set(
      documents()
        .map((d) => d.record.url!)
        .filter((_, i) => i % 2 === 0),
    );
    const before = server.requests.length;
    const again = await collect(crawlSite(fixtureSource(server.origin, { delayMs: 0, concurrency: 4 }), { skip: (u) => done.has(u), retryBaseMs: 5 }));
    const asked = new Set(server.requests.slice(before).map((r) => `${server.origin}${r.path}`));
    const found = again.flatMap((e) => (e.type === 'document' ? [e.record.url!] : []));
    expect(found.filter((u) => done.has(u))).toEqual([]);
    expect([...done].filter((u) => asked.has(u))).toEqual([]);
    expect(found.length).toBe(documents().length - done.size);
  });

  it('stops when the signal aborts', async () => {
    const ac = new AbortController();
    let docs = 0;
    for await (const e of crawlSite(fixtureSource(server.origin, { delayMs: 0 }), { signal: ac.signal })) {
      if (e.type === 'document' && ++docs === 3) ac.abort();
    }
    expect(docs).toBeLessThan(site.truth.articles.length);
  });

  it('stops at maxPages and reports what was left', async () => {
    const left = await collect(crawlSite(fixtureSource(server.origin, { delayMs: 0, maxPages: 5 })));
    expect(left.filter((e) => e.type === 'page').length).toBeLessThanOrEqual(5 + 3 + 8);
    expect(left.some((e) => e.type === 'unmapped' && /超过 maxPages（5）上限/.test(e.reason))).toBe(true);
  });
});

describe('compressed sitemaps', () => {
  it('reads a sitemap.xml.gz named by robots.txt, and reports one that is corrupt or inflates past 50 MB without stopping the crawl', async () => {
    const html = (body: string) => ({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: new TextEncoder().encode(`<!DOCTYPE html><title>t</title>${body}`),
    });
    const gz = (text: string) => new Uint8Array(gzipSync(text));
    const bomb = new Uint8Array(gzipSync(Buffer.alloc(60 * 1024 * 1024, 0x20)));
    const small = await serveFixtureSite({
      responses: new Map<string, FixtureResponse>([
        [
          '/robots.txt',
          {
            status: 200,
            contentType: 'text/plain',
            body: (o: string) =>
              new TextEncoder().encode(`User-agent: *\nAllow: /\nSitemap: ${o}/sitemap.xml.gz\nSitemap: ${o}/broken.xml.gz\nSitemap: ${o}/bomb.xml.gz\n`),
          },
        ],
        ['/', html('<p>首页</p>')],
        [
          '/sitemap.xml.gz',
          {
            status: 200,
            contentType: 'application/gzip',
            body: (o: string) => gz(`<?xml version="1.0"?><urlset><url><loc>${o}/only-in-sitemap.html</loc></url></urlset>`),
          },
        ],
        ['/broken.xml.gz', { status: 200, contentType: 'application/gzip', body: new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7]) }],
        ['/bomb.xml.gz', { status: 200, contentType: 'application/gzip', body: bomb }],
        ['/only-in-sitemap.html', html('<p>只有网站地图列出的页面</p>')],
      ]),
    });
    try {
      const config = parseCrawlSource(
        {
          type: 'crawl',
          id: 'gz-sitemap',
          name: '压缩网站地图测试站',
          siteId: 'rd-nanning',
          startUrls: [`${small.origin}/`],
          politeness: { delayMs: 0, concurrency: 2, maxBytes: 2_000_000 },
          articleUrl: '/t\\d{8}_\\d+\\.html$',
          columns: [{ urlPrefix: '/tzgg/', column: 'tzgg', kind: 'notice' }],
        },
        '测试',
      );
      const seen = await collect(crawlSite(config, { retryBaseMs: 5 }));
      const pages = seen.flatMap((e) => (e.type === 'page' ? [e.url.slice(small.origin.length)] : []));
      expect(pages).toContain('/only-in-sitemap.html');
      const failures = seen.flatMap((e) => (e.type === 'failed' ? [[e.url?.slice(small.origin.length), e.reason]] : []));
      expect(failures).toEqual([
        ['/broken.xml.gz', '网站地图无法解压：压缩数据损坏'],
        ['/bomb.xml.gz', '网站地图无法解压：解压后超过 50 MB'],
      ]);
    } finally {
      await small.close();
    }
  });
});

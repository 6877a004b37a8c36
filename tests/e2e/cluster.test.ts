/**
 * End to end: seed a small cluster into a fresh local D1, render it with the Astro renderer, publish to the
 * local R2, serve it with `wrangler dev`, and read it the way a browser does — by Host header.
 */
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCluster, type LocalCluster } from '../../scripts/lib/local-cluster.ts';
import { get, hrefs, meta } from './helpers.ts';

const SITES = ['nnxn', 'fgw-gxzf', 'rd-nanning']; // with their ancestors: gxzf and nanning
let cluster: LocalCluster;
let port = 0;

beforeAll(async () => {
  cluster = await startLocalCluster({ sites: SITES, origins: 'public' });
  port = cluster.port;
});

afterAll(() => cluster?.stop());

/** Errors a conformant XML 1.0 parser (saxes) finds: what breaks a feed reader or a search engine's sitemap fetch. */
function xmlErrors(text: string): string[] {
  const errors: string[] = [];
  const p = new SaxesParser();
  p.on('error', (e) => errors.push(e.message));
  p.write(text).close();
  return errors;
}

describe('a small cluster served by wrangler dev', () => {
  it('answers /healthz when Worker, D1 and R2 are up', async () => {
    const r = await get(port, '127.0.0.1', '/healthz');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text).ok).toBe(true);
  });

  it('serves each site at its own domain with the national meta tags and footer block', async () => {
    const expectations = [
      ['www.gxzf.gov.cn', '广西壮族自治区人民政府门户网站', '4500000001'],
      ['www.nanning.gov.cn', '南宁市人民政府门户网站', '4501000001'],
      ['www.nnxn.gov.cn', '兴宁区人民政府门户网站', '4501020001'],
      ['fgw.gxzf.gov.cn', '广西壮族自治区发展和改革委员会网站', '4500000002'],
      ['rd.nanning.gov.cn', '南宁市人大网站', '4501000004'],
    ];
    for (const [host, name, code] of expectations) {
      const r = await get(port, host!, '/');
      expect(r.status, host).toBe(200);
      expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(meta(r.text, 'SiteName')).toBe(name);
      expect(meta(r.text, 'SiteDomain')).toBe(host);
      expect(meta(r.text, 'SiteIDCode')).toBe(code);
      for (const part of ['党政机关网站标识', `网站标识码：${code}`, '桂ICP备', '桂公网安备', '主办单位：', '联系方式：', '我为政府网站找错'])
        expect(r.text, `${host} ${part}`).toContain(part);
    }
  });

  it('has no broken links: every link on a site resolves within it', async () => {
    const host = 'www.nanning.gov.cn';
    const seen = new Set<string>(['/']);
    let frontier = ['/'];
    for (let depth = 0; depth < 2; depth++) {
      const next: string[] = [];
      for (const path of frontier) {
        const r = await get(port, host, path);
        expect(r.status, path).toBe(200);
        for (const h of hrefs(r.text)) {
          if (/^(https?:|mailto:|#)/.test(h)) continue;
          if (/(^|\/)_mode\?/.test(h)) continue; // the display switch: a 303 back to the page (tests/e2e/accessibility.test.ts)
          const target = new URL(h, `http://${host}${path}`).pathname;
          if (!seen.has(target)) {
            seen.add(target);
            next.push(target);
          }
        }
      }
      frontier = next.slice(0, 150);
    }
    expect(seen.size).toBeGreaterThan(30);
    for (const path of frontier) expect((await get(port, host, path)).status, path).toBe(200);
  });

  it('carries column and article meta tags, and the 政务公开 table on policies', async () => {
    const column = await get(port, 'www.nanning.gov.cn', '/zcwj/');
    expect(meta(column.text, 'ColumnName')).toBe('政策文件');
    expect(meta(column.text, 'ColumnType')).toBe('政策文件');
    const docPath = hrefs(column.text).find((h) => /^p\d+\.html$/.test(h))!;
    const doc = await get(port, 'www.nanning.gov.cn', `/zcwj/${docPath}`);
    expect(doc.status).toBe(200);
    expect(meta(doc.text, 'PubDate')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(meta(doc.text, 'ContentSource')).toBe('中国政府网');
    expect(meta(doc.text, 'Url')).toBe(`https://www.nanning.gov.cn/zcwj/${docPath}`);
    expect(meta(doc.text, 'ArticleTitle')).toBeTruthy();
    for (const label of ['索引号', '发文机关', '发文字号', '成文日期', '发布日期', '有效性']) expect(doc.text).toContain(label);
  });

  it("gives an unknown page the site's own 404, and an unknown host a platform 404", async () => {
    const missing = await get(port, 'www.nnxn.gov.cn', '/no/such/page.html');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('抱歉，您访问的页面不存在');
    expect(meta(missing.text, 'SiteName')).toBe('兴宁区人民政府门户网站');
    const unknown = await get(port, 'www.not-on-platform.gov.cn', '/');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('本平台上没有这个网站');
  });

  it('serves byte-identical pages by Host, by <domain>.localhost and under /_site/<domain>/', async () => {
    for (const path of ['/', '/yw/', '/zcwjk/', '/wzdt/', '/rss.xml']) {
      const a = await get(port, 'www.gxzf.gov.cn', path);
      const b = await get(port, `www.gxzf.gov.cn.localhost:${port}`, path);
      const c = await get(port, `127.0.0.1:${port}`, `/_site/www.gxzf.gov.cn${path}`);
      expect(a.status).toBe(200);
      expect(b.body.equals(a.body), path).toBe(true);
      expect(c.body.equals(a.body), path).toBe(true);
    }
  });

  it('revalidates with ETag / If-None-Match → 304', async () => {
    const a = await get(port, 'www.gxzf.gov.cn', '/');
    const etag = a.headers.etag as string;
    // The content hash, suffixed on a home page with the signature of its 热点 list (filled in at serve time).
    expect(etag).toMatch(/^"[0-9a-f]+-h[0-9a-z]+"$/);
    const b = await get(port, 'www.gxzf.gov.cn', '/', { 'if-none-match': etag });
    expect(b.status).toBe(304);
    expect(b.body.length).toBe(0);
  });

  it('publishes on every site an rss.xml and a sitemap.xml that a conformant XML parser reads without error', async () => {
    expect(cluster.sites.length).toBe(5);
    for (const site of cluster.sites) {
      for (const path of ['/rss.xml', '/sitemap.xml']) {
        const r = await get(port, site.domain, path);
        expect(r.status, site.domain + path).toBe(200);
        expect(r.text.length).toBeGreaterThan(200);
        expect(xmlErrors(r.text), site.domain + path).toEqual([]);
      }
    }
    expect(xmlErrors('<rss><channel><title>a\u0000b</title></channel></rss>')).not.toEqual([]); // the parser does refuse a NUL
  });

  it('publishes sitemap.xml, rss.xml and robots.txt', async () => {
    const sm = await get(port, 'www.gxzf.gov.cn', '/sitemap.xml');
    expect(sm.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(sm.text).toContain('<loc>https://www.gxzf.gov.cn/gwywj/</loc>');
    const rss = await get(port, 'www.gxzf.gov.cn', '/rss.xml');
    expect(rss.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(rss.text).toContain('<item>');
    const robots = await get(port, 'www.gxzf.gov.cn', '/robots.txt');
    expect(robots.text).toContain('Sitemap: https://www.gxzf.gov.cn/sitemap.xml');
  });

  it('searches the seeded content from a site and across sites, by words and by 发文字号', async () => {
    const words = JSON.parse((await get(port, 'www.gxzf.gov.cn', '/search.json?q=' + encodeURIComponent('双随机 一公开 监管'))).text) as {
      hits: { id: string }[];
    };
    // The policy, next to its 示例 interpretation whose title quotes it (grouping the two is issue 3's work).
    expect(words.hits.slice(0, 3).map((h) => h.id)).toContain('p00001');
    const number = JSON.parse((await get(port, 'www.gxzf.gov.cn', '/search.json?q=' + encodeURIComponent('国发[2019]5号'))).text) as {
      hits: { id: string; match: string }[];
    };
    expect(number.hits[0]).toMatchObject({ id: 'p00001', match: 'doc-number' });
    const home = await get(port, 'www.nnxn.gov.cn', '/');
    expect(home.text).toContain('<form class="site-search" action="search" method="get" role="search">');
    const page = await get(port, 'www.nnxn.gov.cn', '/search?q=' + encodeURIComponent('示例'));
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/找到 <strong>\d+<\/strong> 条结果/);
  });

  it('lists every site on the preview index', async () => {
    const r = await get(port, `127.0.0.1:${port}`, '/');
    for (const d of ['www.gxzf.gov.cn', 'www.nanning.gov.cn', 'www.nnxn.gov.cn', 'fgw.gxzf.gov.cn', 'rd.nanning.gov.cn'])
      expect(r.text).toContain(`http://${d}.localhost:${port}/`);
  });

  it('re-uses what is published: a second publish with nothing changed writes nothing', async () => {
    const again = await cluster.publish();
    expect(again.sites.every((s) => s.skipped)).toBe(true);
    const forced = await cluster.publish({ force: true });
    expect(forced.changed).toBe(0); // same bytes: every page keeps its place in the existing packs
    expect((await get(port, 'www.gxzf.gov.cn', '/')).status).toBe(200);
  });

  it('keeps the publishing API closed to anyone without the token', async () => {
    const anon = await get(port, '127.0.0.1', '/_ingest/pointers');
    expect(anon.status).toBe(401);
    const wrong = await get(port, '127.0.0.1', '/_ingest/pointers', { authorization: 'Bearer ' + 'x'.repeat(64) });
    expect(wrong.status).toBe(401);
  });
});

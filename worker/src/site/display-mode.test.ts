/**
 * 适老化模式 and 大鼠标 at serve time (issue 5): the /_mode switch sets the cookie and sends the reader back to a
 * page of the same site only; pages for a reader with the cookie are rewritten (html data-mode / data-cursor,
 * switch links flipped) under their own ETag, with Vary: Cookie; without the cookie the bytes are the stored ones.
 */
import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { page, publish, seedRegistry } from '../testing/sites.ts';

const header = (back: string) =>
  `<header><a data-switch="mode" href="_mode?set=elder&amp;back=${back}">适老化模式</a><a data-switch="cursor" href="_mode?cursor=large&amp;back=${back}">大鼠标</a></header>`;
const FILES = {
  '/index.html': page('首页', header('%2F') + '<main id="main"><p>首页正文</p></main>'),
  '/yw/index.html': page('要闻动态', header('%2Fyw%2F') + '<p>列表</p>'),
  // Large enough to be stored gzip-compressed.
  '/yw/long.html': page('示例：长文', header('%2Fyw%2Flong.html') + '<p>' + '政务公开是建设法治政府的重要内容。'.repeat(200) + '</p>'),
  '/404.html': page('页面不存在', header('%2F') + '<a href="./">返回首页</a>'),
  // The frame of the Worker's own pages on the site (a site's search wears the site's template).
  '/wzdt/index.html': page('网站地图', header('%2Fwzdt%2F').replace(/href="_mode/g, 'href="../_mode') + '<main id="main"><p>网站地图</p></main>'),
  '/_astro/site.css': 'body{color:#111}',
  '/rss.xml': '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>',
};

beforeAll(async () => {
  await seedRegistry();
  await publish('gxzf', FILES, 'v1');
});

const get = (url: string, init?: RequestInit) => SELF.fetch(url, { redirect: 'manual', ...init });
const ELDER = { Cookie: 'other=1; ywtc_mode=elder' };
const CURSOR = { Cookie: 'ywtc_cursor=large' };
const BOTH = { Cookie: 'ywtc_mode=elder; ywtc_cursor=large' };

describe('/_mode switch', () => {
  it('sets the elder cookie for a year and answers 303 back to the page', async () => {
    const res = await get('http://www.gxzf.gov.cn/_mode?set=elder&back=%2Fyw%2Flong.html');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/yw/long.html');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^ywtc_mode=elder;/);
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Max-Age=31536000');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('clears the cookie for set=standard, and sets the large cursor independently', async () => {
    const std = await get('http://www.gxzf.gov.cn/_mode?set=standard&back=%2F');
    expect(std.status).toBe(303);
    expect(std.headers.get('set-cookie')).toMatch(/^ywtc_mode=; Path=\/; Max-Age=0/);
    const cur = await get('http://www.gxzf.gov.cn/_mode?cursor=large&back=%2Fyw%2F');
    expect(cur.headers.get('set-cookie')).toMatch(/^ywtc_cursor=large; Path=\/; Max-Age=31536000; SameSite=Lax/);
    expect(cur.headers.get('set-cookie')).not.toContain('ywtc_mode');
    expect(cur.headers.get('location')).toBe('/yw/');
  });

  it('goes back under the preview prefix, keeping a query and encoding what the query decoded', async () => {
    const res = await get('http://127.0.0.1/_site/www.gxzf.gov.cn/_mode?set=elder&back=%2Fsearch%3Fq%3D%E5%85%AC%E7%A7%AF%E9%87%91');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/_site/www.gxzf.gov.cn/search?q=%E5%85%AC%E7%A7%AF%E9%87%91');
    const noBack = await get('http://www.gxzf.gov.cn/_mode?set=elder');
    expect(noBack.headers.get('location')).toBe('/');
  });

  it('never redirects off the site: bad back paths get 400 naming the field', async () => {
    for (const back of [
      'https://evil.example/',
      '//evil.example/',
      '/\\evil.example',
      'evil.example',
      '/a/../../b',
      '/%2e%2e/x',
      '/a b',
      '/x#y',
      'javascript:alert(1)',
      '/\tx',
    ]) {
      const res = await get(`http://www.gxzf.gov.cn/_mode?set=elder&back=${encodeURIComponent(back)}`);
      expect(res.status, back).toBe(400);
      expect(res.headers.get('location'), back).toBeNull();
      expect(res.headers.get('set-cookie'), back).toBeNull();
      const body = (await res.json()) as { field: string };
      expect(body.field, back).toBe('back');
    }
  });

  it('400s an unknown or missing choice, naming the field', async () => {
    for (const [q, field] of [
      ['set=huge&back=%2F', 'set'],
      ['cursor=tiny', 'cursor'],
      ['back=%2F', 'set'],
      ['set=elder&cursor=large', 'set'],
    ] as const) {
      const res = await get(`http://www.gxzf.gov.cn/_mode?${q}`);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { field: string }).field, q).toBe(field);
    }
  });
});

describe('pages per display', () => {
  it('serves the stored bytes untouched without the cookie, with Vary: Cookie', async () => {
    const res = await get('http://www.gxzf.gov.cn/', { headers: { Cookie: 'unrelated=1' } });
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{32}-h[0-9a-z]+"$/); // a home page carries its 热点 list's signature
    expect(res.headers.get('vary')).toBe('Accept-Encoding, Cookie');
    expect(await res.text()).toBe(FILES['/index.html']);
    const gz = await get('http://www.gxzf.gov.cn/yw/long.html', { headers: { 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gz.headers.get('content-length')).not.toBeNull(); // the stored gzip bytes, passed through
    expect(await gz.text()).toBe(FILES['/yw/long.html']);
    // Only HTML varies by cookie.
    const css = await get('http://www.gxzf.gov.cn/_astro/site.css', { headers: ELDER });
    expect(css.headers.get('vary')).toBe('Accept-Encoding');
    expect(await css.text()).toBe(FILES['/_astro/site.css']);
  });

  it('marks <html data-mode="elder"> and flips the switch link when the cookie says elder', async () => {
    const res = await get('http://www.gxzf.gov.cn/', { headers: ELDER });
    expect(res.status).toBe(200);
    expect(res.headers.get('vary')).toBe('Accept-Encoding, Cookie');
    const html = await res.text();
    expect(html).toContain('<html lang="zh-CN" data-mode="elder">');
    expect(html).toContain('<a data-switch="mode" href="_mode?set=standard&amp;back=%2F">退出适老化</a>');
    expect(html).toContain('<a data-switch="cursor" href="_mode?cursor=large&amp;back=%2F">大鼠标</a>');
    expect(html).not.toContain('data-cursor');
    // Everything else is the stored page.
    expect(html.replace(' data-mode="elder"', '').replace('_mode?set=standard&amp;back=%2F">退出适老化', '_mode?set=elder&amp;back=%2F">适老化模式')).toBe(
      FILES['/index.html'],
    );
  });

  it('rewrites gzip-stored pages too, compressed again for clients that take gzip', async () => {
    const gz = await get('http://www.gxzf.gov.cn/yw/long.html', { headers: { ...ELDER, 'Accept-Encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const html = await gz.text();
    expect(html).toContain('data-mode="elder"');
    expect(html).toContain('政务公开是建设法治政府的重要内容。'.repeat(200));
    const plain = await get('http://www.gxzf.gov.cn/yw/long.html', { headers: { ...ELDER, 'Accept-Encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(html);
  });

  it('applies the large cursor independently of the mode, and both together', async () => {
    const cur = await (await get('http://www.gxzf.gov.cn/yw/', { headers: CURSOR })).text();
    expect(cur).toContain('<html lang="zh-CN" data-cursor="large">');
    expect(cur).toContain('href="_mode?cursor=standard&amp;back=%2Fyw%2F">标准鼠标</a>');
    expect(cur).toContain('href="_mode?set=elder&amp;back=%2Fyw%2F">适老化模式</a>');
    const both = await (await get('http://www.gxzf.gov.cn/yw/', { headers: BOTH })).text();
    expect(both).toContain('<html lang="zh-CN" data-mode="elder" data-cursor="large">');
    expect(both).toContain('退出适老化');
    expect(both).toContain('标准鼠标');
  });

  it('gives each display its own ETag and answers 304 only for the same display', async () => {
    const etags = new Map<string, string>();
    for (const [name, headers] of [
      ['standard', {}],
      ['elder', ELDER],
      ['cursor', CURSOR],
      ['both', BOTH],
    ] as const) {
      const res = await get('http://www.gxzf.gov.cn/yw/', { headers });
      etags.set(name, res.headers.get('etag')!);
      await res.arrayBuffer();
    }
    expect(new Set(etags.values()).size).toBe(4);
    const hash = etags.get('standard')!.slice(1, -1);
    expect(etags.get('elder')).toBe(`"${hash}-elder"`);
    for (const [name, headers] of [
      ['standard', {}],
      ['elder', ELDER],
      ['cursor', CURSOR],
      ['both', BOTH],
    ] as const) {
      const same = await get('http://www.gxzf.gov.cn/yw/', { headers: { ...headers, 'If-None-Match': etags.get(name)! } });
      expect(same.status, name).toBe(304);
      expect(same.headers.get('etag')).toBe(etags.get(name));
      expect(same.headers.get('vary')).toBe('Accept-Encoding, Cookie');
      expect(await same.text()).toBe('');
    }
    // A copy cached in one mode is not valid in another: the switch shows at once.
    const crossed = await get('http://www.gxzf.gov.cn/yw/', { headers: { ...ELDER, 'If-None-Match': etags.get('standard')! } });
    expect(crossed.status).toBe(200);
    expect(await crossed.text()).toContain('data-mode="elder"');
    const back = await get('http://www.gxzf.gov.cn/yw/', { headers: { 'If-None-Match': etags.get('elder')! } });
    expect(back.status).toBe(200);
    expect(await back.text()).toBe(FILES['/yw/index.html']);
  });

  it('rewrites the 404 page as well, keeping its base', async () => {
    const res = await get('http://127.0.0.1/_site/www.gxzf.gov.cn/no/such/page', { headers: ELDER });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('<base href="/_site/www.gxzf.gov.cn/">');
    expect(html).toContain('data-mode="elder"');
    expect(html).toContain('退出适老化');
  });

  it('answers HEAD in elder mode without a body', async () => {
    const res = await get('http://www.gxzf.gov.cn/yw/long.html', { method: 'HEAD', headers: ELDER });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/-elder"$/);
    expect(await res.text()).toBe('');
  });

  it('ignores a cookie value it does not know', async () => {
    const res = await get('http://www.gxzf.gov.cn/', { headers: { Cookie: 'ywtc_mode=standard; ywtc_cursor=huge' } });
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{32}-h[0-9a-z]+"$/);
    expect(await res.text()).toBe(FILES['/index.html']);
  });
});

describe('the search pages (rendered by the Worker) follow the same display', () => {
  it('offer the switches, sending the reader back to the same search', async () => {
    const html = await (await get('http://www.gxzf.gov.cn/search?q=%E5%85%AC%E7%A7%AF%E9%87%91&page=1')).text();
    expect(html).not.toContain('data-mode="elder"');
    // The site's own switch, its link rebased from the 网站地图 frame to the search page's place.
    const href = new URL(/<a data-switch="mode" href="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&'), 'http://www.gxzf.gov.cn/search');
    expect(href.pathname + href.search).toBe(`/_mode?set=elder&back=${encodeURIComponent('/search?q=%E5%85%AC%E7%A7%AF%E9%87%91&page=1')}`);
    const res = await get(href.href);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/search?q=%E5%85%AC%E7%A7%AF%E9%87%91&page=1');
  });

  it('are shown in elder mode with the cookie, on a site host and on the platform', async () => {
    for (const url of ['http://www.gxzf.gov.cn/search?q=abc', 'http://127.0.0.1/search?q=abc', 'http://127.0.0.1/_site/www.gxzf.gov.cn/search?q=abc']) {
      const html = await (await get(url, { headers: BOTH })).text();
      expect(html, url).toContain('data-mode="elder"');
      expect(html, url).toContain('data-cursor="large"');
      expect(html, url).toContain('退出适老化');
    }
    const platform = await get('http://127.0.0.1/_mode?set=elder&back=%2Fsearch%3Fq%3Dabc');
    expect(platform.status).toBe(303);
    expect(platform.headers.get('location')).toBe('/search?q=abc');
  });
});

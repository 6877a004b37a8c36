import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { GXZF_FILES, page, publish, seedRegistry } from '../testing/sites.ts';

beforeAll(async () => {
  await seedRegistry();
  await publish('gxzf', GXZF_FILES, 'v1');
});

const get = (url: string, init?: RequestInit) => SELF.fetch(url, { redirect: 'manual', ...init });

describe('Host-header routing', () => {
  it('serves a site page by its domain with type, ETag and revalidating cache headers', async () => {
    const res = await get('http://www.gxzf.gov.cn/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    // The content hash, and on a home page the signature of the 热点 list filled in at serve time (personal/).
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{32}-h[0-9a-z]+"$/);
    expect((await get('http://www.gxzf.gov.cn/yw/a1.html')).headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(res.headers.get('cache-control')).toBe('public, no-cache');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toBe(GXZF_FILES['/index.html']);
  });

  it('serves nested pages and feeds with their own content types', async () => {
    expect(await (await get('http://www.gxzf.gov.cn/yw/a1.html')).text()).toBe(GXZF_FILES['/yw/a1.html']);
    const rss = await get('http://www.gxzf.gov.cn/rss.xml');
    expect(rss.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const css = await get('http://www.gxzf.gov.cn/_astro/site.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('cache-control')).toContain('immutable');
  });

  it('passes gzip-stored pages through to clients that accept gzip, and decompresses for the rest', async () => {
    const gz = await get('http://www.gxzf.gov.cn/yw/long.html', { headers: { 'Accept-Encoding': 'gzip, br' } });
    expect(gz.status).toBe(200);
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gz.headers.get('vary')).toBe('Accept-Encoding, Cookie'); // HTML varies by the display cookies (display-mode.ts)
    const plain = await get('http://www.gxzf.gov.cn/yw/long.html', { headers: { 'Accept-Encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(GXZF_FILES['/yw/long.html']);
    expect(await gz.text()).toBe(GXZF_FILES['/yw/long.html']); // the client side of fetch decodes it
  });

  it('answers If-None-Match with 304 and no body', async () => {
    const first = await get('http://www.gxzf.gov.cn/yw/');
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();
    const again = await get('http://www.gxzf.gov.cn/yw/', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
    const stale = await get('http://www.gxzf.gov.cn/yw/', { headers: { 'If-None-Match': '"0000"' } });
    expect(stale.status).toBe(200);
  });

  it('redirects a directory without its slash relatively, so the preview prefix keeps working', async () => {
    const res = await get('http://www.gxzf.gov.cn/yw');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('yw/');
  });

  it("serves the site's own 404 page with a base so its links work at any depth", async () => {
    const res = await get('http://www.gxzf.gov.cn/no/such/page.html');
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).toContain('<head><base href="/">');
    expect(body).toContain('页面不存在');
    // Dot segments are resolved by URL parsing before lookup, and lookup is an exact key in the site's own
    // manifest, so no path can reach another site's files.
    const dotted = await get('http://www.gxzf.gov.cn/yw/%2e%2e/index.html');
    expect(await dotted.text()).toBe(GXZF_FILES['/index.html']);
    expect((await get('http://www.gxzf.gov.cn/sites/nanning/current')).status).toBe(404);
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('http://www.gxzf.gov.cn/yw/a1.html', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(new TextEncoder().encode(GXZF_FILES['/yw/a1.html']).byteLength));
    expect(await head.text()).toBe('');
    const post = await get('http://www.gxzf.gov.cn/', { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('says clearly that an unknown host is not on the platform', async () => {
    const res = await get('http://www.example.gov.cn/');
    expect(res.status).toBe(404);
    const body = await res.text();
    expect(body).toContain('本平台上没有这个网站');
    expect(body).toContain('www.example.gov.cn');
  });

  it('tells a registered but unpublished site apart from an unknown one', async () => {
    const res = await get('http://www.nanning.gov.cn/');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('尚未发布');
  });
});

describe('local preview', () => {
  it('serves byte-identical pages at <domain>.localhost and under /_site/<domain>/', async () => {
    for (const path of ['/', '/yw/', '/yw/a1.html', '/yw/long.html', '/_astro/site.css']) {
      const byHost = await (await get(`http://www.gxzf.gov.cn${path}`)).arrayBuffer();
      const byLocalhost = await (await get(`http://www.gxzf.gov.cn.localhost:8787${path}`)).arrayBuffer();
      const byPrefix = await (await get(`http://127.0.0.1:8787/_site/www.gxzf.gov.cn${path}`)).arrayBuffer();
      expect(new Uint8Array(byLocalhost)).toEqual(new Uint8Array(byHost));
      expect(new Uint8Array(byPrefix)).toEqual(new Uint8Array(byHost));
    }
  });

  it('gives the prefixed 404 page a base at the prefix and redirects the bare prefix', async () => {
    const res = await get('http://127.0.0.1:8787/_site/www.gxzf.gov.cn/missing/x.html');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('<base href="/_site/www.gxzf.gov.cn/">');
    const bare = await get('http://127.0.0.1:8787/_site/www.gxzf.gov.cn');
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('www.gxzf.gov.cn/');
    const unknown = await get('http://127.0.0.1:8787/_site/www.nowhere.gov.cn/');
    expect(unknown.status).toBe(404);
    // No open redirect, no header injection, no path confusion through encoded domains.
    const encodedSlash = await get('http://127.0.0.1:8787/_site/%2F%2Fevil.example');
    expect(encodedSlash.status).toBe(404);
    expect(encodedSlash.headers.get('location')).toBeNull();
    expect((await get('http://127.0.0.1:8787/_site/www.gxzf.gov.cn%0d%0aX-Evil:1')).status).toBe(404);
    const dotted = await get('http://127.0.0.1:8787/_site/www%2egxzf.gov.cn/yw/');
    expect(await dotted.text()).toBe(GXZF_FILES['/yw/index.html']);
  });

  it('lists every site with kind, parent, domain and links at the platform root', async () => {
    const res = await get('http://127.0.0.1:8787/');
    expect(res.status).toBe(200);
    const body = await res.text();
    for (const s of [
      '广西壮族自治区人民政府门户网站',
      '南宁市人民政府门户网站',
      '省级政府门户网站',
      '市级政府门户网站',
      'http://www.nanning.gov.cn.localhost:8787/',
      '/_site/www.gxzf.gov.cn/',
    ])
      expect(body).toContain(s);
    expect(body).toMatch(/南宁市人民政府门户网站<\/a><\/td><td>市级政府门户网站<\/td><td>广西壮族自治区人民政府门户网站<\/td>/);
  });

  it('reports health of Worker, D1 and R2', async () => {
    const res = await get('http://127.0.0.1:8787/healthz');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; checks: Record<string, { ok: boolean }> };
    expect(body.ok).toBe(true);
    expect(Object.keys(body.checks).sort()).toEqual(['d1', 'r2', 'worker']);
  });
});

describe('atomic publishing', () => {
  it('keeps serving the old version until the pointer moves, then serves the new one whole', async () => {
    const v2 = { ...GXZF_FILES, '/index.html': page('第二版首页'), '/yw/a2.html': page('示例：第二篇') };
    const manifest = await publish('gxzf', v2, 'v2', false);
    // Unchanged pages keep their byte ranges in the v1 pack; only changed ones go into the v2 pack.
    expect(manifest.pages['/yw/a1.html']![0]).toBe('v1');
    expect(manifest.pages['/index.html']![0]).toBe('v2');
    expect(await (await get('http://www.gxzf.gov.cn/')).text()).toBe(GXZF_FILES['/index.html']);
    expect((await get('http://www.gxzf.gov.cn/yw/a2.html')).status).toBe(404);

    await publish('gxzf', v2, 'v2', true);
    expect(await (await get('http://www.gxzf.gov.cn/')).text()).toBe(v2['/index.html']);
    expect(await (await get('http://www.gxzf.gov.cn/yw/a2.html')).text()).toBe(v2['/yw/a2.html']);
    expect(await (await get('http://www.gxzf.gov.cn/yw/a1.html')).text()).toBe(GXZF_FILES['/yw/a1.html']);
  });

  it('reports D1 trouble as 503 on /healthz rather than pretending to be healthy', async () => {
    await env.DB.exec('ALTER TABLE sites RENAME TO sites_moved');
    try {
      const res = await get('http://127.0.0.1:8787/healthz');
      expect(res.status).toBe(503);
      expect(((await res.json()) as { ok: boolean }).ok).toBe(false);
    } finally {
      await env.DB.exec('ALTER TABLE sites_moved RENAME TO sites');
    }
  });
});

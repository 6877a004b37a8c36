/**
 * Routing with the deployed configuration ([env.production].vars of wrangler.toml, read by wrangler): each
 * platform host serves its capabilities and nothing else, sites are served by their domains, and the loopback
 * hosts are nobody's.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../index.ts';
import { GXZF_FILES, publish, seedRegistry } from '../testing/sites.ts';

const production = { ...env, ...(JSON.parse(env.PRODUCTION_VARS) as Record<string, unknown>) } as typeof env;

async function get(url: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(url, { redirect: 'manual', ...init }), production, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

beforeAll(async () => {
  await seedRegistry();
  await publish('gxzf', GXZF_FILES, 'v1');
});

describe('the production configuration', () => {
  it('names its platform hosts', () => {
    expect(Object.keys((production as unknown as { PLATFORM_HOSTS: object }).PLATFORM_HOSTS).sort()).toEqual([
      'admin.gxzf.gov.cn',
      'data.gxzf.gov.cn',
      'search.gxzf.gov.cn',
    ]);
  });

  it('serves the CMS, the 模板库 and the previews on the admin host only', async () => {
    expect((await get('https://admin.gxzf.gov.cn/admin/login')).status).toBe(200);
    expect((await get('https://admin.gxzf.gov.cn/admin')).headers.get('location')).toMatch(/^\/admin\/login/);
    expect((await get('https://admin.gxzf.gov.cn/api/cms/me')).status).toBe(401);
    expect((await get('https://admin.gxzf.gov.cn/_templates')).status).toBe(200);
    const preview = await get('https://admin.gxzf.gov.cn/_site/www.gxzf.gov.cn/');
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain('广西壮族自治区人民政府门户网站');
    expect((await get('https://admin.gxzf.gov.cn/search?q=%E5%85%AC%E7%A7%AF%E9%87%91')).status).toBe(404);
  });

  it("serves 一网通查 on the search host only, with links to the sites' public addresses", async () => {
    const res = await get('https://search.gxzf.gov.cn/search?q=%E6%94%BF%E5%8A%A1');
    expect(res.status).toBe(200);
    expect((await get('https://search.gxzf.gov.cn/search.json?q=%E6%94%BF%E5%8A%A1')).status).toBe(200);
    expect((await get('https://search.gxzf.gov.cn/')).headers.get('location')).toBe('/search');
    for (const path of ['/admin/login', '/api/cms/me', '/_templates', '/_site/www.gxzf.gov.cn/'])
      expect((await get(`https://search.gxzf.gov.cn${path}`)).status, path).toBe(404);
  });

  it('keeps the open-data host to its own (nothing of the CMS or search there)', async () => {
    for (const path of ['/admin/login', '/search', '/_templates']) expect((await get(`https://data.gxzf.gov.cn${path}`)).status, path).toBe(404);
    expect((await get('https://data.gxzf.gov.cn/healthz')).status).toBe(200);
    expect((await get('https://data.gxzf.gov.cn/')).headers.get('location')).toBe('/open');
    expect((await get('https://data.gxzf.gov.cn/open/v1/interfaces')).status).toBe(200);
    for (const path of ['/open/v1/interfaces', '/open/openapi.json']) expect((await get(`https://search.gxzf.gov.cn${path}`)).status, path).toBe(404);
  });

  it('serves each site at its domain, with its own search, and no CMS there', async () => {
    const home = await get('https://www.gxzf.gov.cn/');
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('广西壮族自治区人民政府门户网站');
    expect((await get('https://www.gxzf.gov.cn/search?q=%E6%94%BF%E5%8A%A1')).status).toBe(200);
    expect((await get('https://www.gxzf.gov.cn/admin/login')).status).toBe(404);
  });

  it('treats the loopback hosts as unknown (they are the local defaults only)', async () => {
    const res = await get('http://127.0.0.1/admin/login');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('本平台上没有这个网站');
  });

  it('counts login attempts by the address Cloudflare sets', async () => {
    expect(production.CLIENT_ADDRESS_HEADER).toBe('cf-connecting-ip');
  });
});

import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROFILE_VERSION, type Profile } from '@ywtc/cms-schema';
import { PERSONAL_FILES, seedPersonal } from '../testing/personal.ts';
import { PROFILE_COOKIE, signProfile } from './profile-cookie.ts';
import { flushViews } from './hot-signals.ts';
import { forgetHot } from './hot.ts';

beforeAll(seedPersonal);

const HOME = 'http://www.gxzf.gov.cn/';
const get = (url: string, init?: RequestInit) => SELF.fetch(url, { redirect: 'manual', ...init });
const SECRET = env.PERSONAL_SECRET!;
const now = () => Math.floor(Date.now() / 1000);

async function cookieFor(p: Partial<Profile>): Promise<string> {
  const profile: Profile = { v: PROFILE_VERSION, i: [], s: [], r: null, h: false, t: [], d: [], at: now(), ...p };
  return `${PROFILE_COOKIE}=${await signProfile(SECRET, profile)}`;
}

async function post(path: string, fields: [string, string][], headers: Record<string, string> = {}) {
  return get(HOME + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

const setCookieOf = (res: Response) => /^ywtc_me=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? null;

describe('pages without settings', () => {
  it('serve a document page as stored: same bytes, public, with its content ETag and no cookie set', async () => {
    const res = await get(HOME + 'zcwj/gx-sb-1.html');
    expect(res.headers.get('cache-control')).toBe('public, no-cache');
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await res.text()).toBe(PERSONAL_FILES['/zcwj/gx-sb-1.html']);
  });

  it('fill the home page 热点 list for everyone, the same bytes for every reader, and revalidate by its ETag', async () => {
    const a = await get(HOME);
    const b = await get(HOME, { headers: { Cookie: 'other=1' } });
    const html = await a.text();
    expect(html).toBe(await b.text());
    expect(a.headers.get('cache-control')).toBe('public, no-cache');
    expect(html).not.toContain('为您推荐');
    // No traffic yet: the newest items fill the list and say so; 失效 items and 办事指南 never do.
    // Relative links, like every link of a page: the same bytes at the host and under /_site/<domain>/.
    expect(html).toMatch(/<ol class="hot-list" data-slot="hot-list"><li><a href="zcwj\/gx-sb-1\.html">/);
    expect(html).toContain('<span class="sub">最新</span>');
    expect(html).not.toContain('gx-sb-old');
    const etag = a.headers.get('etag')!;
    expect((await get(HOME, { headers: { 'If-None-Match': etag } })).status).toBe(304);
  });
});

describe('定制我的网站', () => {
  it('shows the settings form in the site’s own frame, noindex, private', async () => {
    const res = await get(HOME + '_me/?back=%2Fzcwj%2Fgx-sb-1.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const html = await res.text();
    expect(html).toContain('<title>定制我的网站_广西壮族自治区人民政府门户网站</title>');
    expect(html).toContain('网站标识码 4500000001'); // the site's footer: the shell is its own 网站地图 page
    expect(html).toContain('<meta name="robots" content="noindex">');
    expect(html).not.toContain('rel="canonical"');
    expect(html).toContain('name="interests" value="shebao"');
    expect(html).toContain('name="services" value="hy-jhdj"');
    expect(html).toContain('<option value="qingxiu">');
    expect(html).toContain('back=%2F_me%2F'); // the display switches come back here
    expect(html).toContain('name="back" value="/zcwj/gx-sb-1.html"');
  });

  it('saves the choice only in a signed, HttpOnly cookie and goes back to the page the citizen came from', async () => {
    const res = await post('_me/', [
      ['interests', 'shebao'],
      ['services', 'hy-jhdj'],
      ['region', 'qingxiu'],
      ['back', '/zcwj/gx-sb-1.html'],
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/zcwj/gx-sb-1.html');
    const header = res.headers.get('set-cookie')!;
    expect(header).toMatch(/^ywtc_me=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}; Path=\/; Max-Age=15552000; HttpOnly; SameSite=Lax$/);
    const payload = JSON.parse(atob(setCookieOf(res)!.split('.')[0]!.replace(/-/g, '+').replace(/_/g, '/'))) as Profile;
    expect(payload).toMatchObject({ v: 1, i: ['shebao'], s: ['hy-jhdj'], r: 'qingxiu', h: false, t: [], d: [] });
    // Nothing about the citizen went anywhere else.
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action LIKE '%me%' OR detail LIKE '%shebao%'").first<{ n: number }>();
    expect(stored!.n).toBe(0);
  });

  it('refuses bad input with a 400 that says in Chinese what was not accepted, and saves nothing', async () => {
    const many = Array.from({ length: 300 }, (): [string, string] => ['services', 'hy-jhdj']);
    const res = await post('_me/', [['interests', 'shebao'], ['interests', 'astrology'], ...many, ['region', 'atlantis'], ['history', 'yes']]);
    expect(res.status).toBe(400);
    expect(res.headers.get('set-cookie')).toBeNull();
    const html = await res.text();
    expect(html).toContain('设置未保存');
    expect(html).toContain('无法识别的兴趣领域：“astrology”');
    expect(html).toContain('常用服务最多选 12 项，您选了 300 项');
    expect(html).toContain('没有这个地区：“atlantis”');
    expect(html).toContain('“记录最近阅读的主题”只能勾选或不勾选');
  });

  it('refuses a post from another site and a body that is not a form', async () => {
    const foreign = await post('_me/', [['interests', 'shebao']], { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(400);
    expect(foreign.headers.get('set-cookie')).toBeNull();
    const json = await get(HOME + '_me/', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"interests":["shebao"]}' });
    expect(json.status).toBe(400);
    expect(await json.text()).toContain('表单格式不正确');
  });

  it('清除我的设置 deletes the cookie', async () => {
    const res = await post('_me/clear', []);
    expect(res.status).toBe(303);
    expect(res.headers.get('set-cookie')).toMatch(/^ywtc_me=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax$/);
  });
});

describe('pages with settings', () => {
  it('explain each recommendation, draw on the citizen’s county and city, never show a 失效 item, and stay private', async () => {
    const res = await get(HOME, { headers: { Cookie: await cookieFor({ i: ['shebao'], s: ['hy-jhdj'], r: 'qingxiu' }) } });
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('etag')).toBeNull();
    expect(res.headers.get('vary')).toBe('Accept-Encoding, Cookie');
    const html = await res.text();
    const forYou = forYouOf(html);
    expect(forYou).toContain('为您推荐');
    expect(forYou).toContain('href="zcwj/gx-sb-1.html"');
    expect(forYou).toContain('因为您关注：社会保障');
    expect(forYou).toContain(`${originOf('www.nanning.gov.cn')}/tzgg/nn-sb-1.html`);
    expect(forYou).not.toContain('gx-sb-old');
    expect(forYou).not.toContain('gx-jy-1'); // not an interest of this citizen
    // 我的常用服务: the guide of the citizen's own county comes before the region's.
    const services = /<section class="my-services"[\s\S]*?<\/section>/.exec(html)![0];
    expect(services).toContain(`${originOf('www.qingxiu.gov.cn')}/zwfw/qx-guide-hy.html`);
    expect(services).toContain('结婚登记');
    // The hot list is there too.
    expect(html).toContain('data-slot="hot-list"><li>');
  });

  it('differ per citizen: two profiles get two pages, neither cacheable by a shared cache', async () => {
    const a = await get(HOME, { headers: { Cookie: await cookieFor({ i: ['shebao'] }) } });
    const b = await get(HOME, { headers: { Cookie: await cookieFor({ i: ['jiaoyu'] }) } });
    const [ha, hb] = [forYouOf(await a.text()), forYouOf(await b.text())];
    expect(ha).toContain('gx-sb-1.html');
    expect(ha).not.toContain('gx-jy-1.html');
    expect(hb).toContain('gx-jy-1.html');
    expect(hb).not.toContain('gx-sb-1.html');
    for (const r of [a, b]) {
      expect(r.headers.get('cache-control')).toBe('private, no-store');
      expect(r.headers.get('vary')).toContain('Cookie');
      expect(r.headers.get('etag')).toBeNull();
    }
  });

  it('work on document pages, and keep 适老化模式', async () => {
    const res = await get(HOME + 'zcwj/gx-sb-1.html', { headers: { Cookie: `${await cookieFor({ i: ['shebao'] })}; ywtc_mode=elder` } });
    const html = await res.text();
    expect(html).toContain('data-mode="elder"');
    const forYou = forYouOf(html);
    expect(forYou).not.toContain('gx-sb-1.html'); // not the page being read
    expect(forYou).toContain('gx-sb-2.html');
  });

  it('with the history opt-in, note what was read in the cookie and recommend by it, never the read item again', async () => {
    const first = await get(HOME + 'zcwj/gx-jy-1.html', { headers: { Cookie: await cookieFor({ i: ['zhufang'], r: 'qingxiu', h: true }) } });
    expect(first.status).toBe(200);
    const updated = setCookieOf(first)!;
    expect(updated).toBeTruthy();
    const home = forYouOf(await (await get(HOME, { headers: { Cookie: `${PROFILE_COOKIE}=${updated}` } })).text());
    expect(home).toContain('qx-jy-1.html');
    expect(home).toContain('因为您最近阅读：教育入学');
    expect(home).not.toContain('gx-jy-1.html');
    // Without the opt-in nothing is noted.
    const plain = await get(HOME + 'zcwj/gx-jy-1.html', { headers: { Cookie: await cookieFor({ i: ['zhufang'] }) } });
    expect(plain.headers.get('set-cookie')).toBeNull();
  });

  it('ignore a tampered, truncated, oversized, old-format or stale cookie: the static page, never a 5xx', async () => {
    const good = (await cookieFor({ i: ['shebao'] })).slice(PROFILE_COOKIE.length + 1);
    const [payload, sig] = good.split('.');
    const flipped = payload!.slice(0, -2) + (payload!.endsWith('A') ? 'B' : 'A') + payload!.slice(-1);
    const oldFormat = `${btoa(JSON.stringify({ v: 0, i: ['shebao'] })).replace(/=+$/, '')}.${sig}`;
    const stale = (await cookieFor({ i: ['shebao'], at: now() - 500 * 86_400 })).slice(PROFILE_COOKIE.length + 1);
    const olderVersion = await signProfile(SECRET, { v: PROFILE_VERSION, i: ['shebao'], s: [], r: null, h: false, t: [], d: [], at: now() }).then((v) =>
      v.replace(/^[^.]+/, btoa(JSON.stringify({ v: 0 }))),
    );
    const staticPage = await (await get(HOME)).text();
    for (const value of [`${flipped}.${sig}`, good.slice(0, 30), good + 'x'.repeat(2000), oldFormat, stale, olderVersion, '%%%', '.', 'a.b.c']) {
      const res = await get(HOME, { headers: { Cookie: `${PROFILE_COOKIE}=${value}` } });
      expect(res.status, value.slice(0, 40)).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, no-cache');
      expect(await res.text()).toBe(staticPage);
    }
  });
});

describe('热点信息', () => {
  it('counts views per day, site and document only, and ranks by them with editors’ blocks applied', async () => {
    const counts = async () => {
      await flushViews(env.DB);
      const { results } = await env.DB.prepare('SELECT * FROM page_view_days').all<Record<string, unknown>>();
      // Nothing but the day, the site, the document and a number: no address, agent, cookie or time of day.
      for (const r of results) expect(Object.keys(r).sort().join(',')).toBe('day,document_id,site_id,views');
      return new Map(results.map((r) => [r.document_id as string, r.views as number]));
    };
    const before = await counts();
    for (let i = 0; i < 5; i++) await (await get(HOME + 'zcwj/gx-jy-1.html')).arrayBuffer();
    await (await get(HOME + 'zcwj/gx-sb-1.html')).arrayBuffer();
    // A crawler is not a reader.
    await (await get(HOME + 'zcwj/gx-sb-1.html', { headers: { 'User-Agent': 'Baiduspider/2.0' } })).arrayBuffer();
    const after = await counts();
    expect((after.get('gx-jy-1') ?? 0) - (before.get('gx-jy-1') ?? 0)).toBe(5);
    expect((after.get('gx-sb-1') ?? 0) - (before.get('gx-sb-1') ?? 0)).toBe(1);
    forgetHot('gxzf');
    const hot = await (await get(HOME + 'hot/')).text();
    expect(hot.indexOf('gx-jy-1.html')).toBeLessThan(hot.indexOf('gx-sb-1.html'));
    await env.DB.prepare(
      "INSERT INTO hot_overrides (site_id, document_id, action, account_id, created_at) VALUES ('gxzf', 'gx-jy-1', 'block', 'a', '2026-01-01T00:00:00Z')",
    ).run();
    forgetHot('gxzf');
    const blocked = await (await get(HOME + 'hot/')).text();
    expect(blocked).not.toContain('gx-jy-1.html');
    expect(blocked).toContain('gx-sb-1.html');
    const home = await (await get(HOME)).text();
    expect(home).not.toContain('gx-jy-1.html');
  });

  it('has a cluster-wide /hot/ on the platform’s search host', async () => {
    forgetHot('*');
    const res = await get('http://127.0.0.1:8787/hot/');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('全区政府网站热点信息');
    expect(html).toContain('广西壮族自治区人民政府门户网站');
  });
});

function forYouOf(html: string): string {
  return /<section class="for-you"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
}

function originOf(domain: string): string {
  return (env.SITE_ORIGIN_TEMPLATE ?? 'https://{domain}').replace('{domain}', domain);
}

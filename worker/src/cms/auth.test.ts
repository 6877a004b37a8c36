/** CMS accounts in workerd with D1: login, sessions, CSRF, throttling, logout, password change. */
import { SELF, env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { PBKDF2_ITERATIONS } from './password.ts';
import { IDLE_MS, readSession } from './session.ts';
import { GXZF_FILES, publish, seedRegistry } from '../testing/sites.ts';
import { addAccount } from '../testing/accounts.ts';

const ORIGIN = 'http://127.0.0.1:8787';
const PASSWORD = 'Nanning-2026-ok';

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  SELF.fetch(`${ORIGIN}/api/cms${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
const cookieOf = (res: Response) => /^([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';

async function login(username: string, password = PASSWORD, ip = '10.0.0.1') {
  const res = await post('/login', { username, password }, { 'CF-Connecting-IP': ip });
  const body = (await res.json()) as { csrfToken?: string; account?: Record<string, unknown>; grants?: unknown[]; field?: string; message?: string };
  return { res, body, cookie: cookieOf(res) };
}
const me = (cookie: string) => SELF.fetch(`${ORIGIN}/api/cms/me`, { headers: { Cookie: cookie } });

beforeAll(async () => {
  await seedRegistry();
  await addAccount('a-editor', 'nn-editor', PASSWORD, [{ role: 'editor', siteId: 'nanning' }]);
  await addAccount('a-twin', 'nn-twin', PASSWORD);
  await addAccount('a-throttle', 'nn-throttle', PASSWORD);
  await addAccount('a-pw', 'nn-password', PASSWORD);
});

describe('logging in', () => {
  it('sets a __Host- session cookie (HttpOnly, Secure, SameSite=Strict) and returns the account, its grants and a CSRF token', async () => {
    const { res, body, cookie } = await login('nn-editor');
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^__Host-ywtc_session=[\w-]{40,};/);
    for (const attr of ['Path=/', 'HttpOnly', 'Secure', 'SameSite=Strict']) expect(setCookie).toContain(attr);
    expect(body.account).toMatchObject({ id: 'a-editor', username: 'nn-editor' });
    expect(JSON.stringify(body)).not.toMatch(/password_?hash|passwordSalt/i);
    expect(body.grants).toEqual([expect.objectContaining({ role: 'editor', siteId: 'nanning' })]);
    expect(body.csrfToken).toMatch(/^[\w-]{40,}$/);
    expect((await me(cookie)).status).toBe(200);
    expect((await me('')).status).toBe(401);
    expect((await me('__Host-ywtc_session=forged')).status).toBe(401);
  });

  it('stores PBKDF2 hashes with 100,000 iterations and a salt of its own per account', async () => {
    const { results } = await env.DB.prepare("SELECT password_hash, password_salt, password_iterations FROM accounts WHERE id IN ('a-editor', 'a-twin')").all<{
      password_hash: string;
      password_salt: string;
      password_iterations: number;
    }>();
    expect(results.map((r) => r.password_iterations)).toEqual([PBKDF2_ITERATIONS, PBKDF2_ITERATIONS]);
    expect(PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(100_000);
    expect(results[0]!.password_salt).not.toBe(results[1]!.password_salt);
    expect(results[0]!.password_hash).not.toBe(results[1]!.password_hash); // same password, different salts
  });

  it('answers a wrong password and an unknown name alike, and names bad fields', async () => {
    const wrong = await login('nn-twin', 'Wrong-password-1', '10.0.0.2');
    const unknown = await login('nobody-here', PASSWORD, '10.0.0.2');
    expect([wrong.res.status, unknown.res.status]).toEqual([401, 401]);
    expect(wrong.body.message).toBe(unknown.body.message);
    expect((await login('nn-twin', '', '10.0.0.2')).body).toMatchObject({ field: 'password' });
    expect((await login('Bad Name!', PASSWORD, '10.0.0.2')).body).toMatchObject({ field: 'username' });
    const garbage = await SELF.fetch(`${ORIGIN}/api/cms/login`, { method: 'POST', body: 'not json' });
    expect(garbage.status).toBe(400);
  });

  it('refuses further logins for a name after 5 failures, even with the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await login('nn-throttle', `Wrong-pass-${i}9`, '10.0.1.1')).res.status).toBe(401);
    const blocked = await login('nn-throttle', PASSWORD, '10.0.1.2');
    expect(blocked.res.status).toBe(429);
    expect(Number(blocked.res.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other names are not affected.
    expect((await login('nn-twin', PASSWORD, '10.0.1.2')).res.status).toBe(200);
  });

  it("is not there on a site's public host: the site answers with its own 404 page", async () => {
    await publish('gxzf', GXZF_FILES, 'auth-v1');
    for (const path of ['/api/cms/me', '/api/cms/login']) {
      const res = await SELF.fetch(`http://www.gxzf.gov.cn${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toContain('text/html');
      expect(await res.text(), path).toContain('页面不存在');
    }
    const post = await SELF.fetch('http://www.gxzf.gov.cn/api/cms/login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(post.status).toBe(405);
  });
});

describe('sessions', () => {
  it('needs the CSRF token and this origin to log out, then is gone', async () => {
    const { body, cookie } = await login('nn-editor', PASSWORD, '10.0.2.1');
    expect((await post('/logout', {}, { Cookie: cookie })).status).toBe(403);
    expect((await post('/logout', {}, { Cookie: cookie, 'X-CSRF-Token': 'guess' })).status).toBe(403);
    expect((await post('/logout', {}, { Cookie: cookie, 'X-CSRF-Token': body.csrfToken!, Origin: 'https://evil.example' })).status).toBe(403);
    const out = await post('/logout', {}, { Cookie: cookie, 'X-CSRF-Token': body.csrfToken!, Origin: ORIGIN });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await me(cookie)).status).toBe(401);
  });

  it('ends after 30 minutes without use', async () => {
    const { cookie } = await login('nn-editor', PASSWORD, '10.0.2.2');
    const token = cookie.split('=')[1]!;
    expect(await readSession(env.DB, token, Date.now() + 60_000)).not.toBeNull();
    expect(await readSession(env.DB, token, Date.now() + 60_000 + IDLE_MS)).toBeNull();
    expect((await me(cookie)).status).toBe(401); // and it was deleted
  });
});

describe('changing the password', () => {
  it("checks the current one and the new one's strength, then logs out every other session", async () => {
    const first = await login('nn-password', PASSWORD, '10.0.3.1');
    const other = await login('nn-password', PASSWORD, '10.0.3.2');
    const change = (b: unknown) => post('/password', b, { Cookie: first.cookie, 'X-CSRF-Token': first.body.csrfToken! });
    expect(await (await change({ current: 'Wrong-one-123', next: 'Brand-new-2026' })).json()).toMatchObject({ field: 'current' });
    expect(await (await change({ current: PASSWORD, next: 'short1' })).json()).toMatchObject({ field: 'next' });
    expect(await (await change({ current: PASSWORD, next: 'onlyletterslong' })).json()).toMatchObject({ field: 'next' });
    expect((await change({ current: PASSWORD, next: 'Brand-new-2026' })).status).toBe(200);
    expect((await me(first.cookie)).status).toBe(200);
    expect((await me(other.cookie)).status).toBe(401);
    expect((await login('nn-password', PASSWORD, '10.0.3.3')).res.status).toBe(401);
    expect((await login('nn-password', 'Brand-new-2026', '10.0.3.3')).res.status).toBe(200);
  });
});

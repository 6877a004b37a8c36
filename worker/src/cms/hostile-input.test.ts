/**
 * What a hostile or careless client sends to the CMS: inherited property names as steps, control characters,
 * uploads it may not make, guesses in parallel and forged client addresses. Each gets a 4xx (or is made
 * harmless) and leaves nothing stored it should not.
 */
import { SELF, createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { SaxesParser } from 'saxes';
import worker from '../index.ts';
import { seedRegistry } from '../testing/sites.ts';
import { addAccount, login, type Session } from '../testing/accounts.ts';
import { rebuildSite } from '../render/whole-site.ts';

const ORIGIN = 'http://127.0.0.1:8787';
let editor: Session, reviewer: Session, outsider: Session;
const call = (s: Session, method: string, path: string, body?: BodyInit | object) =>
  SELF.fetch(`${ORIGIN}/api/cms${path}`, {
    method,
    headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, ...(body instanceof FormData ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: body instanceof FormData ? body : JSON.stringify(body) }),
  });
const draft = (title: string, extra: Record<string, unknown> = {}) => ({
  kind: 'notice',
  title,
  bodyHtml: `<p>${title}。</p>`,
  source: '南宁市人民政府办公室',
  ...extra,
});
async function create(title: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await call(editor, 'POST', '/documents', { siteId: 'nanning', columnId: 'nanning/tzgg', draft: draft(title, extra) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}
const storedAttachments = async () => (await env.PAGES.list({ prefix: 'attachments/' })).objects.length;
const pdf = () => new File([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 10, 37, 37, 69, 79, 70])], '附件.pdf', { type: 'application/pdf' });

/** Parses with saxes, a conformant XML 1.0 parser (it refuses what libxml2 and feed readers refuse). */
function xmlErrors(text: string): string[] {
  const errors: string[] = [];
  const p = new SaxesParser();
  p.on('error', (e) => errors.push(e.message));
  p.write(text).close();
  return errors;
}

beforeAll(async () => {
  await seedRegistry();
  await env.DB.prepare(
    "INSERT INTO columns (id, site_id, parent_id, slug, name, kind, description, keywords, sort_order) VALUES ('nanning/tzgg', 'nanning', NULL, 'tzgg', '通知公告', 'notice', '通知公告', '[]', 0)",
  ).run();
  await addAccount('h-ed', 'hostile-editor', 'Hostile-editor-2026', [{ role: 'editor', siteId: 'nanning' }]);
  await addAccount('h-rv', 'hostile-reviewer', 'Hostile-review-2026', [{ role: 'reviewer', siteId: 'nanning', level: 1 }]);
  await addAccount('h-out', 'hostile-outsider', 'Hostile-out-2026', [{ role: 'editor', siteId: 'gxzf' }]);
  [editor, reviewer, outsider] = await Promise.all([
    login('hostile-editor', 'Hostile-editor-2026'),
    login('hostile-reviewer', 'Hostile-review-2026'),
    login('hostile-outsider', 'Hostile-out-2026'),
  ]);
});

describe('hostile input', () => {
  it('answers a step named like an inherited property with 404, not 500', async () => {
    const id = await create('关于调整办公时间的通知');
    for (const step of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const res = await call(editor, 'POST', `/documents/${id}/${step}`, {});
      expect(res.status, step).toBe(404);
      expect(await res.json()).toMatchObject({ field: 'step' });
    }
    // The same names as tags, entities, file extensions and notices: harmless text, never a function.
    const body = await call(editor, 'POST', '/documents', {
      siteId: 'nanning',
      columnId: 'nanning/tzgg',
      draft: draft('关于继承属性名称的测试通知', { bodyHtml: '<constructor>甲</constructor><p>乙&constructor;&__proto__;&toString;</p>' }),
    });
    expect(body.status).toBe(201);
    const { draft: stored } = (await (await call(editor, 'GET', `/documents/${((await body.json()) as { id: string }).id}`)).json()) as {
      draft: { bodyHtml: string };
    };
    expect(stored.bodyHtml).toBe('甲<p>乙&amp;constructor;&amp;__proto__;&amp;toString;</p>');
    expect(stored.bodyHtml).not.toMatch(/function|native code|object Object/);
    const notice = await (await SELF.fetch(`${ORIGIN}/admin/qa?done=constructor`, { headers: { Cookie: editor.cookie } })).text();
    expect(notice).not.toMatch(/function|native code/);
  });

  it('strips NUL and other characters XML forbids at the schema, so the published feed and sitemap still parse', async () => {
    expect(await rebuildSite(env, 'nanning', 'http://{domain}.localhost:8787')).not.toBeNull();
    const id = await create('关于\u0000开展\u0007冬季\u001b安全检查的通知', {
      summary: '摘要\u0000含控制字符\uFFFE',
      bodyHtml: '<p>正文&#0;含\u0001控制&#x1F;字符</p>',
    });
    const { draft: stored } = (await (await call(editor, 'GET', `/documents/${id}`)).json()) as { draft: { title: string; summary: string; bodyHtml: string } };
    expect(stored.title).toBe('关于开展冬季安全检查的通知');
    expect(stored.summary).toBe('摘要含控制字符');
    // &#0; is U+FFFD, as HTML decodes it; the raw and encoded controls are gone.
    expect(stored.bodyHtml).toBe('<p>正文\ufffd含控制字符</p>');
    expect((await call(editor, 'POST', `/documents/${id}/submit`, {})).status).toBe(200);
    expect((await call(reviewer, 'POST', `/documents/${id}/approve`, {})).status).toBe(200);
    expect((await call(editor, 'POST', `/documents/${id}/publish`, {})).status).toBe(200);
    for (const path of ['/rss.xml', '/sitemap.xml']) {
      const xml = await (await SELF.fetch(`http://www.nanning.gov.cn${path}`)).text();
      expect(xml, path).toContain(path === '/rss.xml' ? '关于开展冬季安全检查的通知' : `/tzgg/${id}.html`);
      expect(xmlErrors(xml), path).toEqual([]);
    }
    // The parser is strict: the same feed with the raw NUL back in is refused.
    const rss = await (await SELF.fetch('http://www.nanning.gov.cn/rss.xml')).text();
    expect(xmlErrors(rss.replace('关于开展', '关于\u0000开展'))).not.toEqual([]);
  });

  it('stores nothing in R2 for an upload it refuses: another unit, a reviewer, a stale revision, a submitted document', async () => {
    const id = await create('关于公布2026年第二批行政许可事项的通知');
    const before = await storedAttachments();
    const form = (revision: number) => {
      const f = new FormData();
      f.append('file', pdf());
      f.append('revision', String(revision));
      return f;
    };
    expect((await call(outsider, 'POST', `/documents/${id}/attachments`, form(1))).status).toBe(404);
    expect((await call(reviewer, 'POST', `/documents/${id}/attachments`, form(1))).status).toBe(403);
    expect((await call(editor, 'POST', `/documents/${id}/attachments`, form(7))).status).toBe(409);
    expect(await storedAttachments()).toBe(before);
    expect((await call(editor, 'POST', `/documents/${id}/submit`, {})).status).toBe(200);
    expect((await call(editor, 'POST', `/documents/${id}/attachments`, form(1))).status).toBe(409);
    expect(await storedAttachments()).toBe(before);
    // The same upload by the editor on a draft is stored (the test can fail).
    const other = await create('关于公布2026年第三批行政许可事项的通知');
    expect((await call(editor, 'POST', `/documents/${other}/attachments`, form(1))).status).toBe(201);
    expect(await storedAttachments()).toBe(before + 1);
  });
});

describe('login throttle', () => {
  const attempt = (username: string, password: string, address: string, bindings = env) => {
    const ctx = createExecutionContext();
    return Promise.resolve(
      worker.fetch(
        new Request(`${ORIGIN}/api/cms/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'CF-Connecting-IP': address },
          body: JSON.stringify({ username, password }),
        }),
        bindings,
        ctx,
      ),
    ).then(async (r) => {
      await waitOnExecutionContext(ctx);
      return r;
    });
  };
  const checks = async (username: string) =>
    (await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'auth.login-failed' AND target = ?").bind(username).first<{ n: number }>())!.n;

  it('checks exactly 5 passwords of 40 parallel wrong guesses, and then refuses even the right one', async () => {
    await addAccount('t-par', 'parallel-user', 'Parallel-user-2026');
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => attempt('parallel-user', `wrong-${i}-2026`, `10.40.0.${i + 1}`)));
    expect(results.filter((r) => r.status === 401)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429)).toHaveLength(35);
    expect(await checks('parallel-user')).toBe(5);
    expect((await attempt('parallel-user', 'Parallel-user-2026', '10.40.1.1')).status).toBe(429);
  });

  it('trusts no client-sent address unless configured: forged addresses all count as one', async () => {
    const untrusted = { ...env, CLIENT_ADDRESS_HEADER: '' } as typeof env;
    for (let i = 0; i < 20; i++) expect((await attempt(`guess-${i}`, 'Wrong-password-1', `10.50.0.${i + 1}`, untrusted)).status).toBe(401);
    // The 21st guess, from yet another forged address and for yet another name, hits the per-address limit.
    expect((await attempt('guess-20', 'Wrong-password-1', '10.50.0.99', untrusted)).status).toBe(429);
    // Behind a trusted front (the tests' default, as on Cloudflare) each address counts on its own.
    expect((await attempt('guess-21', 'Wrong-password-1', '10.50.1.1')).status).toBe(401);
  });
});

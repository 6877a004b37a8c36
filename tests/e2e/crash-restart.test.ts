/**
 * Crashes, restarts and a port in the way — with real processes: `npm start` (scripts/start.ts) runs as a child
 * in its own process group; a CMS publish and a template switch are sent and the whole group (npm start,
 * wrangler, workerd) is killed with SIGKILL at a random moment while the request is in flight. After `npm
 * start` again — and nothing else, no hand repair — the CMS, the audit log, search and the served site agree.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templatesForKind } from '@ywtc/themes';
import { ROOT, freePort, storeHolders } from '../../scripts/lib/platform.ts';
import { writeCorpus } from '../../scripts/import/files/corpus-write.ts';
import { killGroup, runNpmStart, type NpmStart } from '../../scripts/lib/npm-start.ts';
import { buildSeed } from '../../scripts/seed/index.ts';
import { DEMO_ACCOUNTS } from '../../scripts/seed/accounts.ts';

const state = mkdtempSync(join(tmpdir(), 'ywtc-e2e-crash-'));
let port = 0;
let origin = '';
let running: NpmStart | null = null;
/** 兴宁区's 通知公告 (one review level): where the test's documents go. */
const notices = buildSeed({ siteIds: ['nnxn'], now: new Date() }).content.columns.find(
  (c) => c.siteId === 'nnxn' && c.kind === 'notice' && c.parentId === null,
)!;
/** The site's pages under the platform host's preview prefix (Node's fetch does not resolve *.localhost). */
const site = (path: string) => `${origin}/_site/www.nnxn.gov.cn${path}`;

async function start(): Promise<void> {
  running = runNpmStart({ port, state, args: ['--sites', 'nnxn', '--no-background'] });
  await running.ready;
}
async function crash(): Promise<void> {
  if (!running) return;
  killGroup(running.child);
  await running.exited;
  running = null;
}

type Session = { cookie: string; csrf: string };
async function login(username: string): Promise<Session> {
  const res = await fetch(`${origin}/api/cms/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_ACCOUNTS.find((a) => a.username === username)!.password }),
  });
  expect(res.status, username).toBe(200);
  return { cookie: /^([^;]+)/.exec(res.headers.get('set-cookie')!)![1]!, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}
const api = (s: Session, method: string, path: string, body?: unknown) =>
  fetch(`${origin}/api/cms${path}`, {
    method,
    headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** A notice written and approved, waiting to be published. */
async function approvedNotice(title: string): Promise<string> {
  const [editor, reviewer] = [await login('nnxn-editor'), await login('nnxn-reviewer')];
  const created = await api(editor, 'POST', '/documents', {
    siteId: 'nnxn',
    columnId: notices.id,
    draft: { kind: 'notice', title, bodyHtml: `<p>${title}的正文。</p>`, source: '南宁市兴宁区人民政府办公室' },
  });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  expect((await api(editor, 'POST', `/documents/${id}/submit`)).status).toBe(200);
  expect((await api(reviewer, 'POST', `/documents/${id}/approve`)).status).toBe(200);
  return id;
}

/** Sends a request and kills npm start's process group `delay` ms later, whatever the request is doing. */
async function sendAndKill(send: () => Promise<Response>, delay: number): Promise<void> {
  const answered = send().then(
    (r) => r.status,
    () => 'cut off',
  );
  await new Promise((r) => setTimeout(r, delay));
  await crash();
  console.log(`killed ${delay} ms after sending; the request: ${await answered}`);
}
const randomDelay = (min: number, max: number) => Math.round(min + Math.random() * (max - min));

/** What each part of the platform says about a document, after the restart. */
async function agreeOnDocument(id: string, title: string): Promise<'published' | 'approved'> {
  const admin = await login('admin');
  const { item, tags } = (await (await api(admin, 'GET', `/documents/${id}`)).json()) as { item: { state: string }; tags: unknown[] };
  const audit = (await (await api(admin, 'GET', `/audit?action=document.publish&q=${id}`)).json()) as { entries: { target: string }[] };
  const page = await fetch(site(`/${notices.slug}/${id}.html`));
  const list = await (await fetch(site(`/${notices.slug}/`))).text();
  const found = (await (await fetch(`${origin}/search.json?q=${encodeURIComponent(title)}`)).json()) as { hits: { id: string }[] };
  const views = {
    cms: item.state,
    audit: audit.entries.some((e) => e.target === id),
    page: page.status,
    list: list.includes(`${id}.html`),
    search: found.hits.some((h) => h.id === id),
    // 千人千网's interest tags are written in the publish's own transaction.
    tags: tags.length > 0,
  };
  const published = { cms: 'published', audit: true, page: 200, list: true, search: true, tags: true };
  const notYet = { cms: 'approved', audit: false, page: 404, list: false, search: false, tags: false };
  expect([published, notYet], JSON.stringify(views)).toContainEqual(views);
  return views.cms as 'published' | 'approved';
}

beforeAll(async () => {
  port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  await start();
}, 300_000);

afterAll(async () => {
  await crash();
  rmSync(state, { recursive: true, force: true });
});

describe('killed mid-request, started again', () => {
  it('a publish killed at a random moment: after npm start the CMS, the audit log, the site, search and the interest tags agree', async () => {
    const outcomes: string[] = [];
    for (let i = 0; i < 2; i++) {
      const title = `示例：关于冬季供暖安全的第${i + 1}号通知`;
      const id = await approvedNotice(title);
      const editor = await login('nnxn-editor');
      await sendAndKill(() => api(editor, 'POST', `/documents/${id}/publish`), randomDelay(20, 400));
      await start();
      outcomes.push(await agreeOnDocument(id, title));
    }
    console.log(`publish outcomes after restart: ${outcomes.join(', ')}`);
  });

  it('a template switch killed 300–900 ms in: after npm start the CMS, the audit log and the served site show the same template', async () => {
    const admin = await login('admin');
    const current = ((await (await api(admin, 'GET', '/sites')).json()) as { sites: { id: string; templateId: string }[] }).sites.find(
      (s) => s.id === 'nnxn',
    )!.templateId;
    const next = templatesForKind('county-portal').find((t) => t.id !== current && t.family === 'county-portal')!;
    await sendAndKill(() => api(admin, 'PUT', '/sites/nnxn/template', { templateId: next.id }), randomDelay(300, 900));
    await start();
    const again = await login('admin');
    const stored = ((await (await api(again, 'GET', '/sites')).json()) as { sites: { id: string; templateId: string }[] }).sites.find(
      (s) => s.id === 'nnxn',
    )!.templateId;
    const audit = (await (await api(again, 'GET', '/audit?action=site.template&site=nnxn')).json()) as { entries: { detail: string }[] };
    const home = await (await fetch(site('/'))).text();
    const served =
      /data-template="([^"]+)"/.exec(home)?.[1] ??
      `${/data-family="([^"]+)"/.exec(home)?.[1]}-${/data-header="([^"]+)"/.exec(home)?.[1]}-${/data-home="([^"]+)"/.exec(home)?.[1]}`;
    expect([current, next.id]).toContain(stored);
    expect(served).toBe(stored);
    expect(audit.entries.length > 0 ? audit.entries[0]!.detail.endsWith(stored) : stored === current).toBe(true);
    console.log(`template after restart: ${stored === next.id ? 'switched' : 'unchanged'}`);
  });

  it('npm run import on the state npm start serves writes through its Worker: no second workerd on the store', async () => {
    const { path, source, truth } = await writeCorpus(state, 'jsonl', 60, 3);
    const config = join(state, 'corpus-source.json');
    writeFileSync(config, JSON.stringify(source));
    const before = storeHolders(state);
    expect(before.length).toBeGreaterThan(0); // npm start's wrangler dev
    const child = spawn(process.execPath, [join(ROOT, 'scripts/import.ts'), '--state', state, '--source', config, '--file', path], { cwd: ROOT });
    let out = '';
    let during: string[] = [];
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      during = storeHolders(state);
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, out).toBe(0);
    expect(out).toContain('写入正在运行的 npm start 的 Worker');
    expect(during).toEqual(before);
    const result = /RESULT .* imported=(\d+) .* merged=(\d+) failed=(\d+)/.exec(out)!;
    expect(Number(result[1]) + Number(result[2])).toBe(truth.documents - 1);
  });

  it("killing npm start's process group stops its Worker too: nothing is left listening", async () => {
    const pid = running!.child.pid!;
    await crash();
    await new Promise((r) => setTimeout(r, 500));
    // Processes of that group still alive (a zombie waiting for its parent to read its exit is not running).
    const left = readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          const f = readFileSync(`/proc/${p}/stat`, 'utf8')
            .slice(readFileSync(`/proc/${p}/stat`, 'utf8').lastIndexOf(')') + 2)
            .split(' ');
          return f[0] !== 'Z' && Number(f[2]) === pid;
        } catch {
          return false;
        }
      });
    expect(left).toEqual([]);
    expect(
      await fetch(`${origin}/healthz`).then(
        () => 'answered',
        () => 'refused',
      ),
    ).toBe('refused');
  });

  it('refuses to start on a port someone else holds, and names the process', async () => {
    const squatter: Server = createServer((_, res) => res.end('not the platform'));
    await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', r));
    try {
      const attempt = runNpmStart({ port, state, args: ['--sites', 'nnxn', '--no-background'] });
      expect(await attempt.exited).toBe(1);
      expect(attempt.output()).toContain(`端口 ${port} 已被占用`);
      expect(attempt.output()).toContain(`进程 ${process.pid}`);
    } finally {
      await new Promise((r) => squatter.close(r));
    }
  });
});

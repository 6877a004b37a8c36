/**
 * `npm run bench:publish [-- --runs 30]`: time from sending the CMS publish call until the Worker serves the new
 * page, and from sending a withdrawal until the page, its column list, the RSS feed and search have all let it
 * go — at two cluster sizes (21 and 210 sites, 60 示例 news items per news column: about 2k and 20k pages).
 * Each size: a fresh local D1 + R2 on tmpfs, seeded and fully published as `npm start` does, then the demo
 * editor of 兴宁区 writes policies that the two demo reviewers approve; only the publish / withdraw calls and the
 * polling after them are timed. Through wrangler dev running both Workers, as in production: the page Worker
 * and the cards Worker behind its CARDS binding, so each publish also draws the document's share card (checked:
 * the served page points og:image at a PNG that is there). One line per size:
 *   RESULT pages=<n> publish_p50_ms=<x> publish_p95_ms=<y> withdraw_p50_ms=<z>
 */
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations, freePort, newIngestToken, openPlatform, startDevServer, stopProcessGroup, waitForHttp } from '../lib/platform.ts';
import { seed } from '../seed/index.ts';
import { buildRegistry, loadRegistrySource } from '../seed/registry.ts';
import { seedDemoAccounts, DEMO_ACCOUNTS } from '../seed/accounts.ts';
import { seedCheckTerms } from '../seed/check-terms.ts';
import { ensureRenderer, publishSites, workerTarget } from '../../sites/publisher/index.ts';
import { documentPath } from '@ywtc/cms-schema';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('runs', 30);
const NEWS = 60;
const SITE = 'nnxn';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number) => Math.round(x);

type Session = { cookie: string; csrf: string };

async function benchSize(siteIds: string[] | undefined, label: string): Promise<string> {
  const state = join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), `ywtc-bench-publish-${label}`);
  rmSync(state, { recursive: true, force: true });
  applyMigrations(state);
  const platform = await openPlatform(state);
  const seeded = await seed(platform.env.DB, { newsPerColumn: NEWS, force: true, ...(siteIds ? { siteIds } : {}) });
  await seedCheckTerms(platform.env.DB);
  await seedDemoAccounts(platform.env.DB);
  const column = await platform.env.DB.prepare("SELECT id, slug FROM columns WHERE site_id = ? AND kind = 'policy' ORDER BY sort_order LIMIT 1")
    .bind(SITE)
    .first<{ id: string; slug: string }>();
  const domain = (await platform.env.DB.prepare("SELECT json_extract(domains, '$[0]') AS d FROM sites WHERE id = ?").bind(SITE).first<{ d: string }>())!.d;
  await platform.dispose();
  if (!column) throw new Error(`site ${SITE} has no policy column`);

  const port = await freePort();
  const token = newIngestToken();
  const origin = `http://127.0.0.1:${port}`;
  const originTemplate = `http://{domain}.localhost:${port}`;
  const dev = startDevServer(port, 'pipe', state, token, { frozen: false, vars: { SITE_ORIGIN_TEMPLATE: originTemplate } });
  let log = '';
  dev.stderr?.on('data', (d) => {
    log += d;
  });
  try {
    await waitForHttp(`${origin}/healthz`, 120_000);
    const renderer = ensureRenderer();
    const rep = await publishSites(workerTarget(origin, token), { rendererHash: renderer.hash, originTemplate, force: true, cards: false });
    console.log(
      `[${label}] ${seeded.sites} sites, ${seeded.documents} documents; published ${rep.htmlPages} HTML pages (+${rep.pages - rep.htmlPages} feeds/assets) in ${(rep.totalMs / 1000).toFixed(1)} s`,
    );

    const login = async (username: string): Promise<Session> => {
      const password = DEMO_ACCOUNTS.find((a) => a.username === username)!.password;
      const res = await fetch(`${origin}/api/cms/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
      return { cookie: /^([^;]+)/.exec(res.headers.get('set-cookie')!)![1]!, csrf: (await res.json<{ csrfToken: string }>()).csrfToken };
    };
    const [editor, rv1, rv2] = [await login('nnxn-editor'), await login('nnxn-reviewer'), await login('nanning-reviewer')];
    const call = async (s: Session, path: string, body: unknown) => {
      const res = await fetch(`${origin}/api/cms${path}`, {
        method: 'POST',
        headers: { Cookie: s.cookie, 'X-CSRF-Token': s.csrf, 'Content-Type': 'application/json', Origin: origin },
        body: JSON.stringify(body),
      });
      const json = await res.json<Record<string, unknown> & { pages?: { sites: number; pending: number; ms: number } }>();
      if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const site = (path: string) => `${origin}/_site/${domain}${path}`;
    const get = async (url: string) => {
      const r = await fetch(url);
      return { status: r.status, text: await r.text() };
    };

    const publish: number[] = [];
    const withdraw: number[] = [];
    const apiPublish: number[] = [];
    const renderMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const title = `兴宁区关于优化营商环境的第${i + 1}项措施（性能测试）`;
      const doc = await call(editor, '/documents', {
        siteId: SITE,
        columnId: column.id,
        draft: {
          kind: 'policy',
          title,
          bodyHtml: `<p>为进一步优化营商环境，现就第${i + 1}项措施通知如下。</p>`,
          source: '南宁市兴宁区人民政府办公室',
          issuer: '南宁市兴宁区人民政府办公室',
          docNumber: `兴政规〔2026〕${i + 1}号`,
          indexNumber: `450102001/2026-${String(i + 1).padStart(5, '0')}`,
          writtenOn: '2026-11-20',
        },
      });
      const id = doc.id as string;
      await call(editor, `/documents/${id}/submit`, {});
      await call(rv1, `/documents/${id}/approve`, {});
      await call(rv2, `/documents/${id}/approve`, {});
      const pagePath = documentPath(column.slug, id);

      // Publish: from sending the call until the page is served with the new title.
      let t0 = performance.now();
      const answer = await call(editor, `/documents/${id}/publish`, {});
      apiPublish.push(performance.now() - t0);
      renderMs.push(answer.pages?.ms ?? NaN);
      for (;;) {
        const p = await get(site(pagePath));
        if (p.status === 200 && p.text.includes(title)) break;
      }
      publish.push(performance.now() - t0);
      // Not timed: the publish drew the share card, and nothing was left for the cron.
      if (answer.pages?.pending !== 0) throw new Error(`publish of ${id} left page updates pending: ${JSON.stringify(answer.pages)}`);
      const og = /<meta property="og:image" content="([^"]+)"/.exec((await get(site(pagePath))).text)?.[1];
      if (!og) throw new Error(`${pagePath} has no og:image: the share card was not drawn`);
      const card = await fetch(site(new URL(og).pathname));
      if (card.status !== 200 || card.headers.get('content-type') !== 'image/png')
        throw new Error(`${og}: ${card.status} ${card.headers.get('content-type') ?? '(no content type)'}`);
      await card.arrayBuffer();
      if (i === 0)
        for (const path of [`/${column.slug}/`, '/', '/rss.xml'])
          if (!(await get(site(path))).text.includes(title)) throw new Error(`${path} does not list the published document`);

      // Withdraw: until the page is gone and the list, the feed and search no longer have it.
      t0 = performance.now();
      await call(editor, `/documents/${id}/withdraw`, { reason: '性能测试结束' });
      for (;;) {
        const [p, list, rss, search] = await Promise.all([
          get(site(pagePath)),
          get(site(`/${column.slug}/`)),
          get(site('/rss.xml')),
          get(`${origin}/search.json?q=${encodeURIComponent(title.slice(0, 30))}&site=${SITE}`),
        ]);
        if (p.status === 404 && !list.text.includes(title) && !rss.text.includes(title) && !search.text.includes(id)) break;
      }
      withdraw.push(performance.now() - t0);
    }
    console.log(
      `[${label}] publish call alone p50 ${ms(pct(apiPublish, 50))} ms (of which page update inside the Worker p50 ${ms(pct(renderMs, 50))} ms, p95 ${ms(pct(renderMs, 95))} ms)`,
    );
    console.log(
      `[${label}] until served: publish p50 ${ms(pct(publish, 50))} / p95 ${ms(pct(publish, 95))} / max ${ms(Math.max(...publish))} ms; withdraw p50 ${ms(pct(withdraw, 50))} / p95 ${ms(pct(withdraw, 95))} ms (${RUNS} runs each)`,
    );
    return `RESULT pages=${rep.htmlPages} publish_p50_ms=${ms(pct(publish, 50))} publish_p95_ms=${ms(pct(publish, 95))} withdraw_p50_ms=${ms(pct(withdraw, 50))}`;
  } catch (e) {
    console.error(log.slice(-3000));
    throw e;
  } finally {
    stopProcessGroup(dev);
    rmSync(state, { recursive: true, force: true });
  }
}

// The small cluster: the first 21 sites of the registry (the province, 南宁 and its districts, 兴宁区 among them).
const registry = buildRegistry(loadRegistrySource());
const small = registry.slice(0, 21).map((s) => s.id);
if (!small.includes(SITE)) throw new Error(`${SITE} is not among the first 21 sites`);
const lines = [await benchSize(small, '2k'), await benchSize(undefined, '20k')];
console.log(lines.join('\n'));

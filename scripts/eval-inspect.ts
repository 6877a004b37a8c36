/**
 * `npm run eval:inspect`: does the inspector find what is wrong, and only that? A copy of a published cluster
 * (南宁市 and the 17 sites below it, seeded and published as `npm start` does, with the pre-publish word lists) is
 * inspected clean — its findings are the baseline, printed as the real ones — then defects of every kind the
 * inspector knows are planted (scripts/eval/inspect-plants.ts) together with input that must not stop a run (a
 * manifest pointing at missing bytes, an enormous page, a malformed page, a redirect loop, a link that never
 * answers), and a 季普查 runs again. A finding is `found` when it matches a plant (kind, site, page, target),
 * `false` when it is neither planted nor in the baseline. Prints per kind
 *   RESULT kind=<k> planted=<n> found=<f> false=<x> recall=<r> precision=<p>
 * and RESULT kind=all …; exits 1 when a goal (recall 100 %, precision ≥ 95 % for every kind) is missed.
 *
 * `--seed N` picks which sites, pages, words and titles receive the plants. The rules were developed against
 * seed 0 (plants in a fixed order); docs/benchmarks.md reports seeds never run before the rules were frozen.
 */
import { createServer, type Server } from 'node:http';
import { FINDING_KINDS, type FindingKind } from '@ywtc/cms-schema';
import { startLocalCluster } from './lib/local-cluster.ts';
import { openPlatform } from './lib/platform.ts';
import { startRun, workRun } from '../worker/src/inspect/run.ts';
import { networkChecks } from '../worker/src/inspect/network.ts';
import { wordHits } from '../worker/src/inspect/rules/words.ts';
import { titleMisspellings } from '../worker/src/inspect/rules/leader-titles.ts';
import { checkLists } from '../worker/src/cms/checks.ts';
import { storeStatuses } from '../worker/src/domains/status-store.ts';
import { ageDates, emptyList, intoBody, rewriteSite, sha, type Plant } from './eval/inspect-plants.ts';

const SITES = [
  'nanning',
  'nnxn',
  'qingxiu',
  'nnjn',
  'xxtq',
  'liangqing',
  'yongning',
  'wuming',
  'lax',
  'nnms',
  'shanglin',
  'binyang',
  'gxhx',
  'dw-nanning',
  'jw-nanning',
  'rd-nanning',
  'zx-nanning',
];
const seedArg = process.argv.indexOf('--seed');
const SEED = seedArg > 0 ? Number(process.argv[seedArg + 1]) : 0;
/** mulberry32: a small seeded generator, so a seed's plants are the same on every machine. */
let state = SEED >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const shuffle = <T>(xs: T[]): T[] => {
  if (SEED === 0) return xs;
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
};
const t0 = Date.now();
const log = (s: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0)} s] ${s}`);

/** External addresses a test can serve: a page that answers, one gone, a redirect loop, one that never answers. */
function stubServer(): Promise<{ server: Server; base: string }> {
  const server = createServer((req, res) => {
    if (req.url === '/ok') return res.writeHead(200, { 'Content-Type': 'text/html' }).end('<p>ok</p>');
    if (req.url === '/loop') return res.writeHead(302, { Location: '/loop2' }).end();
    if (req.url === '/loop2') return res.writeHead(302, { Location: '/loop' }).end();
    if (req.url === '/slow') return; // never answers: the checker's timeout ends it
    res.writeHead(404).end('gone');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as { port: number }).port}` })),
  );
}

log(`seeding and publishing 18 sites … (plants: seed ${SEED})`);
const cluster = await startLocalCluster({ sites: SITES, checkTerms: true });
const sites = cluster.sites;
cluster.stopServer(); // the inspector reads the store in-process from here on
const stub = await stubServer();
const platform = await openPlatform(cluster.state);
const env = { DB: platform.env.DB, PAGES: platform.env.PAGES };
let exit = 0;
try {
  const inspect = async (label: string) => {
    const t = Date.now();
    const { run } = await startRun(env.DB, { schedule: 'quarterly', trigger: 'cli' });
    const net = networkChecks(env, { external: true, onlyHosts: [new URL(stub.base).host] });
    const done = await workRun(env, run.id, { net });
    log(
      `${label}: ${done.run.sites} sites, ${done.run.pages} pages, ${done.run.findings} findings, ${done.run.skipped} skipped in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );
    const { results } = await env.DB.prepare('SELECT kind, site_id, url, target, fingerprint, message FROM inspection_findings WHERE run_id = ?')
      .bind(run.id)
      .all<{
        kind: FindingKind;
        site_id: string;
        url: string;
        target: string;
        fingerprint: string;
        message: string;
      }>();
    const skips = (
      await env.DB.prepare('SELECT site_id, url, reason FROM inspection_skips WHERE run_id = ?')
        .bind(run.id)
        .all<{ site_id: string; url: string; reason: string }>()
    ).results;
    return { findings: results, skips };
  };

  const baseline = await inspect('clean copy');
  const known = new Set(baseline.findings.map((f) => f.fingerprint));
  console.log(`Findings on the clean copy (real ones — the seeded content as it is): ${baseline.findings.length}`);
  const byKind = new Map<string, string[]>();
  for (const f of baseline.findings) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), `${f.site_id}${f.url} ${f.message}`]);
  for (const [k, list] of byKind) console.log(`  ${k} ×${list.length}: ${list.slice(0, 3).join(' | ')}${list.length > 3 ? ' …' : ''}`);

  // ---- planting ----
  const plants: Plant[] = [];
  const lists = await checkLists(env.DB);
  const portals = shuffle(sites.filter((s) => s.kind === 'county-portal').map((s) => s.id));
  const others = shuffle(sites.filter((s) => s.kind !== 'county-portal').map((s) => s.id));
  let turn = 0;
  const nextPortal = () => portals[turn++ % portals.length]!;
  const docs = async (siteId: string, kind?: string) =>
    (
      await env.DB.prepare(
        `SELECT d.id, c.slug, d.kind, d.owner_site_id, (SELECT count(*) FROM placements q WHERE q.document_id = d.id) AS copies
           FROM placements p JOIN documents d ON d.id = p.document_id JOIN columns c ON c.id = p.column_id
          WHERE p.site_id = ? ${kind ? 'AND d.kind = ?' : ''} ORDER BY d.id`,
      )
        .bind(...(kind ? [siteId, kind] : [siteId]))
        .all<{ id: string; slug: string; kind: string; owner_site_id: string; copies: number }>()
    ).results;
  const edits = new Map<string, Record<string, ((h: string) => string)[]>>();
  const edit = (siteId: string, path: string, f: (h: string) => string) => {
    const e = edits.get(siteId) ?? {};
    (e[path] ??= []).push(f);
    edits.set(siteId, e);
  };
  const raws = new Map<string, Record<string, { bytes?: Uint8Array; entry?: [string, number, number, string, string, 'gzip' | 'identity'] }>>();
  /** A document page of the site (the n-th, so plants of one site go to different pages). */
  const docPage = async (siteId: string, n: number) => {
    const own = shuffle((await docs(siteId)).filter((d) => d.kind !== 'policy'));
    const d = own[n % own.length]!;
    return `/${d.slug}/${d.id}.html`;
  };
  /** Text whose only finding is the one wanted (a planted word must not also be another list's word). */
  const only = (text: string, kind: FindingKind) => {
    const hits = wordHits(text, lists);
    return hits.length === 1 && hits[0]!.kind === kind;
  };
  const now = new Date();

  for (let i = 0; i < 2; i++) {
    const s = nextPortal();
    edit(s, '/index.html', ageDates(30, now));
    plants.push({ kind: 'home-stale', siteId: s, url: '/', what: 'home page dates 30 days old' });
  }
  for (let i = 0; i < 3; i++) {
    const s = nextPortal();
    edit(s, '/yw/index.html', ageDates(40, now));
    plants.push({ kind: 'column-stale', siteId: s, url: '/yw/', target: `${s}/yw`, what: '要闻动态 list 40 days old' });
  }
  for (let i = 0; i < 3; i++) {
    const s = nextPortal();
    edit(s, '/tzgg/index.html', emptyList);
    plants.push({ kind: 'column-empty', siteId: s, url: '/tzgg/', target: `${s}/tzgg`, what: '通知公告 list emptied' });
  }
  for (let i = 0; i < 2; i++) {
    const s = nextPortal();
    edit(s, '/zwfw/index.html', emptyList);
    plants.push({ kind: 'service-missing', siteId: s, url: '/', what: '办事服务 list emptied' });
    plants.push({ kind: 'column-empty', siteId: s, url: '/zwfw/', target: `${s}/zwfw`, what: '办事服务 list emptied (also empty)' });
  }
  const banned = [...lists.words.values()].flat().filter((t) => t.list === 'banned' && only(`。${t.term}。`, 'banned-term'));
  const typos = [...lists.words.values()].flat().filter((t) => t.list === 'typo' && t.term.length >= 3 && only(`。${t.term}。`, 'typo'));
  const titles = titleMisspellings().filter((m) => only(`。${m.wrong}。`, 'severe-typo'));
  const wordPlants: [FindingKind, string[]][] = [
    ['banned-term', banned.slice(3, 5).map((t) => t.term)],
    [
      'typo',
      typos
        .filter((_, i) => i % 997 === 5)
        .slice(0, 3)
        .map((t) => t.term),
    ],
    [
      'severe-typo',
      titles
        .filter((_, i) => i % 7 === 1)
        .slice(0, 3)
        .map((m) => m.wrong),
    ],
  ];
  for (const [kind, terms] of wordPlants)
    for (const [i, term] of terms.entries()) {
      const s = nextPortal();
      const page = await docPage(s, 1 + i);
      edit(s, page, intoBody(`<p>。${term}。</p>`));
      plants.push({ kind, siteId: s, url: page, target: term, what: `“${term}” in the body` });
    }
  for (let i = 0; i < 3; i++) {
    const s = nextPortal();
    const page = await docPage(s, 2);
    const href = `no-such-page-${i}.html`;
    edit(s, page, intoBody(`<p><a href="${href}">相关链接</a></p>`));
    plants.push({ kind: 'broken-link', siteId: s, url: page, target: page.replace(/[^/]+$/, href), what: 'link to a page that does not exist' });
  }
  for (let i = 0; i < 2; i++) {
    const s = nextPortal();
    const page = await docPage(s, 3);
    const key = `/attachments/${sha(`plant-${i}`)}.pdf`;
    edit(s, page, intoBody(`<p><a href="${key}">附件：申请表.pdf</a></p>`));
    plants.push({ kind: 'broken-attachment', siteId: s, url: page, target: key, what: 'attachment not in R2' });
  }
  const illegal = shuffle([...lists.domains].sort().slice(100, 200)).slice(0, 2);
  for (const [i, host] of illegal.entries()) {
    const s = nextPortal();
    const page = await docPage(s, 4 + i);
    edit(s, page, intoBody(`<p><a href="http://${host}/">更多信息</a></p>`));
    plants.push({ kind: 'illegal-domain-link', siteId: s, url: page, target: `http://${host}/`, what: `link to ${host}` });
  }
  for (const [i, p] of ['/gone', '/loop', '/slow'].entries()) {
    const s = nextPortal();
    const page = await docPage(s, 5 + i);
    edit(s, page, intoBody(`<p><a href="${stub.base}${p}">外部链接</a> <a href="${stub.base}/ok">正常的外部链接</a></p>`));
    plants.push({ kind: 'external-link-broken', siteId: s, url: page, target: `${stub.base}${p}`, what: `external ${p}` });
  }
  for (let i = 0; i < 3; i++) {
    const s = nextPortal();
    const page = await docPage(s, 6 + i);
    edit(s, page, (h) => h.replace(/<meta name="ArticleTitle"[^>]*>/, ''));
    plants.push({ kind: 'meta-missing', siteId: s, url: page, target: 'ArticleTitle', what: 'no ArticleTitle meta' });
  }
  for (let i = 0; i < 2; i++) {
    const s = nextPortal();
    edit(s, '/index.html', (h) => h.replace(/<li data-footer="sponsor">[^<]*<\/li>/, ''));
    plants.push({ kind: 'footer-missing', siteId: s, url: '/', target: 'sponsor', what: 'footer without 主办单位' });
  }
  for (let i = 0; i < 2; i++) {
    const s = nextPortal();
    edit(s, '/index.html', (h) => h.replace(/网站标识码：(\d{9})\d/, (_, head: string) => `网站标识码：${head}9`));
    plants.push({ kind: 'idcode-missing', siteId: s, url: '/', target: 'idcode', what: 'wrong 网站标识码 in the footer' });
  }
  for (let i = 0; i < 2; i++) {
    const s = nextPortal();
    edit(s, '/index.html', (h) => h.replace(/<a class="zhaocuo"[^>]*>[^<]*<\/a>/, ''));
    plants.push({ kind: 'zhaocuo-missing', siteId: s, url: '/', target: 'zhaocuo', what: 'no 找错 entry' });
  }
  for (let i = 0; i < 2; i++) {
    const s = nextPortal();
    const page = await docPage(s, 7 + i);
    edit(s, page, (h) => h.replace(/<meta name="PubDate" content="(\d{4})-(\d{2})-(\d{2})/, '<meta name="PubDate" content="$1/$2/$3'));
    plants.push({ kind: 'time-format', siteId: s, url: page, target: 'PubDate', what: 'PubDate as YYYY/MM/DD' });
  }
  for (let i = 0; i < 3; i++) {
    const s = nextPortal();
    const page = await docPage(s, 8 + i);
    const src = `../_astro/plant-${i}.png`;
    edit(s, page, intoBody(`<p><img src="${src}"></p>`));
    plants.push({ kind: 'image-alt', siteId: s, url: page, target: src, what: 'image without alt' });
  }
  // Site not answering: its home page's entry points at bytes that are not there.
  for (const s of [others[0]!]) {
    raws.set(s, { ...(raws.get(s) ?? {}), '/index.html': { entry: ['0000000000-gone', 0, 4000, 'f'.repeat(32), 'text/html; charset=utf-8', 'gzip'] } });
    plants.push({ kind: 'site-unreachable', siteId: s, url: '/', target: 'home', what: 'home page bytes missing' });
  }
  // Input that must not stop the run: missing bytes and an enormous page (skips), a malformed page (parsed).
  const skipSite = others[1]!;
  raws.set(skipSite, {
    '/plant/missing.html': { entry: ['0000000000-gone', 0, 1000, 'e'.repeat(32), 'text/html; charset=utf-8', 'identity'] },
    '/plant/huge.html': { bytes: new TextEncoder().encode(`<html><body><main>${'<p>很长的页面。</p>'.repeat(150_000)}</main></body></html>`) },
    '/plant/malformed.html': {
      bytes: new TextEncoder().encode('<html><head><meta name="SiteName" content="x"<body><main><p>未闭合<div><a href="><table><tr><td>\u0000\uFFFD'),
    },
  });
  const expectedSkips = [`${skipSite}/plant/missing.html`, `${skipSite}/plant/huge.html`];

  for (const [siteId, pages] of edits)
    await rewriteSite(
      env.PAGES,
      siteId,
      Object.fromEntries(Object.entries(pages).map(([path, fs]) => [path, (h: string) => fs.reduce((x, f) => f(x), h)])),
      raws.get(siteId) ?? {},
    );
  for (const [siteId, raw] of raws) if (!edits.has(siteId)) await rewriteSite(env.PAGES, siteId, {}, raw);

  // Content-store plants.
  // The unit's own 政策文件 without its 解读: one of its notices re-labelled a policy it issued.
  for (let i = 0; i < 2; i++) {
    const s = nextPortal();
    const d = (await docs(s)).filter((x) => x.copies === 1 && x.kind !== 'policy')[3]!;
    const unit = (await env.DB.prepare('SELECT name FROM sites WHERE id = ?').bind(s).first<{ name: string }>())!.name.replace(/(门户)?网站$/, '');
    await env.DB.prepare("UPDATE documents SET kind = 'policy', issuer = ? WHERE id = ?").bind(`${unit}办公室`, d.id).run();
    await env.DB.prepare('DELETE FROM interpretation_links WHERE policy_id = ?').bind(d.id).run();
    plants.push({ kind: 'policy-no-interpretation', siteId: s, url: `/${d.slug}/${d.id}.html`, target: d.id, what: 'own policy without 解读' });
  }
  for (let i = 0; i < 2; i++) {
    const s = nextPortal();
    const d = (await docs(s)).find((x) => x.copies === 1 && x.kind !== 'policy')!;
    await env.DB.prepare("UPDATE documents SET published_at = strftime('%Y-%m-%dT%H:%M:%fZ', published_at, '-400 days') WHERE id = ?").bind(d.id).run();
    plants.push({ kind: 'backdated', siteId: s, url: `/${d.slug}/${d.id}.html`, target: d.id, what: 'publish time moved 400 days back' });
  }
  for (let i = 0; i < 2; i++) {
    const s = nextPortal();
    const id = `plant-consult-${i}`;
    await env.DB.prepare('INSERT INTO consult_messages (id, site_id, code_hash, title, question, received_at) VALUES (?, ?, ?, ?, ?, ?)')
      .bind(
        id,
        s,
        sha(id),
        '示例：咨询低保办理进度',
        '示例：我在三个多月前提交了低保申请，想了解目前的办理进度。',
        new Date(now.getTime() - 100 * 86_400_000).toISOString(),
      )
      .run();
    plants.push({ kind: 'consult-overdue', siteId: s, url: '/hdjl/ly/', target: id, what: '留言 unanswered for 100 days' });
  }
  // A week of probe history: one site failing 10 % of the time, one answering slowly.
  const [failing, slow] = [nextPortal(), nextPortal()];
  for (let h = 0; h < 7 * 24; h += 4) {
    const at = new Date(now.getTime() - (h + 1) * 3_600_000).toISOString();
    await env.DB.batch([
      env.DB.prepare('INSERT INTO inspection_probes (site_id, at, ok, status, ms) VALUES (?, ?, ?, ?, ?)').bind(
        failing,
        at,
        h % 40 === 0 ? 0 : 1,
        h % 40 === 0 ? 503 : 200,
        180,
      ),
      env.DB.prepare('INSERT INTO inspection_probes (site_id, at, ok, status, ms) VALUES (?, ?, 1, 200, ?)').bind(slow, at, 4_500 + h),
    ]);
  }
  plants.push({ kind: 'site-unreachable', siteId: failing, url: '/', target: 'availability', what: 'probes failing 10 % of a week' });
  plants.push({ kind: 'slow-page', siteId: slow, url: '/', target: 'home-median', what: 'probes answering in 4.5 s' });
  // 域名管理: an expired certificate on one site's primary domain.
  const certSite = nextPortal();
  const host = (await env.DB.prepare("SELECT json_extract(domains, '$[0]') AS h FROM sites WHERE id = ?").bind(certSite).first<{ h: string }>())!.h;
  await storeStatuses(env.DB, [
    {
      host,
      checkedAt: now.toISOString(),
      dnsStatus: 'NOERROR',
      dnsAnswers: [{ type: 'A', ttl: 300, data: '203.0.113.10' }],
      dnsError: null,
      certNotAfter: new Date(now.getTime() - 3 * 86_400_000).toISOString(),
      certIssuer: 'CN=示例 CA',
      certSource: 'ct',
      certError: null,
    },
  ]);
  plants.push({ kind: 'domain-rule', siteId: certSite, url: '/', target: `${host}|cert-expired`, what: 'certificate expired 3 days ago' });
  log(`planted ${plants.length} defects on ${new Set(plants.map((p) => p.siteId)).size} sites`);

  // ---- the 普查 and the comparison ----
  const after = await inspect('planted copy');
  const matched = new Set<Plant>();
  const falses: typeof after.findings = [];
  for (const f of after.findings) {
    const p = plants.find((x) => x.kind === f.kind && x.siteId === f.site_id && x.url === f.url && (x.target === undefined || x.target === f.target));
    if (p) matched.add(p);
    else if (!known.has(f.fingerprint)) falses.push(f);
  }
  const kinds = Object.keys(FINDING_KINDS) as FindingKind[];
  let all = { planted: 0, found: 0, false: 0 };
  const fmt = (x: number) => x.toFixed(3);
  for (const k of kinds) {
    const planted = plants.filter((p) => p.kind === k);
    const found = planted.filter((p) => matched.has(p)).length;
    const fx = falses.filter((f) => f.kind === k).length;
    all = { planted: all.planted + planted.length, found: all.found + found, false: all.false + fx };
    const recall = planted.length ? found / planted.length : 1;
    const precision = found + fx ? found / (found + fx) : 1;
    if (planted.length === 0) console.log(`  (no plant of kind ${k})`);
    if (recall < 1 || precision < 0.95) exit = 1;
    console.log(`RESULT kind=${k} planted=${planted.length} found=${found} false=${fx} recall=${fmt(recall)} precision=${fmt(precision)}`);
    for (const p of planted.filter((x) => !matched.has(x))) console.log(`    missed: ${p.siteId}${p.url} ${p.what}`);
    for (const f of falses.filter((x) => x.kind === k).slice(0, 5)) console.log(`    false: ${f.site_id}${f.url} ${f.target} — ${f.message}`);
  }
  const skipped = new Set(after.skips.map((s) => `${s.site_id}${s.url}`));
  const skipFound = expectedSkips.filter((s) => skipped.has(s)).length;
  console.log(`RESULT kind=skip planted=${expectedSkips.length} found=${skipFound} (pages the run could not judge, logged; the run finished)`);
  if (skipFound < expectedSkips.length) exit = 1;
  console.log(
    `RESULT kind=all planted=${all.planted} found=${all.found} false=${all.false} recall=${fmt(all.found / all.planted)} precision=${fmt(all.found / Math.max(1, all.found + all.false))}`,
  );
} catch (e) {
  console.error(e);
  exit = 1;
} finally {
  await platform.dispose();
  stub.server.close();
  cluster.stop();
}
process.exit(exit);

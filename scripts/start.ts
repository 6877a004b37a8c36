/**
 * `npm start`: the whole cluster on this machine with local embedded defaults —
 * migrate D1 → seed the content store → build the renderer → start the Worker (wrangler dev), which bundles it → publish every
 * site to R2 through the Worker's publishing API.
 * Each step is skipped when what it would produce is already there, so a second start is up in seconds.
 *   npm start -- --force      rebuild and republish everything
 *   PORT=8788 npm start       serve on another port
 */
import { applyMigrations, newIngestToken, openPlatform, startDevServer, stopProcessGroup, waitForHttp } from './lib/platform.ts';
import { seed } from './seed/index.ts';
import { seedDemoAccounts } from './seed/accounts.ts';
import { seedCheckTerms } from './seed/check-terms.ts';
import { takeTemplateShots } from './lib/template-shots.ts';
import { D1Backend, reindexAll } from '@ywtc/search';
import { ensureRenderer, publishSites, workerTarget } from '../sites/publisher/index.ts';

const port = Number(process.env.PORT ?? 8787);
const force = process.argv.includes('--force');
const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(1) + ' 秒';
const step = (n: number, text: string) => console.log(`[${n}/5] ${text}`);

step(1, '应用 D1 数据库迁移（本地）…');
applyMigrations();

const platform = await openPlatform();
try {
  step(2, '写入内容库：站点登记、栏目和文档…');
  const s = await seed(platform.env.DB, { force });
  console.log(s.skipped ? `      内容库已是最新（${s.sites} 个网站，${s.documents} 篇文档），跳过` : `      已写入 ${s.sites} 个网站、${s.columns} 个栏目、${s.documents} 篇文档、${s.placements} 条栏目发布`);
  const lists = await seedCheckTerms(platform.env.DB);
  if (lists) console.log(`      已载入发布前检查词表 ${lists} 条`);
  const demo = await seedDemoAccounts(platform.env.DB);
  if (demo) console.log(`      已添加 ${demo} 个示例账号（见 README）`);
  // A fresh seed writes the search index with the content. An index a migration emptied (or an interrupted
  // reindex left short) is rebuilt here, only what differs.
  const n = await platform.env.DB.prepare('SELECT (SELECT count(*) FROM search_docs) AS indexed, (SELECT count(DISTINCT document_id) FROM placements) AS placed').first<{ indexed: number; placed: number }>();
  if (n && n.indexed !== n.placed) {
    console.log(`      搜索索引 ${n.indexed} 篇，内容库 ${n.placed} 篇：重建索引…`);
    const r = await reindexAll(platform.env.DB, new D1Backend(platform.env.DB), 200);
    console.log(`      已索引 ${r.indexed} 篇，移除 ${r.removed} 篇`);
  }
} finally {
  await platform.dispose();
}

// The renderer is built before the Worker starts: the Worker bundles it to re-render pages when editors
// publish (worker/src/render/).
step(3, '准备渲染器（Astro）…');
const r = ensureRenderer((l) => console.log('      ' + l));
console.log(r.built ? `      已构建（${(r.ms / 1000).toFixed(1)} 秒）` : '      渲染器已是最新，跳过');

// The Worker starts before publishing: the publisher reads D1 and writes R2 through its publishing API,
// which runs a build several times faster than going through wrangler's proxy.
step(4, `启动边缘 Worker（wrangler dev，127.0.0.1:${port}）…`);
const token = newIngestToken();
const originTemplate = `http://{domain}.localhost:${port}`;
const dev = startDevServer(port, 'pipe', undefined, token, { vars: { SITE_ORIGIN_TEMPLATE: originTemplate } });
let devLog = '';
dev.stdout?.on('data', (d) => { devLog += d; });
dev.stderr?.on('data', (d) => { devLog += d; });
const stop = () => { stopProcessGroup(dev); process.exit(0); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
dev.on('exit', (code) => { console.error(`wrangler dev 已退出（${code}）\n${devLog.slice(-4000)}`); process.exit(code ?? 1); });
const origin = `http://127.0.0.1:${port}`;
try {
  await waitForHttp(`${origin}/healthz`, 120_000);

  step(5, '渲染并发布全部网站到 R2…');
  const rep = await publishSites(workerTarget(origin, token), {
    rendererHash: r.hash,
    originTemplate,
    force,
    // Pages first, share cards after (below, in the background): thousands of cards at ≈ 36 ms each would
    // keep the cluster from serving for minutes.
    cards: false,
    log: (l) => console.log('    ' + l),
  });
  const built = rep.sites.filter((x) => !x.skipped).length;
  console.log(built === 0 ? `      ${rep.sites.length} 个网站均已是最新，跳过` : `      已发布 ${built} 个网站：${rep.htmlPages} 个页面（${rep.changed} 个文件有变化），用时 ${(rep.totalMs / 1000).toFixed(1)} 秒`);
} catch (e) {
  console.error(e instanceof Error ? e.stack : String(e), devLog.slice(-4000));
  stopProcessGroup(dev);
  process.exit(1);
}
console.log(`
集群已启动（用时 ${secs()}）。请在浏览器中打开：
  全部网站列表     http://127.0.0.1:${port}/
  自治区政府门户   http://www.gxzf.gov.cn.localhost:${port}/
  南宁市政府门户   http://www.nanning.gov.cn.localhost:${port}/
  路径预览方式     http://127.0.0.1:${port}/_site/www.gxzf.gov.cn/
  一网通查         http://127.0.0.1:${port}/search?q=${encodeURIComponent('公积金')}
  模板库           http://127.0.0.1:${port}/_templates   全部 240 个网站模板（缩略图在后台生成）
  内容管理（CMS）  http://127.0.0.1:${port}/admin   示例账号见 README，例如编辑 nnxn-editor / Demo-editor-2026
  搜索管理         http://127.0.0.1:${port}/admin/search   用户名 admin，密码（本次运行有效）${token}
  健康检查         http://127.0.0.1:${port}/healthz
按 Ctrl+C 停止。`);
dev.stdout?.removeAllListeners('data');
dev.stdout?.on('data', (d) => process.stdout.write(d));
dev.stderr?.on('data', (d) => process.stderr.write(d));

// While the cluster already serves: the 模板库 thumbnails (Chromium), then every document's share card and the
// og:image tags that point at it (a republish with cards). A later start redoes only what a change made stale.
(async () => {
  try {
    const shots = await takeTemplateShots(origin, token, (l) => console.log('      ' + l));
    if (shots.taken) console.log(`模板库缩略图已生成 ${shots.taken} 个（${(shots.ms / 1000).toFixed(0)} 秒）：http://127.0.0.1:${port}/_templates`);
  } catch (e) {
    console.log(`模板库缩略图未生成：${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    const cards = await publishSites(workerTarget(origin, token), { rendererHash: r.hash, originTemplate, cards: true });
    const built = cards.sites.filter((x) => !x.skipped).length;
    if (built) console.log(`分享卡片已生成：${built} 个网站重新发布（${(cards.totalMs / 1000).toFixed(0)} 秒），文档页已带 og:image`);
  } catch (e) {
    console.log(`分享卡片未全部生成（npm run publish 可补齐）：${e instanceof Error ? e.message : String(e)}`);
  }
})();

/**
 * `npm start`: the whole cluster on this machine with local embedded defaults —
 * migrate D1 → seed the content store → build the renderer → start the Worker (wrangler dev), which bundles it →
 * publish every site to R2 through the Worker's publishing API → finish whatever a change left owed.
 * Each step is skipped when what it would produce is already there, so a second start is up in seconds.
 *   npm start -- --force            rebuild and republish everything
 *   npm start -- --sites nnxn,rd-nanning   only these sites (and the sites above them): a small cluster
 *   npm start -- --no-background    no 模板库 thumbnails and share cards after start-up
 *   PORT=8788 npm start             serve on another port (YWTC_STATE=<dir> keeps the state elsewhere)
 *
 * The Worker stays in this process's group: Ctrl+C, or a signal to the group, stops it too. A port already
 * taken (an earlier run's Worker, say) is named with its process, and nothing is started. `wrangler dev` fires
 * no Cron Trigger, so the trigger's work (release what is due, the search and render queues) runs at start-up
 * and then every minute through the publishing API.
 */
import { STATE_DIR, applyMigrations, newIngestToken, openPlatform, searchVarsFromEnv, startDevServer, stopProcessGroup, waitForHttp } from './lib/platform.ts';
import { announceWorker } from './lib/running-worker.ts';
import { portInUse, portOwners } from './lib/port-owner.ts';
import { seed } from './seed/index.ts';
import { seedDemoAccounts } from './seed/accounts.ts';
import { seedCheckTerms } from './seed/check-terms.ts';
import { takeTemplateShots } from './lib/template-shots.ts';
import { configuredBackend, reindexAll } from '@ywtc/search';
import { ensureRenderer, publishSites, workerTarget } from '../sites/publisher/index.ts';

const args = process.argv.slice(2);
const port = Number(process.env.PORT ?? 8787);
const force = args.includes('--force');
const background = !args.includes('--no-background');
const sitesArg = args.find((a, i) => args[i - 1] === '--sites') ?? args.find((a) => a.startsWith('--sites='))?.slice('--sites='.length);
const siteIds = sitesArg
  ? sitesArg
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
  : undefined;
const t0 = Date.now();
const secs = () => ((Date.now() - t0) / 1000).toFixed(1) + ' 秒';
const step = (n: number, text: string) => console.log(`[${n}/6] ${text}`);

// Before anything is written: a server already on the port would answer our requests with the wrong token.
if (await portInUse(port)) {
  const owners = portOwners(port);
  console.error(`端口 ${port} 已被占用，集群未启动。${owners.length ? '占用它的进程：' : ''}`);
  for (const o of owners) console.error(`  进程 ${o.pid}（进程组 ${o.pgid}）：${o.command}`);
  console.error(
    owners.some((o) => /wrangler|workerd/.test(o.command))
      ? `这很可能是上一次 npm start 留下的 Worker。请先停止它：kill -- -${owners[0]!.pgid}，或换一个端口：PORT=${port + 1} npm start`
      : `请先停止该进程，或换一个端口：PORT=${port + 1} npm start`,
  );
  process.exit(1);
}

step(1, '应用 D1 数据库迁移（本地）…');
applyMigrations();

const platform = await openPlatform();
try {
  step(2, '写入内容库：站点登记、栏目和文档…');
  // The search backend the Worker will use (MEILISEARCH_HOST … in this environment, else the D1 index).
  const index = configuredBackend(platform.env.DB, process.env);
  const s = await seed(platform.env.DB, { force, index, ...(siteIds ? { siteIds } : {}) });
  console.log(
    s.skipped
      ? `      内容库已是最新（${s.sites} 个网站，${s.documents} 篇文档），跳过`
      : `      已写入 ${s.sites} 个网站、${s.columns} 个栏目、${s.documents} 篇文档、${s.placements} 条栏目发布`,
  );
  const lists = await seedCheckTerms(platform.env.DB);
  if (lists) console.log(`      已载入发布前检查词表 ${lists} 条`);
  const demo = await seedDemoAccounts(platform.env.DB);
  if (demo) console.log(`      已添加 ${demo} 个示例账号（见 README）`);
  // A fresh seed writes the search index with the content. An index a migration emptied (or an interrupted
  // reindex left short) is rebuilt here, only what differs.
  const n = await platform.env.DB.prepare(
    // Placed documents and the reference corpus (indexed without a placement).
    'SELECT (SELECT count(*) FROM search_docs) AS indexed, (SELECT count(DISTINCT document_id) FROM placements) + (SELECT count(*) FROM reference_documents) AS placed',
  ).first<{ indexed: number; placed: number }>();
  if (n && n.indexed !== n.placed) {
    console.log(`      搜索索引 ${n.indexed} 篇，内容库 ${n.placed} 篇：重建索引…`);
    const r = await reindexAll(platform.env.DB, index, 200);
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
const dev = startDevServer(port, 'pipe', undefined, token, { detached: false, vars: { SITE_ORIGIN_TEMPLATE: originTemplate, ...searchVarsFromEnv() } });
let devLog = '';
dev.stdout?.on('data', (d) => {
  devLog += d;
});
dev.stderr?.on('data', (d) => {
  devLog += d;
});
/** Set once the Worker answers: `npm run import` on this state then writes through it (scripts/lib/running-worker.ts). */
let unannounce = () => {};
const stop = () => {
  unannounce();
  stopProcessGroup(dev);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop);
process.on('exit', () => {
  unannounce();
  stopProcessGroup(dev);
});
dev.on('exit', (code) => {
  console.error(`wrangler dev 已退出（${code ?? '信号'}）\n${devLog.slice(-4000)}`);
  process.exit(code ?? 1);
});
const origin = `http://127.0.0.1:${port}`;

/** The Cron Trigger's work, through the publishing API (worker/src/platform/scheduled.ts). */
async function scheduled(): Promise<{ released: string[]; search: { tasks: number; failed: string | null }; pages: { sites: number; failed: unknown[] } }> {
  const res = await fetch(`${origin}/_ingest/scheduled`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`POST /_ingest/scheduled: HTTP ${res.status} ${await res.text()}`);
  return res.json<Awaited<ReturnType<typeof scheduled>>>();
}

try {
  await waitForHttp(`${origin}/healthz`, 120_000);
  unannounce = announceWorker(STATE_DIR, origin, token);

  step(5, '渲染并发布网站到 R2…');
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
  console.log(
    built === 0
      ? `      ${rep.sites.length} 个网站均已是最新，跳过`
      : `      已发布 ${built} 个网站：${rep.htmlPages} 个页面（${rep.changed} 个文件有变化），用时 ${(rep.totalMs / 1000).toFixed(1)} 秒`,
  );

  step(6, '完成上次运行留下的工作（定时发布、搜索索引、页面更新）…');
  const owed = await scheduled();
  console.log(
    `      定时发布 ${owed.released.length} 篇，搜索索引更新 ${owed.search.tasks} 项，页面更新 ${owed.pages.sites} 个网站${owed.search.failed || owed.pages.failed.length ? '（有未完成的项，每分钟重试）' : ''}`,
  );
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
  本站搜索         http://www.nnxn.gov.cn.localhost:${port}/search?q=${encodeURIComponent('养老保险')}   县级网站的搜索：网站自己的模板，本地文件在前、外省参考在后，搜不到时给出更宽的搜法、12345 和留言咨询
  模板库           http://127.0.0.1:${port}/_templates   全部 240 个网站模板${background ? '（缩略图在后台生成）' : ''}
  内容管理（CMS）  http://127.0.0.1:${port}/admin   示例账号见 README，例如编辑 nnxn-editor / Demo-editor-2026
  政策问答         http://127.0.0.1:${port}/admin/qa   问答条目、审核和市民未得到答复的问题（编辑、审核员）
  搜索管理         http://127.0.0.1:${port}/admin/search   搜索统计、推荐结果和同义词（平台管理员 admin / Demo-admin-2026）
  数据开放门户     http://127.0.0.1:${port}/open   开放目录、单位注册、申请和密钥（审批：CMS“数据开放” /admin/open，如 nanning-admin）
  数据接口         http://127.0.0.1:${port}/open/v1/interfaces   接口规范 /open/docs，OpenAPI /open/openapi.json，接口调试 /open/docs/api
  定制我的网站     http://www.gxzf.gov.cn.localhost:${port}/_me/   千人千网：选择关注领域、常用服务和所在地区，首页和文章页出现“为您推荐”“我的常用服务”
  热点信息         http://www.gxzf.gov.cn.localhost:${port}/hot/   每个网站的热点（全区：http://127.0.0.1:${port}/hot/）；编辑置顶/屏蔽：/admin/hot，标签待确认：/admin/tags
  办事服务         http://www.gxls.gov.cn.localhost:${port}/zwfw/   办事指南（灵山县的真实指南；各门户的示例指南）
  政策文件库       http://www.gxzf.gov.cn.localhost:${port}/zcwjk/   按发文机关、年份、主题分类和有效性筛选，每页 20 件（无需 JavaScript）
  留言咨询         http://www.nnxn.gov.cn.localhost:${port}/hdjl/ly/   每个网站“互动交流”的留言表单，凭查询码在 /hdjl/cx/ 查答复；编辑办理：/admin/consult（如 nnxn-editor）
  网站检查         http://127.0.0.1:${port}/admin/inspect   内容监管：周巡检、月监测、季普查的问题整改（本单位及下级，如 nnxn-admin / Demo-nnxnadmin-2026），检查报告 /admin/inspect/runs（可打印、导出 CSV）；首次季普查在后台进行，命令行 npm run inspect
  域名管理         http://127.0.0.1:${port}/admin/domains   域名规范清查、解析和证书到期预警、域名变更申请（上级单位审批，如 nanning-admin）
  决策辅助         http://127.0.0.1:${port}/admin/dashboard   领导决策辅助：检查得分、不合格网站、逾期整改、信息发布、浏览、搜索、留言和数据开放（本单位及下级网站，如 nanning-admin；平台管理员看全部）
  数据接入         http://127.0.0.1:${port}/api/import/v1/schema.json   接入标准 ywtc-import-1（docs/import.md）：分建平台签名推送 POST /api/import/v1/batches；文件和网站导入 npm run import -- --source file-xxtq-csv --file scripts/import/sources/examples/xxtq-gbk.csv
  导入待分类       http://127.0.0.1:${port}/admin/import/queue   导入文档的主题分类、兴趣领域待编辑确认（如 nnxn-editor）；旧网址未映射报告 /admin/import/unmapped；迁移网站切换 /admin/import/switchover（平台管理员）
  健康检查         http://127.0.0.1:${port}/healthz
按 Ctrl+C 停止。`);
dev.stdout?.removeAllListeners('data');
dev.stdout?.on('data', (d: Buffer) => process.stdout.write(d));
dev.stderr?.on('data', (d: Buffer) => process.stderr.write(d));

// What the Cron Trigger does each minute in production.
setInterval(() => {
  scheduled().then(
    (o) => {
      if (o.released.length || o.search.tasks || o.pages.sites)
        console.log(`定时任务：定时发布 ${o.released.length} 篇，搜索索引更新 ${o.search.tasks} 项，页面更新 ${o.pages.sites} 个网站`);
    },
    (e: unknown) => console.error(`定时任务失败：${e instanceof Error ? e.message : String(e)}`),
  );
}, 60_000).unref();

// While the cluster already serves: the 模板库 thumbnails (Chromium), then every document's share card and the
// og:image tags that point at it (a republish with cards). A later start redoes only what a change made stale.
if (background)
  void (async () => {
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
    // A first 季普查, so 检查报告, 整改 and 决策辅助 have something to show (the Cron Trigger runs them in production).
    try {
      for (;;) {
        const res = await fetch(`${origin}/_ingest/inspect`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ schedule: 'quarterly', ifNone: true, budgetMs: 20_000 }),
        });
        if (!res.ok) throw new Error(`HTTP ${res.status} ${await res.text()}`);
        const run = await res.json<{ state: string; skipped?: boolean; sites: number; pages: number; findings: number }>();
        if (run.skipped) break;
        if (run.state !== 'running') {
          console.log(`首次季普查完成：${run.sites} 个网站，${run.pages} 个页面，${run.findings} 条问题：http://127.0.0.1:${port}/admin/inspect/runs`);
          break;
        }
      }
    } catch (e) {
      console.log(`季普查未完成（npm run inspect 可继续）：${e instanceof Error ? e.message : String(e)}`);
    }
  })();

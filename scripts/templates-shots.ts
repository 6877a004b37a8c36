/**
 * `npm run templates:shots`: takes the 模板库 thumbnails that are missing for the current renderer build, on a
 * Worker of its own over the local cluster's state (stop `npm start` first; `npm start` itself takes them in
 * the background once the cluster is up).
 */
import { freePort, newIngestToken, startDevServer, stopProcessGroup, waitForHttp } from './lib/platform.ts';
import { ensureDebianPackage, CHROMIUM } from './lib/browser.ts';
import { takeTemplateShots } from './lib/template-shots.ts';

ensureDebianPackage(CHROMIUM, 'chromium');
const port = await freePort();
const token = newIngestToken();
const dev = startDevServer(port, 'pipe', undefined, token);
try {
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, 120_000);
  const r = await takeTemplateShots(`http://127.0.0.1:${port}`, token, (l) => console.log(l));
  console.log(
    r.taken === 0 ? '所有模板都已有缩略图' : `已生成 ${r.taken} 个模板缩略图，用时 ${(r.ms / 1000).toFixed(1)} 秒（${Math.round(r.ms / r.taken)} 毫秒/个）`,
  );
} finally {
  stopProcessGroup(dev);
}

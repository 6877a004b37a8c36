import { openPlatform } from './scripts/lib/platform.ts';
import { ensureRenderer, publishSites } from './sites/publisher/index.ts';
const r = ensureRenderer(console.log); console.log(r);
const p = await openPlatform();
const rep = await publishSites(p.env, { rendererHash: r.hash, originLabel: 'local', originFor: (d) => `http://${d}.localhost:8787`, log: console.log, force: true });
console.log({ pages: rep.pages, changed: rep.changed, renderMs: Math.round(rep.renderMs), totalMs: rep.totalMs, mb: rep.bytes / 1e6, rss: process.memoryUsage().rss / 1e6 });
await p.dispose();

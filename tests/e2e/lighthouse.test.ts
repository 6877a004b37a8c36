/**
 * Lighthouse 13 in Debian's Chromium (issue 5) on three published pages of a seeded cluster, at their own
 * domains: a county portal's home and a document page (mobile preset: simulated slow 4G and a 4× slower CPU)
 * and a department site's home in another template, switched through the CMS API (desktop preset). Performance,
 * accessibility, best practices and SEO each score ≥ 95. The full sample, one template per family in both
 * presets, is `npm run bench:lighthouse` (docs/benchmarks.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneTemplatePerFamily, startLocalCluster, type LocalCluster } from '../../scripts/lib/local-cluster.ts';
import { get } from './helpers.ts';
import { CATEGORIES, startLighthouse, type LighthouseRunner, type Preset } from '../../scripts/lib/lighthouse.ts';

const MIN_SCORE = 95;
let cluster: LocalCluster;
let lh: LighthouseRunner;

beforeAll(async () => {
  cluster = await startLocalCluster({ sites: ['nnxn', 'fgw-gxzf'], accounts: true });
  lh = await startLighthouse();
}, 300_000);

afterAll(async () => {
  await lh?.close();
  cluster?.stop();
});

async function expectScores(url: string, preset: Preset) {
  const r = await lh.run(url, preset);
  const low = CATEGORIES.filter((c) => r.scores[c] < MIN_SCORE).map(
    (c) => `${c} ${r.scores[c]}: ${r.failing[c].map((a) => `${a.id} ${a.displayValue ?? ''} ${a.items.join(' · ')}`).join('; ')}`,
  );
  expect(low, `${preset} ${url} ${JSON.stringify(r.scores)}`).toEqual([]);
}

describe(`Lighthouse: every category ≥ ${MIN_SCORE}`, () => {
  it('a county portal home page (mobile)', async () => {
    await expectScores(cluster.siteUrl('www.nnxn.gov.cn', '/'), 'mobile');
  }, 60_000);

  it('a document page (mobile)', async () => {
    await expectScores(cluster.siteUrl('www.nnxn.gov.cn', `/${cluster.samplePages('nnxn').document}`), 'mobile');
  }, 60_000);

  it('a department site home page switched to another template (desktop)', async () => {
    const department = oneTemplatePerFamily().find((t) => t.family === 'department')!;
    await cluster.switchTemplate('fgw-gxzf', department.id);
    const home = (await get(cluster.port, 'fgw.gxzf.gov.cn', '/')).text;
    expect(home).toContain(`data-header="${department.header}" data-home="${department.home}"`);
    await expectScores(cluster.siteUrl('fgw.gxzf.gov.cn', '/'), 'desktop');
  }, 90_000);
});

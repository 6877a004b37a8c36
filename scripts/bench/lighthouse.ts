/**
 * Lighthouse (performance, accessibility, best practices, SEO) on the published pages of a local cluster, one
 * template per layout family: a small cluster is seeded and published as in the e2e tests, then for each
 * family a site that may take it is switched to it through the CMS API (the Worker renders the whole site again)
 * and Lighthouse runs on that site's home page and a document page at its own domain (Host routing through
 * *.localhost), in the mobile and desktop presets. The real pages, not the 模板库 previews: those carry
 * `noindex` by design, which Lighthouse's SEO category scores down.
 *
 *   npm run bench:lighthouse [-- --presets mobile,desktop] [-- --templates 8]
 *
 * Prints a table and `RESULT templates=<n> min_performance=… min_accessibility=… min_best_practices=… min_seo=…`.
 */
import { parseArgs } from 'node:util';
import { FAMILIES, TEMPLATES, type Template } from '@ywtc/themes';
import { oneTemplatePerFamily, startLocalCluster, type LocalCluster } from '../lib/local-cluster.ts';
import { CATEGORIES, startLighthouse, type LighthouseRun, type Preset } from '../lib/lighthouse.ts';

const { values } = parseArgs({ options: { presets: { type: 'string', default: 'mobile,desktop' }, templates: { type: 'string', default: '8' } } });
const presets = values.presets.split(',').map((p) => p.trim()) as Preset[];
if (presets.some((p) => p !== 'mobile' && p !== 'desktop')) throw new Error('--presets takes mobile and/or desktop');

/** One template per family (as tests/e2e/templates-a11y.ts picks them), then more spread over the list. */
function sampleTemplates(n: number): Template[] {
  const picked = oneTemplatePerFamily();
  for (let i = 0; picked.length < n && i < TEMPLATES.length; i += 13) if (!picked.includes(TEMPLATES[i]!)) picked.push(TEMPLATES[i]!);
  return picked;
}

/** A seeded site that may take the template: its family's own kind, else (topic, policy library, mobile) the county. */
function siteFor(cluster: LocalCluster, t: Template): LocalCluster['sites'][number] {
  const kinds = FAMILIES[t.family].kinds as readonly string[];
  const site = kinds.length ? cluster.sites.find((s) => kinds.includes(s.kind)) : cluster.sites.find((s) => s.id === 'nnxn');
  if (!site) throw new Error(`no seeded site for ${t.family}`);
  return site;
}

const templates = sampleTemplates(Number(values.templates));
const started = Date.now();
const cluster = await startLocalCluster({ sites: ['nnxn', 'fgw-gxzf', 'rd-nanning'], accounts: true, log: (l) => console.log(l) });
const lh = await startLighthouse();
const runs: (LighthouseRun & { template: string; site: string; page: string })[] = [];
try {
  console.log(`cluster up in ${((Date.now() - started) / 1000).toFixed(0)} s; Lighthouse on ${templates.length} templates × 2 pages × ${presets.join('+')}\n`);
  console.log('| template | site | page | preset | performance | accessibility | best practices | SEO | FCP ms | LCP ms | TBT ms | CLS |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const t of templates) {
    const site = siteFor(cluster, t);
    await cluster.switchTemplate(site.id, t.id);
    const served = await (await fetch(`${cluster.origin}/_site/${site.domain}/`)).text();
    if (!served.includes(`data-family="${t.family}" data-header="${t.header}" data-home="${t.home}"`))
      throw new Error(`${site.id} is not served in ${t.id} after the switch`);
    const pages = { home: '/', document: `/${cluster.samplePages(site.id).document}` };
    for (const preset of presets)
      for (const [page, path] of Object.entries(pages)) {
        const r = await lh.run(cluster.siteUrl(site.domain, path), preset);
        runs.push({ ...r, template: t.id, site: site.id, page });
        const m = r.metrics;
        console.log(
          `| ${t.id} | ${site.id} | ${page} | ${preset} | ${CATEGORIES.map((c) => r.scores[c]).join(' | ')} | ${m.fcpMs.toFixed(0)} | ${m.lcpMs.toFixed(0)} | ${m.tbtMs.toFixed(0)} | ${m.cls.toFixed(3)} |`,
        );
        for (const c of CATEGORIES)
          for (const a of r.failing[c])
            console.log(`|   ↳ ${c}: ${a.id} (${a.score ?? 'n/a'})${a.displayValue ? ` ${a.displayValue}` : ''} ${a.items.join(' · ')} |`);
      }
  }
} finally {
  await lh.close();
  cluster.stop();
}
const min = (c: (typeof CATEGORIES)[number]) => Math.min(...runs.map((r) => r.scores[c]));
console.log(`\n${runs.length} Lighthouse runs in ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(
  `RESULT templates=${templates.length} min_performance=${min('performance')} min_accessibility=${min('accessibility')} min_best_practices=${min('best-practices')} min_seo=${min('seo')}`,
);

/**
 * Templates in Chromium (issue 5): every layout family's home, column list and document page — in the default
 * display and in 适老化模式, with the national page rules checked on each — and the home page of a sample of ≥ 30 templates covering every palette and every
 * header style and home arrangement pass axe-core with no serious or critical violation; those homes fit a
 * 360 px and a 1920 px screen without sideways scrolling. Pages are the 模板库's live previews
 * (/_templates/<id>/~<site>/…), rendered by the Worker with the site's real content: nothing needs publishing, so
 * these checks run on the cluster of accessibility.test.ts (one wrangler dev fewer in `npm test`) and only read.
 */
import { describe, expect, it } from 'vitest';
import { FAMILIES, HEADERS, HOMES, PALETTES, TEMPLATES, type Template } from '@ywtc/themes';
import { seriousViolations } from './axe.ts';
import { oneTemplatePerFamily } from '../../scripts/lib/local-cluster.ts';
import type { OnCluster } from './helpers.ts';

const SITE = 'nnxn';

/** Every family once; then every 8th template, topped up until every palette, header and home is in. */
function sample(): Template[] {
  const picked = new Map<string, Template>();
  TEMPLATES.forEach((t, i) => {
    if (i % 8 === 0) picked.set(t.id, t);
  });
  for (const [key, all] of [
    ['palette', PALETTES.map((p) => p.id)],
    ['header', Object.keys(HEADERS)],
    ['home', Object.keys(HOMES)],
  ] as const) {
    for (const v of all)
      if (![...picked.values()].some((t) => t[key] === v)) {
        const t = TEMPLATES.find((x) => x[key] === v)!;
        picked.set(t.id, t);
      }
  }
  return [...picked.values()];
}
const familyTemplates = oneTemplatePerFamily();

/** Page paths relative to the site root: its home, its first top-level column with documents (the policy column) and that column's first document. */
function pagesOf({ cluster }: OnCluster) {
  return { home: '', ...cluster.samplePages(SITE) };
}

async function check(on: OnCluster, templates: Template[], kinds: ('home' | 'list' | 'document')[], mode: 'standard' | 'elder'): Promise<string[]> {
  const { browser, cluster } = on;
  const origin = cluster.origin;
  const pages = pagesOf(on);
  const ctx = await browser.newContext();
  if (mode === 'elder') await ctx.addCookies([{ name: 'ywtc_mode', value: 'elder', url: origin }]);
  const page = await ctx.newPage();
  const found: string[] = [];
  for (const t of templates)
    for (const kind of kinds) {
      const url = `${origin}/_templates/${t.id}/~${SITE}/${pages[kind]}`;
      const res = await page.goto(url);
      if (res?.status() !== 200) {
        found.push(`${url}: HTTP ${res?.status()}`);
        continue;
      }
      if ((await page.getAttribute('html', 'data-family')) !== t.family) found.push(`${url}: not rendered in ${t.family}`);
      if ((await page.getAttribute('html', 'data-mode')) !== (mode === 'elder' ? 'elder' : null)) found.push(`${url}: display ${mode} not applied`);
      found.push(...(await seriousViolations(page)).map((v) => `${t.id} ${kind} (${mode}): ${v}`));
      // National page rules on every template: the site meta tags, a search box, 网站地图, 我为政府网站找错, the
      // footer block with 网站标识码 and 备案号; nothing that pops up.
      const rules = await page.evaluate(() => ({
        siteName: !!document.querySelector('meta[name="SiteName"]'),
        siteId: !!document.querySelector('meta[name="SiteIDCode"]'),
        search: !!document.querySelector('form[role="search"] input[type="search"]'),
        siteMap: !!document.querySelector('a[href*="wzdt/"]'),
        zhaocuo: document.body.textContent.includes('我为政府网站找错'),
        footer: !!document.querySelector('footer [data-footer="conac"]') && document.body.textContent.includes('网站标识码'),
        popups: document.querySelectorAll('dialog[open], [role="dialog"], [aria-modal="true"]').length === 0,
      }));
      for (const [rule, ok] of Object.entries(rules)) if (!ok) found.push(`${t.id} ${kind} (${mode}): national rule "${rule}" not met`);
      if (kind === 'document' && !/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test((await page.textContent('main'))!))
        found.push(`${t.id} document: no YYYY-MM-DD HH:MM publish time`);
    }
  await ctx.close();
  return found;
}

/** Registers the checks; `on()` gives the running cluster (with nnxn seeded) and browser once the file's beforeAll has started them. */
export function templateChecks(on: () => OnCluster): void {
  describe('templates pass axe-core', () => {
    it('samples every family, palette, header style and home arrangement, ≥ 30 templates', () => {
      const s = sample();
      expect(s.length).toBeGreaterThanOrEqual(30);
      expect(new Set(s.map((t) => t.palette)).size).toBe(PALETTES.length);
      expect(new Set(familyTemplates.map((t) => t.family)).size).toBe(Object.keys(FAMILIES).length);
    });

    for (const mode of ['standard', 'elder'] as const) {
      it(`every family: home, column list and document page (${mode})`, async () => {
        expect(await check(on(), familyTemplates, ['home', 'list', 'document'], mode)).toEqual([]);
      }, 240_000);
      it(`the sample of templates: home page (${mode})`, async () => {
        expect(await check(on(), sample(), ['home'], mode)).toEqual([]);
      }, 240_000);
    }

    it('the home of every family and of the sample fits a 360 px screen and a 1920 px one without sideways scrolling', async () => {
      const wide: string[] = [];
      for (const width of [360, 1920]) {
        const page = await on().browser.newPage({ viewport: { width, height: 800 } });
        for (const t of new Set([...familyTemplates, ...sample()])) {
          await page.goto(`${on().cluster.origin}/_templates/${t.id}/~${SITE}/`);
          const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
          if (scroll > width) wide.push(`${t.id} at ${width}px: ${scroll}px wide`);
        }
        await page.close();
      }
      expect(wide).toEqual([]);
    }, 120_000);
  });
}

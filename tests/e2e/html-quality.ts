/**
 * The pages themselves (issue 5), for every layout family (one template each, as in templates-a11y.ts)
 * through the 模板库's live previews, and for the real published pages of a seeded site by Host header:
 *  - valid HTML: html-validate (the root .htmlvalidate.mjs: recommended + document rules) finds no error on the
 *    home page, a column list, a document page, the 政策文件库, the 网站地图 and the 404 page;
 *  - light: a home page, loaded cold in Chromium, transfers ≤ 150 KB counting everything but images;
 *  - no client framework: content pages load no script at all, except the small read-aloud script on document
 *    pages, and a document page is fully readable with JavaScript disabled.
 * These checks run on the cluster of accessibility.test.ts (one wrangler dev and publish fewer in `npm test`),
 * which seeds and publishes 兴宁区 (nnxn) among others; they only read.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Response } from 'playwright-core';
import { FileSystemConfigLoader, HtmlValidate } from 'html-validate';
import { ROOT } from '../../scripts/lib/platform.ts';
import { oneTemplatePerFamily } from '../../scripts/lib/local-cluster.ts';
import { get, type OnCluster } from './helpers.ts';

const SITE = 'nnxn';
const HOST = 'www.nnxn.gov.cn';
const HOME_BUDGET = 150 * 1024;
const READ_ALOUD_BUDGET = 4 * 1024;
const families = oneTemplatePerFamily();
const KINDS = ['home', 'list', 'document', 'library', 'sitemap', 'notFound'] as const;
type Kind = (typeof KINDS)[number];
/** Page paths relative to the site root; the 404 page is /404.html in a preview and any unknown path when published. */
const FIXED_PATHS = { home: '', library: 'zcwjk/', sitemap: 'wzdt/', notFound: '404.html' };

interface Load {
  url: string;
  bytes: number;
  images: number;
  byType: Record<string, number>;
  scripts: { url: string; bytes: number }[];
  inlineScripts: number;
  islands: number;
}

/** Loads a page cold (a fresh context: nothing cached) and adds up what went over the wire, images apart. */
async function load(browser: Browser, url: string, ctx?: BrowserContext): Promise<Load> {
  const context = ctx ?? (await browser.newContext());
  const page = await context.newPage();
  const responses: Response[] = [];
  page.on('response', (r) => responses.push(r));
  const res = await page.goto(url, { waitUntil: 'load' });
  if (!res) throw new Error(`${url}: no response`);
  const out: Load = { url, bytes: 0, images: 0, byType: {}, scripts: [], inlineScripts: 0, islands: 0 };
  for (const r of responses) {
    const type = r.request().resourceType();
    const sizes = await r.request().sizes();
    const bytes = sizes.responseHeadersSize + sizes.responseBodySize;
    if (type === 'image') {
      out.images += bytes;
      continue;
    }
    out.bytes += bytes;
    out.byType[type] = (out.byType[type] ?? 0) + bytes;
    if (type === 'script') out.scripts.push({ url: new URL(r.url()).pathname, bytes });
  }
  const dom = await page.evaluate(() => ({
    inline: [...document.scripts].filter((s) => !s.src).length,
    // Astro's islands, React/Vue/Svelte roots: any of them means a client framework reached the page.
    islands: document.querySelectorAll('astro-island, astro-slot, [data-reactroot], [data-v-app], [data-svelte-h], script[type="module"]').length,
  }));
  out.inlineScripts = dom.inline;
  out.islands = dom.islands;
  await page.close();
  if (!ctx) await context.close();
  return out;
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** Registers the checks; `on()` gives the running cluster (with nnxn seeded and published) and browser once the file's beforeAll has started them. */
export function htmlQualityChecks(on: () => OnCluster): void {
  /** The column list and document: the site's first top-level column with documents (its policy column) and that column's first document. */
  const pathOf = (kind: Kind) => (kind === 'list' || kind === 'document' ? on().cluster.samplePages(SITE)[kind] : FIXED_PATHS[kind]);
  const previewUrl = (templateId: string, kind: Kind) => `${on().cluster.origin}/_templates/${templateId}/~${SITE}/${pathOf(kind)}`;
  const publishedUrl = (kind: Kind) => on().cluster.siteUrl(HOST, kind === 'notFound' ? '/no/such/page.html' : `/${pathOf(kind)}`);
  /** Every page under test: each family's previews, then the published site. */
  const allPages = () => [
    ...families.flatMap((t) => KINDS.map((kind) => ({ name: `${t.id} ${kind}`, kind, url: previewUrl(t.id, kind) }))),
    ...KINDS.map((kind) => ({ name: `published ${kind}`, kind, url: publishedUrl(kind) })),
  ];

  describe('HTML validity (html-validate)', () => {
    const validator = new HtmlValidate(new FileSystemConfigLoader());
    async function problems(name: string, html: string): Promise<string[]> {
      // The file name only places the page under the repository root, where html-validate finds .htmlvalidate.mjs.
      const report = await validator.validateString(html, join(ROOT, 'tests/e2e', `${name.replace(/\W+/g, '-')}.html`));
      return report.results.flatMap((r) =>
        r.messages.map((m) => `${name} ${m.line}:${m.column} [${m.ruleId}] ${m.message}${m.selector ? ` (${m.selector})` : ''}`),
      );
    }

    it('every family: home, column list, document, 政策文件库, 网站地图 and 404 (live previews)', async () => {
      const found: string[] = [];
      for (const t of families)
        for (const kind of KINDS) {
          const res = await fetch(previewUrl(t.id, kind));
          expect(res.status, `${t.id} ${kind}`).toBe(200);
          found.push(...(await problems(`${t.id} ${kind}`, await res.text())));
        }
      expect(found).toEqual([]);
    });

    it('the published pages of the seeded site, by Host header', async () => {
      const found: string[] = [];
      for (const kind of KINDS) {
        const path = kind === 'notFound' ? '/no/such/page.html' : `/${pathOf(kind)}`;
        const r = await get(on().cluster.port, HOST, path);
        expect(r.status, path).toBe(kind === 'notFound' ? 404 : 200);
        found.push(...(await problems(`published ${kind}`, r.text)));
      }
      // Feeds and the sitemap are XML, not HTML; the 404 of an unknown host is the platform's, not a site's.
      expect(found).toEqual([]);
    });

    it('catches what it is meant to catch (the config is live)', async () => {
      const bad = (await get(on().cluster.port, HOST, '/')).text.replace('<main id="main"', '<main id="main" id="again"').replace('</ul>', '</ol>');
      const found = await problems('broken home', bad);
      expect(found.some((f) => f.includes('[no-dup-attr]'))).toBe(true);
      expect(found.some((f) => f.includes('[close-order]'))).toBe(true);
    });
  });

  describe('weight and scripts in Chromium', () => {
    it(`a home page transfers ≤ ${HOME_BUDGET / 1024} KB without images: every family and the published site`, async () => {
      const over: string[] = [];
      const report: string[] = [];
      for (const p of allPages().filter((x) => x.kind === 'home')) {
        const l = await load(on().browser, p.url);
        report.push(
          `${p.name}: ${kb(l.bytes)} (${Object.entries(l.byType)
            .map(([t, b]) => `${t} ${kb(b)}`)
            .join(', ')}; images ${kb(l.images)})`,
        );
        if (l.bytes > HOME_BUDGET) over.push(`${p.name}: ${kb(l.bytes)}`);
      }
      console.log(`home pages, transferred without images:\n  ${report.join('\n  ')}`);
      expect(over).toEqual([]);
    }, 120_000);

    it('content pages load no script but the read-aloud script on document pages, and no client framework', async () => {
      const found: string[] = [];
      const ctx = await on().browser.newContext();
      for (const p of allPages()) {
        const l = await load(on().browser, p.url, ctx);
        if (l.inlineScripts) found.push(`${p.name}: ${l.inlineScripts} inline script(s)`);
        if (l.islands) found.push(`${p.name}: ${l.islands} framework island(s) or module script(s)`);
        const expected = p.kind === 'document' ? 1 : 0;
        if (l.scripts.length !== expected || l.scripts.some((s) => !/^(\/_templates)?\/_astro\/read-aloud\.[\w-]+\.js$/.test(s.url))) {
          found.push(`${p.name}: scripts ${JSON.stringify(l.scripts.map((s) => s.url))}`);
        }
      }
      await ctx.close();
      // The read-aloud script on its own, cold: small enough to call it no framework.
      const cold = await load(on().browser, publishedUrl('document'));
      expect(cold.scripts).toHaveLength(1);
      expect(cold.scripts[0]!.bytes, cold.scripts[0]!.url).toBeLessThanOrEqual(READ_ALOUD_BUDGET);
      expect(found).toEqual([]);
    }, 180_000);

    it('a document page is fully readable with JavaScript disabled: every family and the published site', async () => {
      const ctx = await on().browser.newContext({ javaScriptEnabled: false });
      const page = await ctx.newPage();
      const found: string[] = [];
      for (const p of allPages().filter((x) => x.kind === 'document')) {
        await page.goto(p.url);
        const title = await page.getAttribute('meta[name="ArticleTitle"]', 'content');
        const h1 = (await page.locator('main h1').innerText()).trim();
        const body = page.locator('main .doc-body');
        const text = (await body.innerText()).trim();
        if (!title || h1 !== title) found.push(`${p.name}: heading ${JSON.stringify(h1)}, ArticleTitle ${JSON.stringify(title)}`);
        if (!(await body.isVisible()) || text.length < 100) found.push(`${p.name}: body ${text.length} characters, visible ${await body.isVisible()}`);
        if (await page.locator('main').evaluate((m) => getComputedStyle(m).visibility !== 'visible' || Number(getComputedStyle(m).opacity) < 1))
          found.push(`${p.name}: main is hidden`);
      }
      await ctx.close();
      expect(found).toEqual([]);
    }, 120_000);
  });
}

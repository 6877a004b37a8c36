/**
 * Worker pages that wear the site's own template (定制我的网站, 热点信息): the site's published 网站地图 page
 * (/wzdt/index.html, one level deep like /_me/ and /hot/, so its relative links hold) with its <main>, <title>
 * and canonical link replaced, and the display switches sent back to this page. A page deeper than that (留言咨询
 * at /hdjl/ly/) gets each relative link of the frame one `../` longer, so it still points where it did. 适老化模式 and 大鼠标 apply as
 * on every stored page.
 */
import type { Context } from 'hono';
import { escapeHtml } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { liveManifest, readEntry } from '../site/publication.ts';
import { displayPrefs, rewriteForDisplay } from '../site/display-mode.ts';

const SHELL = '/wzdt/index.html';

export interface ShellPage {
  /** The whole <title> (page name and site name, as every page of the site has it). */
  title: string;
  /** This page's path inside the site ('/_me/', '/hot/', '/hdjl/ly/'). */
  path: string;
  main: string;
  status?: 200 | 400 | 404 | 429 | 503;
  headers?: Record<string, string>;
  noindex?: boolean;
  /** Where the display switches send the reader back to, when not `path` itself (e.g. with the page's query). */
  back?: string;
  /** Markup appended to <head> (the page's own styles). */
  head?: string;
}

/** The frame's attributes that hold links relative to the 网站地图 page (the page's own <main> is replaced first). */
const DEEPER: [string, string][] = [
  ['a[href]', 'href'],
  ['link[href]', 'href'],
  ['script[src]', 'src'],
  ['img[src]', 'src'],
  ['form[action]', 'action'],
];
const isRelative = (url: string) => url !== '' && !/^([a-z][a-z0-9+.-]*:|\/|#|\?)/i.test(url);
/**
 * A link of the frame (written for /wzdt/index.html, one level deep) rewritten for a page `depth` levels deep:
 * one `../` more per extra level; at the site's root (/search) one `../` fewer, or into wzdt/ for a sibling.
 */
function rebase(el: Element, attr: string, depth: number): void {
  const v = el.getAttribute(attr);
  if (v === null || !isRelative(v)) return;
  el.setAttribute(attr, depth > 0 ? '../'.repeat(depth) + v : v.startsWith('../') ? v.slice(3) || './' : 'wzdt/' + v);
}

export async function inShell(c: Context<AppEnv>, siteId: string, page: ShellPage): Promise<Response> {
  const manifest = await liveManifest(c.env.PAGES, siteId);
  const entry = manifest?.pages[SHELL];
  const stored = entry ? await readEntry(c.env.PAGES, siteId, entry) : null;
  const headers = new Headers({
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'private, no-store',
    Vary: 'Cookie',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'SAMEORIGIN',
    ...page.headers,
  });
  const status = page.status ?? 200;
  const prefs = displayPrefs(c.req.header('Cookie'));
  if (!entry || !stored) {
    // A site not published yet has no frame: the page alone, still in the reader's display.
    const bare = new Response(
      `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(page.title)}</title>${page.head ?? ''}<main id="main">${page.main}</main></html>`,
      { status, headers },
    );
    return prefs ? new Response(rewriteForDisplay(bare, prefs).body, { status, headers }) : bare;
  }
  const plain = entry[5] === 'gzip' ? stored.pipeThrough(new DecompressionStream('gzip')) : stored;
  const back = encodeURIComponent(page.back ?? page.path);
  const rewriter = new HTMLRewriter()
    .on('title', {
      element(el) {
        el.setInnerContent(page.title);
      },
    })
    .on('link[rel="canonical"]', {
      element(el) {
        if (page.noindex) el.replace('<meta name="robots" content="noindex">', { html: true });
        else el.remove();
      },
    })
    .on('main', {
      element(el) {
        el.setInnerContent(page.main, { html: true });
      },
    })
    .on('a[data-switch]', {
      element(el) {
        const href = el.getAttribute('href');
        if (href) el.setAttribute('href', href.replace(/back=[^&]*/, `back=${back}`));
      },
    });
  // Levels below (or, at -1, above) the 网站地图 page's own: '/_me/' 0, '/hdjl/ly/' 1, '/search' -1.
  const depth = page.path.split('/').length - 3;
  if (depth !== 0) for (const [selector, attr] of DEEPER) rewriter.on(selector, { element: (el) => rebase(el, attr, depth) });
  if (page.head) {
    const head = page.head;
    rewriter.on('head', {
      element(el) {
        el.append(head, { html: true });
      },
    });
  }
  const filled = rewriter.transform(new Response(plain, { headers: { 'Content-Type': 'text/html' } }));
  return new Response((prefs ? rewriteForDisplay(filled, prefs) : filled).body, { status, headers });
}

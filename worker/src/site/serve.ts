/**
 * Serves one site's published files: path → manifest entry → byte range of a pack. Conditional requests
 * get 304 by ETag (the content hash); unknown paths get the site's own 404 page.
 */
import type { Context } from 'hono';
import type { PageEntry } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { liveManifest, readEntry } from './publication.ts';
import { displayPrefs, rewriteForDisplay, variantEtag } from './display-mode.ts';
import { fillSlots, pageExtras, withPersonal, type PageExtras } from '../personal/page-extras.ts';
import { countView, documentIdOfPath } from '../personal/hot-signals.ts';
import { compressedPage, plainPage } from '../personal/page-cache.ts';

function cacheControl(path: string, type: string): string {
  if (path.startsWith('/_astro/')) return 'public, max-age=31536000, immutable'; // file names carry a content hash
  if (type.startsWith('text/html')) return 'public, no-cache'; // always revalidate: a publish must show at once
  return 'public, max-age=300';
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Frame-Options': 'SAMEORIGIN',
};

function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*');
}

function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.find((p) => p.trim().startsWith('q='));
    return (name === 'gzip' || name === '*') && (q === undefined || Number(q.trim().slice(2)) > 0);
  });
}

/**
 * Cloudflare rewrites Accept-Encoding on the way to a Worker (as `wrangler dev` does), keeping what the
 * client really sent in request.cf.clientAcceptEncoding; that is the header that decides.
 */
function clientAcceptEncoding(req: Request): string | undefined {
  const cf = (req as Request & { cf?: { clientAcceptEncoding?: string } }).cf;
  return cf?.clientAcceptEncoding ?? req.headers.get('Accept-Encoding') ?? undefined;
}

/**
 * Pages are stored gzip-compressed; most clients take them as they are (Content-Encoding: gzip, passed through
 * unchanged with encodeBody: 'manual'), and the few that do not accept gzip get them decompressed here.
 *
 * HTML varies by the reader's display cookies (适老化模式, 大鼠标; display-mode.ts) and, on home and document
 * pages, by what the Worker fills in (personal/page-extras.ts): a home page's 热点 list for everyone — spliced in
 * once per list and site and then served as bytes from memory (home-bytes.ts) — and a citizen's own 为您推荐 and
 * 我的常用服务, which make the page private to them (`Cache-Control: private, no-store`, no ETag). A document page
 * without the settings cookie goes out as stored, as before. ETags carry a suffix per variant, so a 304 never
 * crosses displays or hot lists.
 */
async function respond(
  c: Context<AppEnv>,
  siteId: string,
  path: string,
  entry: PageEntry,
  status: 200 | 404,
  transform?: (html: string) => string,
  extras: PageExtras | null = null,
) {
  const [, , length, hash, type, encoding] = entry;
  const html = type.startsWith('text/html');
  const prefs = html ? displayPrefs(c.req.header('Cookie')) : null;
  const personal = extras !== null && (extras.personal !== null || extras.setCookie !== null);
  const etag = variantEtag(extras?.hot ? `${hash}-h${extras.hot.sig}` : hash, prefs);
  const headers = new Headers({
    ...SECURITY_HEADERS,
    'Content-Type': type,
    'Cache-Control': status === 404 ? 'no-store' : personal ? 'private, no-store' : cacheControl(path, type),
    Vary: html ? 'Accept-Encoding, Cookie' : 'Accept-Encoding',
  });
  if (!personal) headers.set('ETag', etag);
  if (extras?.setCookie) headers.append('Set-Cookie', extras.setCookie);
  if (!personal && status === 200 && etagMatches(c.req.header('If-None-Match'), etag)) return new Response(null, { status: 304, headers });
  const clientGzip = acceptsGzip(clientAcceptEncoding(c.req.raw));
  const head = c.req.method === 'HEAD';
  if (extras && !transform) {
    // The page with its 热点 list (home pages), kept per isolate (personal/page-cache.ts); read from R2 once.
    const key = `${siteId}|${hash}|${extras.hot?.sig ?? ''}`;
    const render = async () => {
      const stored = await readEntry(c.env.PAGES, siteId, entry);
      if (!stored) return null;
      const plain = encoding === 'gzip' ? stored.pipeThrough(new DecompressionStream('gzip')) : stored;
      const page = new Response(plain, { headers: { 'Content-Type': type } });
      return extras.hot ? fillSlots(new HTMLRewriter(), { ...extras, personal: null }).transform(page) : page;
    };
    if (!personal && !prefs) {
      const bytes = await compressedPage(key, render);
      if (!bytes) return c.text('页面文件暂时无法读取，请稍后重试。', 503);
      if (clientGzip) {
        headers.set('Content-Encoding', 'gzip');
        headers.set('Content-Length', String(bytes.byteLength));
        return new Response(head ? null : bytes, { status, headers, encodeBody: 'manual' });
      }
      return new Response(head ? null : new Response(bytes).body!.pipeThrough(new DecompressionStream('gzip')), { status, headers });
    }
    const text = await plainPage(key, render);
    if (text === null) return c.text('页面文件暂时无法读取，请稍后重试。', 503);
    if (head) return new Response(null, { status, headers });
    const filled = new Response(extras.personal ? withPersonal(text, extras.personal) : text, { headers: { 'Content-Type': type } });
    // The runtime compresses the body for a client that takes gzip (encodeBody 'automatic', the default).
    if (clientGzip) headers.set('Content-Encoding', 'gzip');
    return new Response((prefs ? rewriteForDisplay(filled, prefs) : filled).body, { status, headers });
  }
  const stored = await readEntry(c.env.PAGES, siteId, entry);
  if (!stored) return c.text('页面文件暂时无法读取，请稍后重试。', 503);
  const gzipped = encoding === 'gzip';
  const passThrough = gzipped && !transform && !prefs && clientGzip;
  if (passThrough) {
    headers.set('Content-Encoding', 'gzip');
    headers.set('Content-Length', String(length));
    return new Response(head ? null : stored, { status, headers, encodeBody: 'manual' });
  }
  if (prefs && head) return new Response(null, { status, headers });
  const plain = gzipped ? stored.pipeThrough(new DecompressionStream('gzip')) : stored;
  if (prefs) {
    const source = new Response(transform ? transform(await new Response(plain).text()) : plain, { headers: { 'Content-Type': type } });
    if (clientGzip) headers.set('Content-Encoding', 'gzip');
    return new Response(rewriteForDisplay(source, prefs).body, { status, headers });
  }
  if (transform) return new Response(transform(await new Response(plain).text()), { status, headers });
  if (!gzipped) headers.set('Content-Length', String(length));
  return new Response(head ? null : plain, { status, headers });
}

/**
 * @param path the path inside the site, starting with '/'
 * @param base where the site's root is in this request's URL space ('/' or '/_site/<domain>/'); the 404 page
 *             gets it as <base href> so its root-relative links work at any depth.
 */
export async function serveSite(c: Context<AppEnv>, siteId: string, path: string, base: string) {
  const manifest = await liveManifest(c.env.PAGES, siteId);
  if (!manifest)
    return c.html(
      `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>网站尚未发布</title><h1>该网站尚未发布</h1><p>网站已登记在平台上，但还没有发布任何页面。</p></html>`,
      503,
    );
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    decoded = path;
  }
  const key = decoded.endsWith('/') ? decoded + 'index.html' : decoded;
  const entry = key.split('/').includes('..') ? undefined : manifest.pages[key];
  if (entry) {
    const documentId = c.req.method === 'GET' ? documentIdOfPath(key) : null;
    if (documentId) countView(c.env.DB, (p) => c.executionCtx.waitUntil(p), siteId, documentId, c.req.header('User-Agent'));
    const extras = entry[4].startsWith('text/html') ? await pageExtras(c, siteId, key) : null;
    return respond(c, siteId, key, entry, 200, undefined, extras);
  }
  // /yw → /yw/ : a relative Location works under both the host route and the preview prefix.
  if (!decoded.endsWith('/') && manifest.pages[decoded + '/index.html']) {
    const last = decoded.slice(decoded.lastIndexOf('/') + 1);
    return c.body(null, 301, { Location: `${last}/`, 'Cache-Control': 'public, max-age=300' });
  }
  const notFound = manifest.pages['/404.html'];
  if (!notFound) return c.text('页面不存在', 404);
  return respond(c, siteId, '/404.html', notFound, 404, (html) => html.replace('<head>', `<head><base href="${base}">`));
}

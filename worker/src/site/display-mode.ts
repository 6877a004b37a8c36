/**
 * 适老化模式 and 大鼠标 (issue 5). Pages are static bytes in R2, so a reader's display preferences live in
 * cookies and are applied at serve time: the header's switch links (sites/src/components/Header.astro) go to
 * `/_mode`, which sets or clears the cookie and sends the reader back (303) to the page they came from; pages
 * served to a reader with a cookie are rewritten on the way out (HTMLRewriter) to carry `<html data-mode="elder">`
 * and/or `data-cursor="large"`, which the stylesheet keys on, and to turn each switch link into its opposite.
 * Works without JavaScript. A request without our cookies takes none of this (no parse, no rewrite).
 */
import type { Context } from 'hono';
import { z } from 'zod';
import type { AppEnv } from '../env.ts';

export const MODE_COOKIE = 'ywtc_mode';
export const CURSOR_COOKIE = 'ywtc_cursor';
const ONE_YEAR = 31_536_000;

export interface DisplayPrefs {
  elder: boolean;
  largeCursor: boolean;
}

/** The reader's preferences from the Cookie header, or null for the default display (the fast path). */
export function displayPrefs(cookie: string | undefined): DisplayPrefs | null {
  if (!cookie || !cookie.includes('ywtc_')) return null;
  let elder = false;
  let largeCursor = false;
  for (const part of cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === MODE_COOKIE) elder = value === 'elder';
    else if (name === CURSOR_COOKIE) largeCursor = value === 'large';
  }
  return elder || largeCursor ? { elder, largeCursor } : null;
}

/** The variant's ETag: the content hash, suffixed per display so a cached copy of one mode never validates another. */
export function variantEtag(hash: string, prefs: DisplayPrefs | null): string {
  if (!prefs) return `"${hash}"`;
  return `"${hash}${prefs.elder ? '-elder' : ''}${prefs.largeCursor ? '-cursor' : ''}"`;
}

/** Labels of the switch links; the rendered page carries the "off" state (the default display). */
export const SWITCH_TEXT = {
  mode: { on: '退出适老化', off: '适老化模式' },
  cursor: { on: '标准鼠标', off: '大鼠标' },
} as const;

/**
 * Rewrites a page for the reader's display: attributes on <html> and the switch links flipped (text and target;
 * they are links, so no aria-pressed). The stylesheet does the rest. Streams: nothing is buffered.
 */
export function rewriteForDisplay(res: Response, prefs: DisplayPrefs): Response {
  const rewriter = new HTMLRewriter().on('html', {
    element(el) {
      if (prefs.elder) el.setAttribute('data-mode', 'elder');
      if (prefs.largeCursor) el.setAttribute('data-cursor', 'large');
    },
  });
  if (prefs.elder) rewriter.on('a[data-switch="mode"]', flip('set=elder', 'set=standard', SWITCH_TEXT.mode.on));
  if (prefs.largeCursor) rewriter.on('a[data-switch="cursor"]', flip('cursor=large', 'cursor=standard', SWITCH_TEXT.cursor.on));
  return rewriter.transform(res);
}

function flip(from: string, to: string, text: string): HTMLRewriterElementContentHandlers {
  return {
    element(el) {
      const href = el.getAttribute('href');
      if (href) el.setAttribute('href', href.replace(from, to));
      el.setInnerContent(text);
    },
  };
}

/**
 * A path inside the site to go back to: starts with one '/', no scheme or host can hide in it (no '//' start,
 * no backslash, no whitespace or control characters, no fragment), no '.'/'..' segments.
 */
export const SameSitePath = z
  .string()
  .max(2000)
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  .regex(/^\/(?![/\\])[^\\\s#\u0000-\u001f\u007f]*$/, '必须是本站内以 / 开头的路径')
  .refine(
    (p) =>
      !p
        .split('?')[0]!
        .split('/')
        .some((s) => s === '..' || s === '.' || /^%2e%2e$|^\.%2e$|^%2e\.$/i.test(s)),
    '路径中不能有 . 或 .. 段',
  );

const ModeQuery = z
  .object({
    set: z.enum(['elder', 'standard']).optional(),
    cursor: z.enum(['large', 'standard']).optional(),
    back: SameSitePath.default('/'),
  })
  .refine((q) => (q.set === undefined) !== (q.cursor === undefined), { message: '需要 set（elder|standard）或 cursor（large|standard）之一', path: ['set'] });

const cookie = (name: string, value: string | null) =>
  value === null ? `${name}=; Path=/; Max-Age=0; SameSite=Lax` : `${name}=${value}; Path=/; Max-Age=${ONE_YEAR}; SameSite=Lax`;

/**
 * GET /_mode?set=elder|standard&back=<path> or ?cursor=large|standard&back=<path>: sets (or, for standard,
 * clears) the cookie and answers 303 to `back` under `base` ('/' at the site's host, '/_site/<domain>/' in the
 * preview). Never redirects off the site; bad input gets 400 naming the field.
 */
export function modeSwitch(c: Context<AppEnv>, base: string): Response {
  const q = ModeQuery.safeParse(c.req.query());
  if (!q.success) {
    const issue = q.error.issues[0]!;
    return c.json({ error: 'invalid', field: issue.path.map(String).join('.') || 'query', message: issue.message }, 400, { 'Cache-Control': 'no-store' });
  }
  const { set, cursor, back } = q.data;
  const headers = new Headers({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  if (set) headers.append('Set-Cookie', cookie(MODE_COOKIE, set === 'elder' ? 'elder' : null));
  if (cursor) headers.append('Set-Cookie', cookie(CURSOR_COOKIE, cursor === 'large' ? 'large' : null));
  // Non-ASCII (the query is decoded) goes back percent-encoded; everything else is as validated.
  headers.set('Location', base + back.slice(1).replace(/[^\x21-\x7e]+/g, (s) => encodeURIComponent(s)));
  return new Response(null, { status: 303, headers });
}

/**
 * Allow-list HTML sanitizer for document bodies. Runs in the Worker (no DOM there) and in Node, so it is a
 * small tokenizer rather than a DOM library: every tag not on the list is dropped (its text kept, except for
 * script-like elements whose content is dropped too), every attribute not on the list is dropped, URLs must be
 * http(s), mailto, tel, relative or fragment, and all text is re-escaped.
 */
import { stripControls } from './text.ts';
import { lookup } from './lookup.ts';
const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const ALLOWED_TAGS: Record<string, readonly string[]> = {
  p: ['class'],
  br: [],
  h2: ['id'],
  h3: ['id'],
  h4: ['id'],
  strong: [],
  b: [],
  em: [],
  i: [],
  u: [],
  sub: [],
  sup: [],
  ul: [],
  ol: ['start'],
  li: [],
  blockquote: [],
  pre: [],
  code: [],
  hr: [],
  a: ['href', 'title'],
  img: ['src', 'alt', 'width', 'height'],
  table: ['class'],
  thead: [],
  tbody: [],
  tr: [],
  th: ['colspan', 'rowspan', 'scope'],
  td: ['colspan', 'rowspan'],
  caption: [],
  figure: [],
  figcaption: [],
  span: ['class'],
  div: ['class'],
};
const VOID = new Set(['br', 'hr', 'img']);
// Elements with content only: a void one here (<embed>) would swallow everything after it, as it never closes.
const DROP_WITH_CONTENT = new Set([
  'script',
  'style',
  'iframe',
  'object',
  'template',
  'noscript',
  'svg',
  'math',
  'textarea',
  'select',
  'title',
  'xmp',
  'noembed',
  'noframes',
]);
const URL_ATTRS = new Set(['href', 'src']);

export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp|#39);?/gi, (_m, e: string) => {
    const k = e.toLowerCase();
    if (k.startsWith('#')) {
      const n = k.startsWith('#x') ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10);
      return String.fromCodePoint(n > 0 && n <= 0x10ffff ? n : 0xfffd); // out of range would throw
    }
    return lookup(NAMED_ENTITIES, k) ?? '';
  });
}

/** `decoded` is the attribute value with entities already decoded (once: decoding twice would turn &amp;amp; into &). */
function safeUrl(decoded: string): string | null {
  // Strip control characters and whitespace browsers ignore inside schemes ("java\tscript:").
  // eslint-disable-next-line no-control-regex -- control characters are what this removes
  const url = decoded.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  if (/^(https?:|mailto:|tel:)/i.test(url)) return url;
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return null; // javascript:, data:, vbscript: ...
  return url;
}

// Unquoted attribute text excludes '<' and quoted values are bounded, so "<a<a<a…" without a '>' fails fast
// instead of backtracking quadratically over the rest of the input.
const TAG_RE = /<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^<>"']|"[^"]{0,4096}"|'[^']{0,4096}')*)>|<[!?][^>]*>?/g;
const ATTR_RE = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

export function sanitizeHtml(input: string): string {
  let out = '';
  let last = 0;
  const open: string[] = [];
  let dropping: string | null = null;
  for (const m of input.matchAll(TAG_RE)) {
    const text = input.slice(last, m.index);
    if (!dropping) out += escapeHtml(decodeEntities(text));
    last = m.index + m[0].length;
    const [, close, rawName, rawAttrs] = m;
    if (!rawName) continue; // comment, doctype, processing instruction
    const name = rawName.toLowerCase();
    if (dropping) {
      if (close && name === dropping) dropping = null;
      continue;
    }
    if (DROP_WITH_CONTENT.has(name)) {
      if (!close && !/\/\s*$/.test(rawAttrs ?? '')) dropping = name;
      continue;
    }
    const allowed = lookup(ALLOWED_TAGS, name);
    if (!allowed) continue;
    if (close) {
      const at = open.lastIndexOf(name);
      if (at === -1) continue;
      while (open.length > at) out += `</${open.pop() ?? ''}>`;
      continue;
    }
    let attrs = '';
    for (const a of (rawAttrs ?? '').matchAll(ATTR_RE)) {
      const attr = a[1]!.toLowerCase();
      if (!allowed.includes(attr)) continue;
      let value = decodeEntities(a[2] ?? a[3] ?? a[4] ?? '');
      if (URL_ATTRS.has(attr)) {
        const safe = safeUrl(value);
        if (safe === null) continue;
        value = safe;
      }
      attrs += ` ${attr}="${escapeHtml(value)}"`;
    }
    if (name === 'a' && /href="https?:/.test(attrs)) attrs += ' rel="noopener noreferrer"';
    out += `<${name}${attrs}>`;
    if (!VOID.has(name)) open.push(name);
  }
  if (!dropping) out += escapeHtml(decodeEntities(input.slice(last)));
  while (open.length) out += `</${open.pop() ?? ''}>`;
  // Characters XML cannot carry (text.ts), written raw or as entities (&#0;): gone from the stored body.
  return stripControls(out);
}

/** Plain text (paragraphs separated by newlines) as safe HTML paragraphs. */
export function textToHtml(text: string): string {
  return text
    .split(/\n+/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => `<p>${escapeHtml(l)}</p>`)
    .join('\n');
}

/** Visible text of sanitized HTML, for summaries and search. */
export function htmlToText(html: string): string {
  return decodeEntities(html.replace(/<\/(p|h[2-4]|li|tr|div|blockquote)>/gi, '\n').replace(/<[^>]*>/g, ''))
    .replace(/\n{2,}/g, '\n')
    .trim();
}

/**
 * The text near-duplicate detection compares (issue 15, 数据融合): what is left of a notice once everything a
 * reposting site adds or changes without changing the notice is taken away — tags and their formatting, the
 * page's header and footer lines (来源, 责任编辑, 浏览次数, 【打印】【关闭】, 扫一扫…), full- and half-width forms,
 * whitespace and punctuation. No DOM: this runs in the Worker's importer as well as in Node.
 */

/** What normalisation gives: the title and the body as the strings that are hashed and compared. */
export interface DedupeNormalised {
  title: string;
  body: string;
}

// Tags that end a line in the browser: the header/footer rules work line by line, whatever the markup.
const BLOCK_TAGS =
  /<\/?(?:p|div|br|li|ul|ol|tr|td|th|table|tbody|thead|h[1-6]|section|article|header|footer|nav|aside|blockquote|hr|dd|dt|dl|pre|center|form)\b[^>]*>/gi;
// Content that is never the notice's text.
const INVISIBLE = /<(script|style|noscript|template|iframe|head)\b[^>]*>[\s\S]*?<\/\1\s*>|<!--[\s\S]*?-->/gi;
const ANY_TAG = /<\/?[a-zA-Z][^>]*>/g;
const ENTITY = /&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi;

// Named entities seen in CMS exports of Chinese government pages; anything else is left as written.
const NAMED: Record<string, string> = {
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  ldquo: '“',
  rdquo: '”',
  lsquo: '‘',
  rsquo: '’',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  middot: '·',
  bull: '•',
  times: '×',
  divide: '÷',
  deg: '°',
  plusmn: '±',
  laquo: '«',
  raquo: '»',
  yen: '¥',
  copy: '©',
  reg: '®',
};

function decodeEntity(whole: string, name: string): string {
  if (name[0] === '#') {
    const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  }
  return NAMED[name.toLowerCase()] ?? whole;
}

/** The visible text of an HTML fragment, one line per block; plain text passes through unchanged. */
export function htmlToLines(html: string): string[] {
  const text = html.replace(INVISIBLE, '\n').replace(BLOCK_TAGS, '\n').replace(ANY_TAG, '').replace(ENTITY, decodeEntity);
  return text.normalize('NFKC').split(/\n+/);
}

// A label with a colon that opens a page's metadata line rather than a sentence of the notice. Only short lines
// count (BOILERPLATE_MAX_LINE): a paragraph that happens to start with 来源 is the notice's own text.
const LABELLED =
  /^[【[(]?(?:信息来源|文章来源|稿件来源|新闻来源|来源|出处|作者|撰稿|责任编辑|编辑|审核|审校|校对|责编|发布时间|发布日期|发布机构|更新时间|更新日期|浏览次数|浏览量|阅读次数|阅读量|访问量|访问次数|点击数|点击量|点击率|字号|字体|分享到|分享|索引号|主题分类|发文机关|成文日期|标题|当前位置|您当前的位置|您现在的位置|您的位置|所在位置|上一篇|下一篇|相关链接|本文链接|原文链接)\s*[:：]/;
// A line made only of page buttons and their separators: 【打印】【关闭】, 字号 大 中 小, 分享到 微信 微博 …
const BUTTONS =
  /^(?:[\s【】[\]()|｜丨/·•>»:：]*(?:打印本页|打印此页|打印|关闭窗口|关闭本页|关闭|返回顶部|回到顶部|返回|收藏本页|加入收藏|收藏|保存|我要纠错|纠错|字号|字体|大|中|小|默认|分享到|分享|微信|微博|QQ空间|QQ|朋友圈|复制链接|链接|扫一扫在手机打开当前页|扫一扫在手机上查看当前页面|扫一扫|手机查看|无障碍|长者模式))+[\s【】[\]()|｜丨/·•:：]*$/i;
const SCAN_PROMPT = /^(?:扫一扫|用微信扫|手机扫)/;
const SCAN_PHRASE = /扫一扫在手机上?(?:打开|查看)当前页面?/g;
// Page furniture that some exports run into the article's last line (…指挥部 2020年2月8日 扫一扫在手机打开当前页):
// cut out wherever it stands, so the line's own text (a 落款 and its date) stays.
const INLINE_FURNITURE =
  /扫一扫在手机(?:上)?(?:打开|查看)当前页(?:面)?|【\s*(?:打印本页|打印|关闭窗口|关闭|字号\s*[:：]?\s*大\s*中\s*小|大\s*中\s*小|返回顶部)\s*】/g;

/** Lines longer than this are the notice's text even when they open with a header label. */
export const BOILERPLATE_MAX_LINE = 80;

/** Whether a line (already NFKC, trimmed) is a page's header or footer rather than the notice. */
export function isBoilerplateLine(line: string): boolean {
  if (line.length > BOILERPLATE_MAX_LINE) return false;
  return LABELLED.test(line) || BUTTONS.test(line) || SCAN_PROMPT.test(line);
}

// Letters and digits are the notice; everything else (spaces, punctuation, symbols, 、。“” in any width) is
// formatting a reposting site may change. A point between digits is kept: 1.5 and 15 are different numbers.
// A loop rather than a /[^\p{L}\p{N}]/u replace: this runs on every imported document and the loop is ~4× faster.
const OTHER_LETTER = /[\p{L}\p{N}]/u;
const STRAY_POINT = /\.(?!\d)/g;
function squeeze(line: string): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a)) out += line[i];
    else if (c >= 0x41 && c <= 0x5a) out += String.fromCharCode(c + 32);
    else if (c === 0x2e) {
      // Kept after a digit; normaliseForDedupe drops it again unless a digit follows (spaces may sit between).
      const last = out.charCodeAt(out.length - 1);
      if (last >= 0x30 && last <= 0x39) out += '.';
    } else if (c > 0x7f && c !== 0x3001 && c !== 0x3002 && !(c >= 0x2000 && c <= 0x206f)) {
      // Other letters and digits (〇, 々, accented Latin, surrogate pairs); 、。 and the General Punctuation block skip the test.
      const ch = c >= 0xd800 && c <= 0xdbff ? line.slice(i, i + 2) : line[i]!;
      if (OTHER_LETTER.test(ch)) out += ch;
      i += ch.length - 1;
    }
  }
  return out;
}

/** The title and body as compared for near duplicates: header/footer lines dropped, no spaces, no punctuation. */
export function normaliseForDedupe(title: string, bodyHtml: string): DedupeNormalised {
  const t = squeeze(htmlToLines(title).join('')).replace(STRAY_POINT, '');
  const kept: string[] = [];
  for (const raw of htmlToLines(bodyHtml)) {
    const line = raw.replace(INLINE_FURNITURE, ' ').trim();
    if (!line || isBoilerplateLine(line.replace(/\s+/g, ' '))) continue;
    // …and once more without spaces, which a reposting site may have put inside the phrase.
    const s = squeeze(line).replace(SCAN_PHRASE, '');
    if (s) kept.push(s);
  }
  // Some sites repeat the title at the top of the body (on one line or broken over several, even twice), others do not.
  let body = kept.join('').replace(STRAY_POINT, '');
  while (t && body.startsWith(t)) body = body.slice(t.length);
  return { title: t, body };
}

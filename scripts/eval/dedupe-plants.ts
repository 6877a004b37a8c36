/**
 * The planted pairs of `npm run eval:dedupe`, built deterministically (seeded) from the repo's real documents
 * (scripts/seed/data: policies, 广西 policies, the Q&A source news): reposts of one notice as other sites would
 * show it (positives), and different notices that look alike (negatives) — real documents of one issuer with
 * similar titles, the closest real pairs by SimHash, and synthetic template variants that differ only in a unit,
 * a date, a number or a name. Nothing here reads the library's thresholds.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { readJsonl } from '../lib/jsonl.ts';
import { ROOT } from '../lib/platform.ts';
import { TYPO_CHARS } from '@ywtc/search/typo-chars';
import { rng as mulberry32 } from '../lib/rng.ts';

export interface Doc {
  id: string;
  title: string;
  issuer: string;
  /** Plain text, one paragraph a line, as the data holds it. */
  text: string;
}

export type Split = 'dev' | 'test';
export interface Pair {
  kind: string;
  duplicate: boolean;
  split: Split;
  a: { title: string; html: string; id: string };
  b: { title: string; html: string; id: string };
}

/** dev or test by a hash of the document id: stable, independent of the order of the files. */
export const splitOf = (id: string): Split => (createHash('sha256').update(id).digest().readUInt32BE(0) / 2 ** 32 < 0.5 ? 'dev' : 'test');

/** The seeded generator (scripts/lib/rng.ts) with integer and pick helpers, so every run plants the same pairs. */
export function rng(seed: number) {
  const next = mulberry32(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  return { next, int, pick };
}
export type Rng = ReturnType<typeof rng>;

export function loadDocs(): Doc[] {
  const data = join(ROOT, 'scripts/seed/data');
  type Policy = { id: string; title: string | null; issuer: string | null; body: string };
  type News = { docid: string; title_guess: string; text: string };
  const docs: Doc[] = [];
  for (const f of ['policies.jsonl', 'policies-gx.jsonl'])
    for (const d of readJsonl<Policy>(join(data, f))) docs.push({ id: d.id, title: d.title ?? '', issuer: d.issuer ?? '', text: d.body });
  // The news items are one paragraph; cut them at sentence ends so the HTML variants have paragraphs to reshape.
  for (const d of readJsonl<News>(join(data, 'qa-source-docs.jsonl')))
    docs.push({ id: d.docid, title: d.title_guess ?? '', issuer: '新华社', text: d.text.replace(/。\s*/g, '。\n') });
  const seen = new Set<string>();
  return docs.filter((d) => d.text.trim().length >= 40 && !seen.has(d.text) && seen.add(d.text));
}

const paragraphs = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** The original as its issuing site would serve it: one <p> per paragraph. */
export const asHtml = (text: string) =>
  paragraphs(text)
    .map((p) => `<p>${p}</p>`)
    .join('\n');

// ——— positives: the same notice as another site shows it ———

const SITES = ['广西壮族自治区人民政府门户网站', '南宁市人民政府', '中国政府网', '柳州市人民政府网', '广西壮族自治区发展和改革委员会', '桂林市人民政府'];
const EDITORS = ['张伟', '李娜', '黄海燕', '韦小宁', '陆建华', '覃明'];

function header(r: Rng, title: string): string[] {
  const lines = [
    `来源：${r.pick(SITES)}`,
    `发布时间：20${20 + r.int(5)}-0${1 + r.int(9)}-${10 + r.int(18)} ${10 + r.int(9)}:${10 + r.int(49)}`,
    `浏览次数：${r.int(20000)}`,
    '字号：大 中 小',
    `【字体：大 中 小】`,
    `当前位置：首页 > 政务公开 > 政策文件`,
    `信息来源：${r.pick(SITES)}　　发布日期：2024年${1 + r.int(12)}月${1 + r.int(28)}日　　【字号 大 中 小】`,
  ];
  const chosen = lines.filter(() => r.next() < 0.5);
  // Some sites print the title again at the top of the body.
  return r.next() < 0.5 ? [title, ...chosen] : chosen;
}

function footer(r: Rng): string[] {
  const lines = [
    '【打印本页】【关闭窗口】',
    '【打印】 【关闭】',
    `责任编辑：${r.pick(EDITORS)}`,
    '扫一扫在手机打开当前页',
    '分享到：微信 微博 QQ空间',
    `（责任编辑：${r.pick(EDITORS)}）`,
    '返回顶部',
  ];
  return lines.filter(() => r.next() < 0.5);
}

const withFrame = (r: Rng, title: string, text: string) => [...header(r, title), ...paragraphs(text), ...footer(r)].join('\n');

/** Different markup for the same paragraphs: <p> with styles, <br>, <div>, nbsp indents, spans. */
function reformat(r: Rng, text: string): string {
  const ps = paragraphs(text);
  switch (r.int(4)) {
    case 0:
      return ps.map((p) => `<p style="text-indent:2em;line-height:1.8"><span style="font-size:16px">${p}</span></p>`).join('');
    case 1:
      return ps.map((p) => `&nbsp;&nbsp;&nbsp;&nbsp;${p}`).join('<br/>\n');
    case 2:
      return `<div class="TRS_Editor">${ps.map((p) => `<div>\u3000\u3000${p.replace(/，/g, '，<font>').replace(/。/g, '。</font>')}</div>`).join('\n')}</div>`;
    default:
      return `<table><tr><td>${ps.map((p) => `<p align="justify">&ensp;${p}</p>`).join('\n')}</td></tr></table>`;
  }
}

/** Spaces, full-width spaces, broken and joined lines. */
function rewhite(r: Rng, text: string): string {
  let out = '';
  for (const ch of text) {
    out += ch;
    const x = r.next();
    if (x < 0.02) out += ' ';
    else if (x < 0.03) out += '\u3000';
    else if (x < 0.035 && ch === '。') out += '\n';
  }
  return out.replace(/\n/g, () => (r.next() < 0.3 ? '' : '\n\n  '));
}

const PUNCT: [string, string][] = [
  ['，', ','],
  ['；', ';'],
  ['：', ':'],
  ['（', '('],
  ['）', ')'],
  ['“', '"'],
  ['”', '"'],
  ['！', '!'],
  ['？', '?'],
];
const repunctuate = (r: Rng, text: string) => PUNCT.reduce((t, [full, half]) => (r.next() < 0.5 ? t.replaceAll(full, half) : t), text);

// Typos to fix: a character from the confusion list (either direction), a dropped or a doubled character.
const CONFUSED = new Map<string, string[]>();
for (const line of TYPO_CHARS.split('\n')) {
  const [wrong, ...meant] = [...line];
  if (!wrong) continue;
  for (const m of meant) {
    CONFUSED.set(m, [...(CONFUSED.get(m) ?? []), wrong]);
    CONFUSED.set(wrong, [...(CONFUSED.get(wrong) ?? []), m]);
  }
}
const NUMERAL = /[〇零一二三四五六七八九十百千万亿两]/;
function typos(r: Rng, text: string, n: number): string {
  const chars = [...text];
  for (let done = 0, tries = 0; done < n && tries < 200; tries++) {
    const i = r.int(chars.length);
    const c = chars[i]!;
    if (!/\p{Script=Han}/u.test(c) || NUMERAL.test(c)) continue;
    const kind = r.int(4);
    if (kind <= 1 && CONFUSED.has(c))
      chars[i] = r.pick(
        CONFUSED.get(c)!
          .filter((x) => !NUMERAL.test(x))
          .concat(c),
      );
    else if (kind === 2) chars[i] = '';
    else if (kind === 3) chars[i] = c + c;
    else continue;
    done++;
  }
  return chars.join('');
}

/** Footer boilerplate cut off mid-line, as a site that truncates its export. */
function truncatedFooter(r: Rng, text: string): string {
  const tail = footer(r).join('\n') || '【打印】【关闭】\n扫一扫在手机打开当前页';
  return asHtml(text) + '\n' + tail.slice(0, 1 + r.int(tail.length));
}

export const POSITIVE_KINDS = ['whitespace', 'header-footer', 'html', 'punctuation', 'typos', 'truncated-footer', 'combined'] as const;

export function repost(kind: (typeof POSITIVE_KINDS)[number], r: Rng, d: Doc): string {
  switch (kind) {
    case 'whitespace':
      return rewhite(r, d.text);
    case 'header-footer':
      return asHtml(withFrame(r, d.title, d.text));
    case 'html':
      return reformat(r, d.text);
    case 'punctuation':
      return asHtml(repunctuate(r, d.text));
    case 'typos':
      return asHtml(typos(r, d.text, 1 + r.int(3)));
    case 'truncated-footer':
      return truncatedFooter(r, d.text);
    case 'combined':
      // The page's header and footer sit in elements of their own: whitespace edits happen inside the article.
      return reformat(r, withFrame(r, d.title, rewhite(r, repunctuate(r, typos(r, d.text, r.int(2))))));
  }
}

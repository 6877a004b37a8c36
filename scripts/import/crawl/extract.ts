/**
 * One article page → one import record (cms-schema/src/import.ts). Each field is looked for where the config's
 * selectors say, then in the 政务公开 block, then in the national meta tags (ArticleTitle, PubDate, ContentSource).
 * A field that is found but does not fit the platform's format (an 索引号 of another shape) is left out with a note
 * rather than failing the whole record; a page without a publish time is passed on without one, so the store reports
 * it instead of the crawler inventing a date.
 */
import { DocNumberSchema, IndexNumberSchema, parseChineseDate, type DocumentKind, type ImportDocumentInput } from '@ywtc/cms-schema';
import type { CrawlColumn, CrawlSource } from './config.ts';
import { all, firstMatch, innerHtml, metaContent, one, squash, textOf, type Document, type Element } from './dom.ts';
import { readGovInfo } from './gov-info.ts';
import { hostAllowed, normalizeUrl } from './url.ts';

export interface AttachmentLink {
  url: string;
  name: string;
}

/** An import record whose publish time may be missing: the store refuses and reports it, the crawler never invents one. */
export type CrawledRecord = Omit<ImportDocumentInput, 'publishedAt'> & { publishedAt?: string };

export interface Extracted {
  ok: true;
  record: CrawledRecord;
  attachmentLinks: AttachmentLink[];
  /** Fields found but left out, in Chinese, for the import report. */
  notes: string[];
}
export type ExtractResult = Extracted | { ok: false; reason: string };

export const ATTACHMENT_EXTENSIONS = /\.(pdf|docx?|xlsx?|pptx?|wps|et|dps|ofd|zip|rar|7z|txt|csv)$/i;

/** `<base href>` if the page has one, else the page's own address. */
export function baseUrlOf(doc: Document, pageUrl: string): string {
  const href = one('base[href]', doc)?.attribs.href;
  return (href && normalizeUrl(href, pageUrl)) || pageUrl;
}

/** "标题_南宁市人大网" / "标题 - 网站名" → the longest part, which is the page's own title rather than the site's. */
export function titleFromTitleTag(s: string): string {
  const parts = s
    .split(/\s*(?:_|\||｜|——|\s[-–—]\s)\s*/)
    .map(squash)
    .filter(Boolean);
  return parts.reduce((a, b) => (b.length > a.length ? b : a), '');
}

const dateText = (s: string): string | null => {
  const p = parseChineseDate(s);
  return p ? (p.time ? `${p.date} ${p.time}` : p.date) : null;
};

const stripLabel = (s: string): string => squash(s.replace(/^\s*(?:信息)?来源\s*[:：]\s*/, ''));

/** Old docs write 发文字号 with any brackets ([2021], （2021）, 【2021】); the platform stores 〔2021〕. */
export const canonicalDocNumber = (s: string): string =>
  squash(s)
    .replace(/\s/g, '')
    .replace(/[[［(（【〔{]\s*(\d{4})\s*[\]］)）】〕}]/, '〔$1〕');

function validityOf(s: string): '有效' | '失效' | '废止' | null {
  if (s.includes('废止')) return '废止';
  if (s.includes('失效')) return '失效';
  if (s.includes('有效')) return '有效';
  return null;
}

/** Makes every link and image in the body absolute, so the store can map old addresses to new ones. */
function absolutize(body: Element, base: string): void {
  for (const el of all('[href], [src]', body)) {
    for (const attr of ['href', 'src'] as const) {
      const v = el.attribs[attr];
      if (v === undefined || /^\s*(#|javascript:|mailto:|tel:|data:)/i.test(v)) continue;
      const abs = normalizeUrl(v, base);
      if (abs) el.attribs[attr] = abs;
    }
  }
}

function attachmentLinks(doc: Document, body: Element, config: CrawlSource, base: string): AttachmentLink[] {
  const anchors = new Set<Element>(all('a[href]', body));
  for (const sel of config.selectors.attachments) {
    for (const el of all(sel, doc)) {
      if (el.name === 'a' && el.attribs.href) anchors.add(el);
      else for (const a of all('a[href]', el)) anchors.add(a);
    }
  }
  const found = new Map<string, AttachmentLink>();
  for (const a of anchors) {
    const url = normalizeUrl(a.attribs.href!, base);
    if (!url || found.has(url) || !ATTACHMENT_EXTENSIONS.test(new URL(url).pathname) || !hostAllowed(url, config.allowHosts)) continue;
    const file = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    found.set(url, { url, name: (textOf(a) || a.attribs.title || file).slice(0, 200) });
  }
  return [...found.values()];
}

export function extractDocument(doc: Document, pageUrl: string, config: CrawlSource, column: CrawlColumn): ExtractResult {
  const notes: string[] = [];
  const base = baseUrlOf(doc, pageUrl);
  const sel = config.selectors;

  const titleTag = one('title', doc);
  const titleEl = firstMatch(sel.title, doc);
  const title = (titleEl && textOf(titleEl)) || metaContent(doc, 'ArticleTitle') || (titleTag ? titleFromTitleTag(textOf(titleTag)) : '');
  if (!title) return { ok: false, reason: '未找到标题（selectors.title、meta ArticleTitle、<title> 都没有）' };

  const body = firstMatch(sel.body, doc, (el) => textOf(el).length > 0 || all('img, a[href]', el).length > 0);
  if (!body) return { ok: false, reason: '未找到正文（selectors.body 无一匹配）' };

  const gov = readGovInfo(doc, sel.govInfoTable);

  let publishedAt: string | null = null;
  let infoText = '';
  for (const s of sel.publishedAt) {
    for (const el of all(s, doc)) {
      const t = textOf(el);
      infoText ||= t;
      publishedAt = dateText(t);
      if (publishedAt) {
        infoText = t;
        break;
      }
    }
    if (publishedAt) break;
  }
  publishedAt ??= (gov.issuedOn && dateText(gov.issuedOn)) || dateText(metaContent(doc, 'PubDate') ?? '') || null;

  const sourceEl = firstMatch(sel.source, doc);
  const source =
    (sourceEl && stripLabel(textOf(sourceEl))) || gov.source || metaContent(doc, 'ContentSource') || /来源\s*[:：]\s*([^\s]+)/.exec(infoText)?.[1] || null;

  const record: CrawledRecord = {
    sourceId: pageUrl,
    siteId: config.siteId,
    column: column.column,
    kind: column.kind ?? 'article',
    title: title.slice(0, 200),
    bodyHtml: '',
    url: pageUrl,
    source: source ? source.slice(0, 120) : null,
  };
  if (publishedAt) record.publishedAt = publishedAt;

  const keep = <T>(label: string, raw: string | undefined, ok: (v: string) => T | null): T | null => {
    if (!raw) return null;
    const v = ok(raw);
    if (v === null) notes.push(`${label}“${raw.slice(0, 40)}”格式不符，未导入该字段`);
    return v;
  };
  const indexNumber = keep('索引号', gov.indexNumber, (v) => (IndexNumberSchema.safeParse(v.replace(/\s/g, '')).success ? v.replace(/\s/g, '') : null));
  const docNumber = keep('发文字号', gov.docNumber, (v) => (DocNumberSchema.safeParse(canonicalDocNumber(v)).success ? canonicalDocNumber(v) : null));
  const writtenOn = keep('成文日期', gov.writtenOn, (v) => parseChineseDate(v)?.date ?? null);
  const issuedOn = keep('发布日期', gov.issuedOn, (v) => parseChineseDate(v)?.date ?? null);
  const issuer = keep('发文机关', gov.issuer, (v) => (v.length >= 2 && v.length <= 80 ? v : null));
  const topic = keep('主题分类', gov.topic, (v) => (v.length <= 60 ? v : null));
  const validity = keep('有效性', gov.validity, validityOf);
  Object.assign(record, { indexNumber, docNumber, writtenOn, issuedOn, issuer, topic, validity });
  if (docNumber) record.kind = 'policy' satisfies DocumentKind;

  const description = metaContent(doc, 'Description');
  if (description && description !== title) record.summary = description.slice(0, 500);
  const keywords = metaContent(doc, 'Keywords');
  if (keywords) {
    record.keywords = [
      ...new Set(
        keywords
          .split(/[,，、;；\s]+/)
          .map((k) => k.trim())
          .filter((k) => k && k.length <= 30 && k !== title),
      ),
    ].slice(0, 20);
  }

  const links = attachmentLinks(doc, body, config, base);
  absolutize(body, base);
  record.bodyHtml = innerHtml(body).trim();
  return { ok: true, record, attachmentLinks: links, notes };
}

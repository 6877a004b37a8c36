/**
 * Feeds: RSS 2.0 (rss.channel.item), RSS 1.0 (rdf:RDF.item) and Atom (feed.entry), told apart by the root
 * element and read into one shape, so a source maps `id`, `title`, `body`, `published`, `author`, `link`,
 * `categories` and `enclosures` whatever the feed's dialect:
 *
 *   id          guid, else Atom id, else the link
 *   body        content:encoded / Atom content, else description / summary (HTML; Atom type="text" made HTML)
 *   published   pubDate / published / dc:date, else updated
 *   enclosures  RSS <enclosure url>, Atom <link rel="enclosure" href> → files the driver fetches
 */
import { open } from 'node:fs/promises';
import type { FileEncoding } from './decode.ts';
import type { RawEvent } from './events.ts';
import { asText, textToHtml } from './mapping.ts';
import { readXmlElements, XmlFileError } from './xml-elements.ts';

export type FeedDialect = 'rss' | 'rdf' | 'atom';

const PATHS: Record<FeedDialect, string[]> = { rss: ['rss', 'channel', 'item'], rdf: ['rdf:RDF', 'item'], atom: ['feed', 'entry'] };

/** The feed's dialect from its root element (read from the file's first 16 KB; the prolog and comments come before it). */
export async function feedDialect(path: string): Promise<FeedDialect> {
  const fh = await open(path, 'r');
  try {
    const bytes = new Uint8Array(16 * 1024);
    const { bytesRead } = await fh.read(bytes, 0, bytes.length, 0);
    // Element names are ASCII in every dialect, so the encoding does not matter here.
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, bytesRead)).replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/g, '');
    const root = /<([A-Za-z_][\w:.-]*)/.exec(head)?.[1];
    if (root === 'rss') return 'rss';
    if (root === 'rdf:RDF') return 'rdf';
    if (root === 'feed') return 'atom';
    throw new XmlFileError(`不是 RSS 或 Atom 订阅（根元素为 ${root ? `<${root}>` : '空'}，应为 <rss>、<rdf:RDF> 或 <feed>）`);
  } finally {
    await fh.close();
  }
}

type Item = Record<string, unknown>;
const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? (v as unknown[]) : [v]);
const attr = (v: unknown, name: string): string | undefined => {
  if (typeof v !== 'object' || v === null) return undefined;
  const a = (v as Item)[`@${name}`];
  return typeof a === 'string' ? a : undefined;
};
const text = (v: unknown): string | undefined => {
  const s = asText(Array.isArray(v) ? v[0] : v)?.trim();
  return s ? s : undefined;
};
const stripTags = (s: string) => s.replace(/<[^>]*>/g, '').trim();

/** Atom text constructs: type="text" is plain, "html" escaped HTML, "xhtml" markup kept by the XML reader. */
function atomHtml(v: unknown): string | undefined {
  const t = text(v);
  if (t === undefined) return undefined;
  const type = attr(Array.isArray(v) ? v[0] : v, 'type') ?? 'text';
  if (type === 'text') return textToHtml(t);
  // xhtml content sits in one <div> that is a container, not part of the text (RFC 4287 §3.1.1.3).
  return type === 'xhtml' ? t.replace(/^<div\b[^>]*>/, '').replace(/<\/div>$/, '') : t;
}

function normaliseRss(item: Item) {
  const enclosures = list(item.enclosure).flatMap((e) => {
    const url = attr(e, 'url');
    return url ? [{ url, name: decodeURIComponent(url.split('/').pop() || url) }] : [];
  });
  const link = text(item.link);
  return {
    id: text(item.guid) ?? link,
    title: text(item.title),
    link,
    body: text(item['content:encoded']) ?? text(item.description),
    summary: text(item.description),
    published: text(item.pubDate) ?? text(item['dc:date']),
    updated: text(item['dc:date']),
    author: text(item['dc:creator']) ?? text(item.author),
    categories: list(item.category)
      .map((c) => text(c) ?? attr(c, 'domain'))
      .filter((c): c is string => !!c),
    enclosures,
  };
}

function normaliseAtom(entry: Item) {
  const links = list(entry.link);
  const rel = (l: unknown) => attr(l, 'rel') ?? 'alternate';
  const link = links.map((l) => (rel(l) === 'alternate' ? attr(l, 'href') : undefined)).find(Boolean);
  const enclosures = links.flatMap((l) => {
    const href = attr(l, 'href');
    return rel(l) === 'enclosure' && href ? [{ url: href, name: attr(l, 'title') ?? decodeURIComponent(href.split('/').pop() || href) }] : [];
  });
  const title = text(entry.title);
  const titleType = attr(entry.title, 'type') ?? 'text';
  return {
    id: text(entry.id) ?? link,
    title: title && titleType !== 'text' ? stripTags(title) : title,
    link,
    body: atomHtml(entry.content) ?? atomHtml(entry.summary),
    summary: text(entry.summary),
    published: text(entry.published) ?? text(entry.updated),
    updated: text(entry.updated),
    author:
      list(entry.author)
        .map((a) => text((a as Item | undefined)?.name) ?? text(a))
        .filter(Boolean)
        .join('、') || undefined,
    categories: list(entry.category)
      .map((c) => attr(c, 'label') ?? attr(c, 'term'))
      .filter((c): c is string => !!c),
    enclosures,
  };
}

export type FeedItem = ReturnType<typeof normaliseRss>;

export async function* readFeed(
  path: string,
  options: { encoding?: FileEncoding; limit?: number; onDialect?: (d: FeedDialect) => void } = {},
): AsyncGenerator<RawEvent> {
  const dialect = await feedDialect(path);
  options.onDialect?.(dialect);
  for await (const ev of readXmlElements(path, { path: PATHS[dialect], encoding: options.encoding, limit: options.limit })) {
    if (ev.type !== 'record') {
      yield ev;
      continue;
    }
    const item = (typeof ev.value === 'object' && ev.value !== null ? ev.value : {}) as Item;
    const value: FeedItem = dialect === 'atom' ? normaliseAtom(item) : normaliseRss(item);
    yield { ...ev, value };
  }
}

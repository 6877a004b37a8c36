/**
 * What the inspector reads from one published page, in one pass of htmlparser2 (a streaming tokenizer: no DOM,
 * fast on 20k pages, forgiving with broken markup, and it runs in the Worker): the national meta tags, links,
 * images, the dates shown, the footer items, and the text of <main> (for words and typos).
 */
import { Parser } from 'htmlparser2';

export interface PageLink {
  href: string;
  text: string;
  /** Inside <main>: the page's own content, not the shared header and footer. */
  inMain: boolean;
}
export interface PageFacts {
  title: string;
  metas: Map<string, string>;
  links: PageLink[];
  images: { src: string; alt: string | null; inMain: boolean }[];
  /** Every <time>: its machine-readable value and the text shown. */
  times: { datetime: string; text: string; inMain: boolean }[];
  /** data-footer items present (sponsor, contact, idcode, icp, psb, conac, zhaocuo) and the footer's text. */
  footerItems: Set<string>;
  footerText: string;
  /** The text of <main> (or of <body> when a page has no <main>), whitespace collapsed. */
  mainText: string;
  /** The article body (the element with class `article-body` or `TRS_Editor`), when the page has one. */
  bodyText: string;
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const SKIP_TEXT = new Set(['script', 'style', 'noscript', 'template', 'svg']);
const BODY_CLASS = /(?:^|\s)(?:article-body|TRS_Editor|doc-body|zoom)(?:\s|$)/;

export function parsePage(html: string): PageFacts {
  const facts: PageFacts = {
    title: '',
    metas: new Map(),
    links: [],
    images: [],
    times: [],
    footerItems: new Set(),
    footerText: '',
    mainText: '',
    bodyText: '',
  };
  // Open elements that matter, as depths: inside <main>, inside <footer>, inside the article body, in a link, in <time>.
  const stack: string[] = [];
  let mainAt = -1;
  let footerAt = -1;
  let bodyAt = -1;
  let skipAt = -1;
  let titleOpen = false;
  let link: PageLink | null = null;
  let linkAt = -1;
  let time: { datetime: string; text: string; inMain: boolean } | null = null;
  let timeAt = -1;
  const main: string[] = [];
  const body: string[] = [];
  const footer: string[] = [];
  const all: string[] = [];
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        const depth = stack.length;
        if (!VOID.has(name)) stack.push(name);
        if (name === 'meta' && attrs.name && attrs.content !== undefined) facts.metas.set(attrs.name, attrs.content);
        else if (name === 'title') titleOpen = true;
        else if (name === 'main' && mainAt === -1) mainAt = depth;
        else if (name === 'footer' && footerAt === -1) footerAt = depth;
        else if (name === 'a' && attrs.href !== undefined) {
          link = { href: attrs.href, text: '', inMain: mainAt >= 0 };
          linkAt = depth;
        } else if (name === 'img') facts.images.push({ src: attrs.src ?? '', alt: attrs.alt ?? null, inMain: mainAt >= 0 });
        else if (name === 'time') {
          time = { datetime: attrs.datetime ?? '', text: '', inMain: mainAt >= 0 };
          timeAt = depth;
        }
        if (attrs['data-footer']) facts.footerItems.add(attrs['data-footer']);
        if (bodyAt === -1 && attrs.class && BODY_CLASS.test(attrs.class)) bodyAt = depth;
        if (skipAt < 0 && SKIP_TEXT.has(name)) skipAt = depth;
      },
      ontext(t) {
        if (titleOpen) facts.title += t;
        if (skipAt >= 0) return;
        if (link) link.text += t;
        if (time) time.text += t;
        all.push(t);
        if (mainAt >= 0) main.push(t);
        if (bodyAt >= 0) body.push(t);
        if (footerAt >= 0) footer.push(t);
      },
      onclosetag(name) {
        if (name === 'title') titleOpen = false;
        if (VOID.has(name)) return;
        // Pop to the matching element (htmlparser2 closes unclosed children itself, one event each).
        stack.pop();
        const depth = stack.length;
        if (link && depth <= linkAt) {
          link.text = link.text.replace(/\s+/g, ' ').trim();
          facts.links.push(link);
          link = null;
        }
        if (time && depth <= timeAt) {
          time.text = time.text.trim();
          facts.times.push(time);
          time = null;
        }
        if (skipAt >= 0 && depth <= skipAt) skipAt = -1;
        // -2: closed; only the first <main>, <footer> and article body count.
        if (bodyAt >= 0 && depth <= bodyAt) bodyAt = -2;
        if (mainAt >= 0 && depth <= mainAt) mainAt = -2;
        if (footerAt >= 0 && depth <= footerAt) footerAt = -2;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  const squash = (parts: string[]) => parts.join('').replace(/\s+/g, ' ').trim();
  facts.title = facts.title.trim();
  facts.mainText = squash(main.length ? main : all);
  facts.bodyText = squash(body);
  facts.footerText = squash(footer);
  return facts;
}

/** The parsed page and the few DOM operations extraction needs (htmlparser2 is forgiving: broken HTML still parses). */
import { parseDocument } from 'htmlparser2';
import type { AnyNode, Document, Element } from 'domhandler';
import { selectAll, selectOne } from 'css-select';
import { getInnerHTML, textContent } from 'domutils';

export type { Document, Element };

export const parseHtml = (html: string): Document => parseDocument(html, { decodeEntities: true });

/** Whitespace collapsed (full-width spaces and &nbsp; included), as a reader sees the text. */
export const squash = (s: string): string => s.replace(/[\s\u00a0\u3000]+/g, ' ').trim();

export const textOf = (node: AnyNode | AnyNode[]): string => squash(textContent(node));

export const all = (selector: string, root: AnyNode | AnyNode[]): Element[] => selectAll<AnyNode, Element>(selector, root);
export const one = (selector: string, root: AnyNode | AnyNode[]): Element | null => selectOne<AnyNode, Element>(selector, root);

/** The first element of the first selector that matches one with text (or, for `allowEmpty`, any). */
export function firstMatch(selectors: readonly string[], root: Document, accept: (el: Element) => boolean = (el) => textOf(el).length > 0): Element | null {
  for (const s of selectors) {
    for (const el of all(s, root)) if (accept(el)) return el;
  }
  return null;
}

/** Inner HTML with Chinese kept as characters (not &#x…; entities). */
export const innerHtml = (el: Element): string => getInnerHTML(el, { decodeEntities: true, encodeEntities: 'utf8' });

export const metaContent = (doc: Document, name: string): string | null => {
  const el = one(`meta[name="${name}" i]`, doc);
  const v = el?.attribs.content;
  return v && squash(v) ? squash(v) : null;
};

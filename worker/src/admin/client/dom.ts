/** Small DOM helpers of the admin script; every text goes in through textContent, never innerHTML. */

export const $ = <T extends Element = HTMLElement>(sel: string, root: ParentNode = document): T | null => root.querySelector<T>(sel);
export const $$ = <T extends Element = HTMLElement>(sel: string, root: ParentNode = document): T[] => Array.from(root.querySelectorAll<T>(sel));

export type Tone = 'ok' | 'err' | undefined;

/** Writes a status line (a live region in the page): the text, coloured by outcome. */
export function say(el: Element | null, text: string, kind?: Tone): void {
  if (!el) return;
  el.textContent = text;
  el.classList.remove('ok', 'err');
  if (kind) el.classList.add(kind);
}

/** The visible label of a form field, for messages that name it. */
export function labelOf(field: string): string {
  const l = document.getElementById(`label-${field}`);
  return l?.firstChild ? String(l.firstChild.textContent).trim() : field;
}

/** Adds or removes one id in an element's aria-describedby. */
export function describe(el: Element, id: string, on: boolean): void {
  const ids = (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((x) => x && x !== id);
  if (on) ids.push(id);
  if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
  else el.removeAttribute('aria-describedby');
}

/** Header and footer, rendered once per directory and open section and reused by every page there. */
import type { Chrome, PageModel } from '../src/model.ts';
import type { Renderer } from './render-calls.ts';

/**
 * The header and footer differ between a site's pages only by link depth and by which section is open, so they
 * are rendered once per (directory, section) — about twenty times a site instead of once a page. A test checks the
 * result is byte-identical to rendering them in every page.
 */
export function chromeCache(renderer: Renderer) {
  const cache = new Map<string, Promise<Chrome>>();
  return (p: PageModel): Promise<Chrome> => {
    const current = 'column' in p ? p.column.id : undefined;
    const top = current === undefined ? undefined : p.site.nav.find((n) => n.id === current || n.children.some((k) => k.id === current))?.id;
    // Relative links depend on the page's directory (a link to its own section is "./"), not just its depth.
    const dir = p.path.slice(0, p.path.lastIndexOf('/') + 1);
    const key = p.path === '/index.html' ? 'home' : `${dir}|${top ?? ''}`;
    let c = cache.get(key);
    if (!c) {
      c = renderer.chrome({ site: p.site, path: p.path, current: top });
      cache.set(key, c);
    }
    return c;
  };
}

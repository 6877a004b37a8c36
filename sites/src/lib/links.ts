/**
 * Links inside a site are relative ("../yw/"), so the same bytes work at the site's own host and under the
 * local preview prefix /_site/<domain>/ — the byte-identical guarantee the preview relies on.
 */
export function rel(from: string, to: string): string {
  const fromDir = from
    .slice(0, from.lastIndexOf('/') + 1)
    .split('/')
    .filter(Boolean);
  const target = to.split('/');
  const targetFile = to.endsWith('/') ? '' : target.pop()!;
  const targetDir = target.filter(Boolean);
  let common = 0;
  while (common < fromDir.length && common < targetDir.length && fromDir[common] === targetDir[common]) common++;
  const up = '../'.repeat(fromDir.length - common);
  const down = targetDir
    .slice(common)
    .map((s) => s + '/')
    .join('');
  return up + down + targetFile || './';
}

/** The URL path a reader sees for a stored page path: /yw/index.html is served as /yw/. */
export const publicPath = (path: string) => path.replace(/index\.html$/, '');

/** Stands for the page's own path in the shared header (chrome), filled in per page by the layout. */
export const BACK_SLOT = '__ywtc_back__';

/** The `back` of a page's display switches: its public path, URL-encoded (the 404 page sends readers home). */
export const switchBack = (path: string) => encodeURIComponent(path === '/404.html' ? '/' : publicPath(path));

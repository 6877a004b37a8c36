import { describe, expect, it } from 'vitest';
import { publicPath, rel } from '../src/lib/links.ts';

describe('rel', () => {
  it.each([
    ['/index.html', '/', './'],
    ['/index.html', '/yw/', 'yw/'],
    ['/yw/index.html', '/', '../'],
    ['/yw/a.html', '/yw/b.html', 'b.html'],
    ['/yw/a.html', '/yw/', './'],
    ['/yw/index_2.html', '/zcwj/p1.html', '../zcwj/p1.html'],
    ['/404.html', '/_astro/site.css', '_astro/site.css'],
    ['/a/b/c.html', '/a/x/', '../x/'],
  ])('from %s to %s is %s', (from, to, expected) => {
    expect(rel(from, to)).toBe(expected);
    // and it resolves back to the target under any prefix (the preview route)
    for (const prefix of ['http://h', 'http://127.0.0.1/_site/www.gxzf.gov.cn']) {
      expect(new URL(expected, prefix + from).href).toBe(prefix + to);
    }
  });
  it('serves index.html at the directory URL', () => {
    expect(publicPath('/yw/index.html')).toBe('/yw/');
    expect(publicPath('/yw/index_2.html')).toBe('/yw/index_2.html');
  });
});

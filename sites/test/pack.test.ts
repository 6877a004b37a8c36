import { describe, expect, it } from 'vitest';
import { buildPack, prepareFile } from '../publisher/pack.ts';
import type { Manifest } from '@ywtc/cms-schema';

const files = (entries: [string, string][]) => new Map(entries.map(([p, s]) => [p, prepareFile(p, new TextEncoder().encode(s))]));
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('buildPack', () => {
  it('concatenates pages and records byte ranges, content types and hashes', () => {
    const r = buildPack(
      'v1',
      files([
        ['/index.html', '首页'],
        ['/rss.xml', '<rss/>'],
      ]),
      null,
    );
    const [ver, off, len, etag, type] = r.pages['/rss.xml']!;
    expect(ver).toBe('v1');
    expect(dec(r.pack.slice(off, off + len))).toBe('<rss/>');
    expect(etag).toMatch(/^[0-9a-f]{32}$/);
    expect(type).toBe('application/rss+xml; charset=utf-8');
    expect(r.pages['/index.html']![4]).toBe('text/html; charset=utf-8');
    expect(r.pages['/index.html']![5]).toBe('identity'); // too small to be worth compressing
  });

  it('stores large text gzip-compressed, with the ETag of the original bytes', async () => {
    const html = '<p>' + '政务公开'.repeat(2000) + '</p>';
    const r = buildPack('v1', files([['/big.html', html]]), null);
    const [, off, len, etag, , encoding] = r.pages['/big.html']!;
    expect(encoding).toBe('gzip');
    expect(len).toBeLessThan(html.length / 5);
    const { gunzipSync } = await import('node:zlib');
    expect(gunzipSync(r.pack.slice(off, off + len)).toString('utf8')).toBe(html);
    expect(etag).toBe(buildPack('v1', files([['/x.txt', html]]), null).pages['/x.txt']![3]);
  });

  it('re-uses unchanged pages from the previous version and stores identical bytes once', () => {
    const v1 = buildPack(
      'v1',
      files([
        ['/a.html', 'A'],
        ['/b.html', 'B'],
      ]),
      null,
    );
    const prev: Manifest = { siteId: 's', version: 'v1', createdAt: new Date().toISOString(), pages: v1.pages };
    const v2 = buildPack(
      'v2',
      files([
        ['/a.html', 'A'],
        ['/b.html', 'B2'],
        ['/c.html', 'B2'],
      ]),
      prev,
    );
    expect(v2.pages['/a.html']).toEqual(v1.pages['/a.html']);
    expect(v2.pages['/b.html']![0]).toBe('v2');
    expect(v2.pages['/c.html']!.slice(0, 3)).toEqual(v2.pages['/b.html']!.slice(0, 3));
    expect(dec(v2.pack)).toBe('B2');
    expect(v2).toMatchObject({ changed: 1, reused: 1, removed: 0 });
    const v3 = buildPack('v3', files([['/a.html', 'A']]), prev);
    expect(v3).toMatchObject({ changed: 0, removed: 1 });
    expect(v3.pack.byteLength).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { buildPack } from '../publisher/pack.ts';
import type { Manifest } from '@ywtc/cms-schema';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('buildPack', () => {
  it('concatenates pages and records byte ranges, content types and hashes', () => {
    const r = buildPack('v1', new Map([['/index.html', enc('首页')], ['/rss.xml', enc('<rss/>')]]), null);
    const [ver, off, len, etag, type] = r.pages['/rss.xml']!;
    expect(ver).toBe('v1');
    expect(dec(r.pack.slice(off, off + len))).toBe('<rss/>');
    expect(etag).toMatch(/^[0-9a-f]{32}$/);
    expect(type).toBe('application/rss+xml; charset=utf-8');
    expect(r.pages['/index.html']![4]).toBe('text/html; charset=utf-8');
  });

  it('re-uses unchanged pages from the previous version and stores identical bytes once', () => {
    const v1 = buildPack('v1', new Map([['/a.html', enc('A')], ['/b.html', enc('B')]]), null);
    const prev: Manifest = { siteId: 's', version: 'v1', createdAt: new Date().toISOString(), pages: v1.pages };
    const v2 = buildPack('v2', new Map([['/a.html', enc('A')], ['/b.html', enc('B2')], ['/c.html', enc('B2')]]), prev);
    expect(v2.pages['/a.html']).toEqual(v1.pages['/a.html']);
    expect(v2.pages['/b.html']![0]).toBe('v2');
    expect(v2.pages['/c.html']!.slice(0, 3)).toEqual(v2.pages['/b.html']!.slice(0, 3));
    expect(dec(v2.pack)).toBe('B2');
    expect(v2).toMatchObject({ changed: 1, reused: 1, removed: 0 });
    const v3 = buildPack('v3', new Map([['/a.html', enc('A')]]), prev);
    expect(v3).toMatchObject({ changed: 0, removed: 1 });
    expect(v3.pack.byteLength).toBe(0);
  });
});

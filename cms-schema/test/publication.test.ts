import { describe, expect, it } from 'vitest';
import { unreachableVersions, type PageEntry } from '../src/index.ts';

const entry = (pack: string): PageEntry => [pack, 0, 1, 'a'.repeat(32), 'text/html; charset=utf-8', 'identity'];
const m = (version: string, pages: Record<string, string>) => ({ version, pages: Object.fromEntries(Object.entries(pages).map(([p, v]) => [p, entry(v)])) });

describe('unreachableVersions', () => {
  it('keeps the live and newest versions and every pack they point into', () => {
    const manifests = [
      m('20260101t000000z-a', { '/a.html': '20260101t000000z-a' }),
      m('20260102t000000z-b', { '/a.html': '20260101t000000z-a', '/b.html': '20260102t000000z-b' }),
      m('20260103t000000z-c', { '/a.html': '20260101t000000z-a', '/b.html': '20260103t000000z-c' }),
      m('20260104t000000z-d', { '/a.html': '20260101t000000z-a', '/b.html': '20260104t000000z-d' }),
      m('20260105t000000z-e', { '/a.html': '20260101t000000z-a', '/b.html': '20260105t000000z-e' }),
    ];
    const gone = unreachableVersions(manifests, '20260105t000000z-e', 3);
    expect(gone.manifests.sort()).toEqual(['20260101t000000z-a', '20260102t000000z-b']);
    // a's pack still holds /a.html for every kept version; b's pack is referenced by nothing kept.
    expect(gone.packs).toEqual(['20260102t000000z-b']);
  });
  it('never deletes the live version, even when older than the newest ones', () => {
    const manifests = ['1', '2', '3', '4'].map((n) => m(`2026010${n}t000000z-x`, { '/i.html': `2026010${n}t000000z-x` }));
    const gone = unreachableVersions(manifests, '20260101t000000z-x', 2);
    expect(gone.manifests).toEqual(['20260102t000000z-x']);
    expect(gone.packs).toEqual(['20260102t000000z-x']);
  });
});

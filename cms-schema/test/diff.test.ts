import { describe, expect, it } from 'vitest';
import { diffDrafts, diffLines } from '../src/index.ts';

describe('revision diff', () => {
  it('keeps common lines and marks removed and added ones', () => {
    expect(diffLines(['a', 'b', 'c'], ['a', 'x', 'c', 'd'])).toEqual([
      { op: '=', text: 'a' },
      { op: '-', text: 'b' },
      { op: '+', text: 'x' },
      { op: '=', text: 'c' },
      { op: '+', text: 'd' },
    ]);
    expect(diffLines([], ['a'])).toEqual([{ op: '+', text: 'a' }]);
    expect(diffLines(['a'], [])).toEqual([{ op: '-', text: 'a' }]);
  });
  it('lists only the fields that changed, the body as text lines', () => {
    const changes = diffDrafts(
      { title: 'T', bodyHtml: '<p>一</p><p>二</p>', keywords: ['x'] },
      { title: 'T', bodyHtml: '<p>一</p><p>三</p>', keywords: ['x', 'y'] },
    );
    expect(changes.map((c) => c.field)).toEqual(['bodyHtml', 'keywords']);
    expect(changes[0]!.lines).toEqual([
      { op: '=', text: '一' },
      { op: '-', text: '二' },
      { op: '+', text: '三' },
    ]);
  });
});

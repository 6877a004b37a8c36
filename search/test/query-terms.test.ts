import { describe, expect, it } from 'vitest';
import { termWeights } from '../src/query-terms.ts';

describe('termWeights', () => {
  const w = termWeights('绍兴市住房公积金管理中心通过哪些渠道受理业务？');
  it('counts bigrams inside words double', () => {
    for (const t of ['住房', '管理', '中心', '渠道', '受理']) expect(w.inWord.has(t), t).toBe(true);
  });
  it('keeps bigrams across word boundaries at single weight', () => {
    for (const t of ['市住', '心通', '道受']) expect(w.inWord.has(t), t).toBe(false);
    expect(w.ignore.has('市住')).toBe(false);
  });
  it('ignores question words', () => {
    expect(w.ignore.has('哪些')).toBe(true);
    expect(w.inWord.has('哪些')).toBe(false);
    expect(termWeights('复工复产有什么补贴').ignore.has('什么')).toBe(true);
  });
});

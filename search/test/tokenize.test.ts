import { describe, expect, it } from 'vitest';
import { indexText, runTokens, runs } from '../src/index.ts';

describe('tokenize', () => {
  it('turns Han runs into overlapping bigrams in text order', () => {
    expect(indexText('住房公积金')).toBe('住房 房公 公积 积金');
    expect(runTokens('社')).toEqual(['社']);
  });
  it('splits digits and Latin from Han, lower-casing them', () => {
    expect(runs('2020年2月13日APP上线')).toEqual(['2020', '年', '2', '月', '13', '日', 'APP', '上线']);
    expect(indexText('渝快办APP上线')).toBe('渝快 快办 app 上线');
  });
  it('normalises full-width forms and drops punctuation', () => {
    expect(indexText('ＡＢＣ１２３，“社保”')).toBe('abc123 社保');
  });
});

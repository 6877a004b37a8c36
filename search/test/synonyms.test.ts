import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSynonyms, phraseOf, synonymsIn } from '../src/synonyms.ts';

const groups = parseSynonyms(readFileSync(join(import.meta.dirname, '../data/synonyms.tsv'), 'utf8'));

describe('synonyms', () => {
  it('parses the reviewed dictionary, skipping comments', () => {
    expect(groups.length).toBeGreaterThan(40);
    expect(groups).toContainEqual(['社保', '社会保险']);
    expect(groups.every((g) => g.length >= 2)).toBe(true);
  });
  it('expands an abbreviation to its full form and back', () => {
    expect(synonymsIn('社保卡怎么办理', groups)).toContain('社会保险');
    expect(synonymsIn('住房公积金提取', groups)).not.toContain('住房公积金');
    expect(synonymsIn('如何提取公积金', groups)).toContain('住房公积金');
    expect(synonymsIn('天气', groups)).toEqual([]);
  });
  it('turns a term into an exact FTS5 phrase', () => {
    expect(phraseOf('社会保险')).toBe('"社会 会保 保险"');
    expect(phraseOf('？')).toBeNull();
  });
});

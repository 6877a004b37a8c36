import { describe, expect, it } from 'vitest';
import { bigramsToLookUp, suspectCharacters } from '../src/typo.ts';
import { TYPO_CHARS } from '../src/typo-chars.ts';

// A character the confusion list maps to another (the first such line), so the test follows the data.
const [wrong, right] = [
  ...TYPO_CHARS.split('\n').find(
    (l) => /^\p{Script=Han}{2}/u.test(l) && !'的了是在和与以而及等为也就都去看着过得地之其所于对把被向从到由这那有不'.includes(l[0]!),
  )!,
];

describe('suspectCharacters', () => {
  const text = `甲乙${wrong}丙丁`;
  const common = new Map([
    [`乙${right}`, 9],
    [`${right}丙`, 9],
    ['甲乙', 50],
    ['丙丁', 50],
  ]);
  it('flags a character whose bigrams no document has when the usual replacement makes common ones', () => {
    expect(suspectCharacters(text, (b) => common.get(b) ?? 0)).toEqual([{ at: 2, wrong, right, excerpt: text }]);
  });
  it('leaves it alone when its own bigrams occur, or the replacement is not common enough', () => {
    expect(suspectCharacters(text, (b) => (b === `乙${wrong}` ? 1 : (common.get(b) ?? 0)))).toEqual([]);
    expect(suspectCharacters(text, (b) => (b === `${right}丙` ? 2 : (common.get(b) ?? 0)))).toEqual([]);
  });
  it('asks only about bigrams it may need', () => {
    const asked = bigramsToLookUp(text);
    expect(asked).toEqual(expect.arrayContaining([`乙${wrong}`, `乙${right}`, `${right}丙`]));
  });
});

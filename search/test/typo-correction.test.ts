/** Typo correction of keyword queries: the confusion list first, then the typed character's homophones (typo.ts). */
import { describe, expect, it } from 'vitest';
import { correction } from '../src/typo.ts';
import { runTokens, runs } from '../src/tokenize.ts';

/** Document frequencies of a few texts' bigrams, and the index's look-up over them. */
function index(texts: string[]) {
  const df = new Map<string, number>();
  for (const t of texts) for (const b of new Set(runs(t).flatMap(runTokens))) df.set(b, (df.get(b) ?? 0) + 1);
  const asked: string[][] = [];
  const lookup = (tokens: string[]) => {
    asked.push(tokens);
    return Promise.resolve(new Map(tokens.flatMap((t) => (df.has(t) ? [[t, df.get(t)!] as const] : []))));
  };
  const known = (text: string) =>
    new Map(
      runs(text)
        .flatMap(runTokens)
        .flatMap((t) => (df.has(t) ? [[t, df.get(t)!] as const] : [])),
    );
  return { lookup, known, asked };
}
const TEXTS = ['体育用品采购', '住房公积金提取办法', '公开招聘公告', '养老保险基金', '积极推进'];
const fix = (ix: ReturnType<typeof index>, q: string, ...more: [Map<string, string[]>?, boolean?]) =>
  correction(q, runs(q).flatMap(runTokens), ix.known(q), ix.lookup, ...more);

describe('typo correction', () => {
  it('corrects a character of the same sound that the confusion list does not hold', async () => {
    const ix = index(TEXTS);
    // 踢 (ti) for 体 (ti) is in no confusion pair of the list.
    expect((await fix(ix, '踢育用品'))?.text).toBe('体育用品');
    expect(await fix(ix, '踢育用品', undefined, false)).toBeNull(); // the list alone has nothing
  });

  it('uses the confusion list first: a listed character is corrected without trying homophones', async () => {
    const ix = index(TEXTS);
    expect((await fix(ix, '养老保险基斤', new Map([['斤', ['金']]])))?.text).toBe('养老保险基金');
    expect(ix.asked).toHaveLength(1);
  });

  it('leaves a query alone when no single character makes every bigram known', async () => {
    const ix = index(TEXTS);
    expect(await fix(ix, '量子计算')).toBeNull();
    expect(await fix(ix, '公积极')).toBeNull(); // every bigram known: nothing to correct
  });
});

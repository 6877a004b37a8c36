import { describe, expect, it } from 'vitest';
import {
  CUE_MISSING,
  TITLE_SHARE,
  bestPassage,
  buildDictionary,
  questionCue,
  questionUnits,
  scorePassage,
  splitPassages,
  unitWeight,
  type WeightedUnit,
} from '../src/qa-passage.ts';
import { COLLOQUIAL } from '../src/qa-colloquial.ts';

const GROUPS = [
  ['医保', '医疗保险', '医疗保障'],
  ['养老金', '基本养老金'],
];
const dict = buildDictionary(GROUPS);
const flat = (units: { text: string; alts: readonly string[] }[]) => Object.fromEntries(units.map((u) => [u.text, [...u.alts].sort()]));
/** Every unit weighs the same: the tests below are about coverage, not about idf. */
const even = (q: string): WeightedUnit[] => questionUnits(q, dict).map((u) => ({ ...u, weight: 1 }));

describe('questionUnits', () => {
  it('reads colloquial words as the words documents use, and drops question words', () => {
    expect(flat(questionUnits('退休了养老金怎么领', dict))).toEqual({
      退休: ['退休'],
      养老金: ['养老金', '基本养老金'].sort(),
      领: ['领取'],
    });
    expect(flat(questionUnits('高龄老人有什么补贴', dict))).toEqual({ 高龄: ['高龄'], 老人: ['老人', '老年人'].sort(), 补贴: ['补助', '补贴', '津贴'].sort() });
  });

  it('keeps single characters the segmenter leaves together as bigrams, and a dictionary term inside them whole', () => {
    expect(flat(questionUnits('医保缴费期延长多久', dict))).toEqual({
      医保: ['医保', '医疗保险', '医疗保障'].sort(),
      缴费: ['缴费'],
      费期: ['费期'],
      延长: ['延长'],
    });
  });

  it('reads a one-character colloquial word only when it stands alone (领 in 领导 is not 领取)', () => {
    expect(flat(questionUnits('领导怎么安排值班', dict))).toEqual({ 领导: ['领导'], 安排: ['安排'], 值班: ['值班'] });
    expect(flat(questionUnits('补助怎么领', dict))).toEqual({ 补助: ['补助'], 领: ['领取'] });
  });

  it('uses the reviewed colloquial list: every entry names its source and maps to other words', () => {
    for (const e of COLLOQUIAL) {
      expect(e.source).toMatch(/^(术语|[A-Z][a-z]\d\d[A-Z]\d\d(, [A-Z][a-z]\d\d[A-Z]\d\d)*)$/);
      expect(e.official.length).toBeGreaterThan(0);
    }
  });
});

describe('splitPassages', () => {
  it('cuts at sentence ends, lines and numbered items; joins a heading to the next sentence; cuts a long sentence at commas', () => {
    const long = `${'各地要切实做好政策宣传和解读工作，'.repeat(12)}确保落实到位。`;
    const passages = splitPassages(`一、总则\n第一条 为了保障老年人合法权益，制定本办法。其次说明这一条的适用范围。 （二）费款缴纳。缴费人按期缴纳。\n${long}`);
    expect(passages[0]).toBe('一、总则 第一条 为了保障老年人合法权益，制定本办法。');
    expect(passages).toContain('（二）费款缴纳。缴费人按期缴纳。');
    expect(passages.filter((p) => p.includes('政策宣传')).length).toBeGreaterThan(1);
    for (const p of passages) expect([...p].length).toBeLessThanOrEqual(160);
  });
});

describe('scorePassage', () => {
  const units = even('医保缴费期延长多久');
  const cue = questionCue('医保缴费期延长多久');

  it('is 1 for a passage that holds every word, in official wording, and the time asked for', () => {
    expect(cue).toBe('time');
    expect(scorePassage(units, '2020年城乡居民基本医疗保险参保缴费期延长至宣布疫情解除后两个月内。', '通知', cue)).toBe(1);
  });

  it('loses a missing word’s weight, gives half of it when only the title has it, and is cut when the time is missing', () => {
    const missing = '城乡居民基本医疗保险参保缴费期延长，具体安排由各地医疗保障部门另行公布执行方案。';
    expect(scorePassage(units, missing, '通知', cue)).toBeCloseTo(CUE_MISSING, 5);
    const noMedical = '参保缴费期延长至宣布疫情解除后两个月内，各地要做好宣传。';
    expect(scorePassage(units, noMedical, '通知', cue)).toBeCloseTo(3 / 4, 5);
    expect(scorePassage(units, noMedical, '关于延长医保参保缴费期的通知', cue)).toBeCloseTo((3 + TITLE_SHARE) / 4, 5);
  });

  it('is 0 for a passage that only restates the question (a heading, the title line)', () => {
    expect(scorePassage(units, '医保缴费期延长', '通知', null)).toBe(0);
    expect(scorePassage(units, '关于延长医保缴费期的通知', '关于延长医保缴费期的通知', null)).toBe(0);
  });
});

describe('unitWeight', () => {
  it('weighs a unit by its most common wording, and a word no document holds most', () => {
    const df = new Map([
      ['老年', 500],
      ['年人', 520],
      ['老人', 20],
    ]);
    const [old] = questionUnits('老人', dict).filter((u) => u.text === '老人');
    expect(unitWeight(old!, df, 1000)).toBeLessThan(unitWeight({ text: '老人', alts: ['老人'] }, df, 1000));
    expect(unitWeight({ text: '量子', alts: ['量子'] }, df, 1000)).toBeGreaterThan(unitWeight({ text: '老人', alts: ['老人'] }, df, 1000));
  });
});

describe('bestPassage', () => {
  const docs = [
    {
      id: 'a',
      title: '河北省老年人优待办法',
      body: '第一条 为弘扬中华民族敬老养老助老美德，制定本办法。对八十周岁以上老年人发放高龄津贴。其中，百岁以上老年人的高龄津贴每人每月不少于三百元。',
    },
    { id: 'b', title: '关于做好春节期间值班工作的通知', body: '各单位要安排好值班人员，遇有重大情况及时报告，确保节日期间安全。' },
  ];
  it('picks the passage that covers the question, the shorter of equals, with the sentence a 其中 leans on', () => {
    const hit = bestPassage(even('高龄老人有什么补贴'), null, docs);
    expect(hit?.doc.id).toBe('a');
    expect(hit?.score).toBe(1);
    expect(hit?.passage).toBe('对八十周岁以上老年人发放高龄津贴。');
    const amount = bestPassage(even('百岁老人高龄补贴每月多少钱'), questionCue('百岁老人高龄补贴每月多少钱'), docs);
    expect(amount?.passage).toBe('对八十周岁以上老年人发放高龄津贴。其中，百岁以上老年人的高龄津贴每人每月不少于三百元。');
  });

  it('scores an unrelated question low, and answers nothing for a question with fewer than two content words', () => {
    expect(bestPassage(even('高铁票改签手续费'), null, docs)?.score ?? 0).toBeLessThan(0.5);
    expect(bestPassage(even('补贴'), null, docs)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { ANSWER_THRESHOLD, bestMatch, idf, isQuestionLike, qaIndexText, qaTokens, questionKind, similarity } from '../src/qa-match.ts';
import { qaIndexRows } from '../src/qa-d1.ts';

/** Document frequencies as the answer index would hold them for these questions. */
function statsOf(questions: string[]) {
  const df = new Map<string, number>();
  for (const q of questions) for (const t of qaTokens(q)) df.set(t, (df.get(t) ?? 0) + 1);
  return { df, n: questions.length };
}

const KB = [
  { id: 'a', question: '绍兴市住房公积金缴存职工如何申请提取公积金？' },
  { id: 'b', question: '绍兴市住房公积金缴存基数如何调整？' },
  { id: 'c', question: '国家中小学网络云平台包括哪些资源？' },
  { id: 'd', question: '受疫情影响的企业可以延期缴纳社会保险费吗？' },
  { id: 'e', question: '南充市如何降低中小企业融资成本？' },
  { id: 'f', question: '湖北省对返岗复工人员提供哪些交通保障？' },
  // Questions on common subjects, so that 企业, 中小 or 融资 weigh what they weigh in a real knowledge base.
  { id: 'g', question: '南宁市对中小企业有哪些扶持政策？' },
  { id: 'h', question: '企业复工复产需要满足哪些条件？' },
  { id: 'i', question: '小微企业融资难如何解决？' },
  { id: 'j', question: '中小企业贷款利率有何优惠？' },
  { id: 'k', question: '如何降低企业用电成本？' },
];
const { df, n } = statsOf(KB.map((e) => e.question));

describe('content tokens of a question', () => {
  it('cuts question words and particles as separators, so no bigram straddles them', () => {
    expect(qaTokens('公积金怎么提取？')).toEqual(['公积', '积金', '提取']);
    expect(qaTokens('公积金如何提取')).toEqual(qaTokens('公积金怎么提取'));
    expect(qaTokens('申请的条件是什么')).toEqual(['申请', '条件']); // 什么时候-style phrases go whole; lone 是 is dropped
    expect(qaTokens('什么时候开学')).toEqual(['开学']);
  });

  it('keeps Latin and digit words, lower-cased, and normalizes full-width forms', () => {
    expect(qaTokens('ＡＰＰ怎么下载2020年')).toEqual(['app', '下载', '2020']);
    expect(qaIndexText('公积金怎么提取？')).toBe('公积 积金 提取');
  });
});

describe('which queries get an answer look-up', () => {
  it('questions by a question word or mark, and long queries; not keywords', () => {
    expect(isQuestionLike('公积金怎么提取')).toBe(true);
    expect(isQuestionLike('公积金提取？')).toBe(true);
    expect(isQuestionLike('住房公积金提取条件和流程')).toBe(true); // 12 Han characters, no question word
    expect(isQuestionLike('公积金')).toBe(false);
    expect(isQuestionLike('公积金提取')).toBe(false);
    expect(isQuestionLike('桂政办发〔2021〕120号')).toBe(false);
    expect(isQuestionLike('怎么办？')).toBe(false); // nothing to match on
  });

  it('tells what a question asks for when it is a time, an amount, a place or a reason', () => {
    expect(questionKind('平台何时开通')).toBe('time');
    expect(questionKind('平台的开通时间是什么')).toBe('time');
    expect(questionKind('有多少人')).toBe('amount');
    expect(questionKind('要隔离多少天')).toBe(questionKind('要隔离几天')); // a duration either way
    expect(questionKind('在哪里办理')).toBe('place');
    expect(questionKind('平台包括哪些资源')).toBe(null);
  });
});

describe('similarity', () => {
  const flat = () => 1;
  it('is 1 for the same tokens, 0 for none shared, and needs both questions covered', () => {
    expect(similarity(['公积', '积金'], ['积金', '公积'], flat)).toBe(1);
    expect(similarity(['公积', '积金'], ['社保'], flat)).toBe(0);
    // A short question inside a long, different one: covers the short side fully, the long side barely.
    expect(similarity(['公积', '积金'], ['公积', '积金', '缴存', '基数', '调整', '职工', '申请', '提取'], flat)).toBeCloseTo(0.4, 5);
  });

  it('weighs rare tokens more than common ones', () => {
    const weight = (t: string) => idf(df.get(t) ?? 0, n);
    // 云平 is in one question, 企业 in six; each pair shares one token and differs in one of the same weight.
    const rareShared = similarity(['云平', '调整'], ['云平', '基数'], weight);
    const commonShared = similarity(['企业', '调整'], ['企业', '基数'], weight);
    expect(idf(0, n)).toBeGreaterThan(idf(1, n));
    expect(idf(1, n)).toBeGreaterThan(idf(2, n));
    expect(rareShared).toBeGreaterThan(commonShared);
  });
});

describe('best match among candidates', () => {
  it('answers a retyped question with a dropped character, above the threshold', () => {
    const best = bestMatch('请问绍兴市住房公积金缴存职工怎么申请提取公积', KB, df, n)!;
    expect(best.item.id).toBe('a');
    expect(best.score).toBeGreaterThanOrEqual(ANSWER_THRESHOLD);
  });

  it('prefers the entry that asks the same thing over one on the same subject', () => {
    expect(bestMatch('绍兴公积金缴存基数怎样调整', KB, df, n)!.item.id).toBe('b');
    expect(bestMatch('企业受疫情影响能否延期缴纳社会保险费', KB, df, n)!.item.id).toBe('d');
  });

  it('does not answer a question about another place, or one asking for something else', () => {
    const other = bestMatch('太原市如何降低中小企业融资成本', KB, df, n)!;
    expect(other.item.id).toBe('e');
    expect(other.score).toBeLessThan(ANSWER_THRESHOLD);
    const when = bestMatch('国家中小学网络云平台何时开通', KB, df, n)!;
    expect(when.item.id).toBe('c');
    expect(when.score).toBeLessThan(ANSWER_THRESHOLD);
    expect(bestMatch('失业保险金怎么领取', KB, df, n)?.score ?? 0).toBeLessThan(ANSWER_THRESHOLD);
  });

  it('has nothing to offer without candidates', () => {
    expect(bestMatch('公积金怎么提取', [], df, n)).toBeNull();
  });
});

describe('answer index rows for bulk loads', () => {
  it('holds approved entries only, with consecutive rowids shared by the FTS row and the id row', () => {
    const rows = qaIndexRows(
      [
        { id: 'qa-1', question: '公积金怎么提取？', status: 'approved' },
        { id: 'qa-2', question: '社保怎么缴纳？', status: 'draft' },
        { id: 'qa-3', question: '医保怎么报销？', status: 'approved' },
      ],
      10,
    );
    expect(rows.index).toEqual([
      [10, 'qa-1'],
      [11, 'qa-3'],
    ]);
    expect(rows.fts).toEqual([
      [10, '公积 积金 提取'],
      [11, '医保 报销'],
    ]);
  });
});

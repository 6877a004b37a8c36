/** The interest-tag classifier (personal/classifier.ts) and the model the Worker ships (interest-model.json). */
import { describe, expect, it } from 'vitest';
import {
  classify,
  keywordRuleClassifier,
  learnKeywordRules,
  trainClassifier,
  type ClassifierExample,
  type ClassifierModel,
} from '../src/personal/classifier.ts';
import { INTEREST_CODES } from '../src/personal/interests.ts';
import shipped from '../src/personal/interest-model.json' with { type: 'json' };

const examples: ClassifierExample[] = [
  { title: '关于做好中小学校教师培训工作的通知', text: '各学校要组织教师参加培训，提高教学水平，关心学生成长。', labels: ['edu'] },
  { title: '关于加强学生资助工作的意见', text: '学校应当做好家庭经济困难学生的资助，保障学生顺利入学。', labels: ['edu'] },
  { title: '关于规范义务教育学校招生的通知', text: '义务教育学校招生入学要公平，教师和学生的权益受到保护。', labels: ['edu'] },
  { title: '关于做好春季农业生产工作的通知', text: '各地要抓好粮食生产，保护耕地，支持农民种粮，发展农村产业。', labels: ['farm'] },
  { title: '关于加强耕地保护的意见', text: '严格耕地保护，稳定粮食生产，增加农民收入，建设美丽农村。', labels: ['farm'] },
  { title: '关于推进高标准农田建设的通知', text: '建设高标准农田，提高粮食产能，改善农村生产条件，惠及农民。', labels: ['farm'] },
  { title: '关于高速公路收费站设置的复函', text: '同意在高速公路增设收费站，加强公路交通管理，方便车辆通行。', labels: ['road'] },
  { title: '关于加强农村公路养护的通知', text: '各地要做好公路养护，保障交通安全，维护道路和桥梁。', labels: ['road'] },
  { title: '关于优化道路交通组织的意见', text: '改善城市道路交通，发展公共交通，规范车辆停放和通行。', labels: ['road'] },
];

describe('trainClassifier and classify', () => {
  const model = trainClassifier(examples);

  it('separates small synthetic classes, on texts it has not seen', () => {
    expect(classify(model, { title: '关于做好教师招聘和学生入学工作的通知', text: '' })[0]?.label).toBe('edu');
    expect(classify(model, { title: '关于稳定粮食生产的通知', text: '保护耕地，支持农民。' })[0]?.label).toBe('farm');
    expect(classify(model, { title: '关于公路交通安全的通知', text: '加强高速公路和道路通行管理。' })[0]?.label).toBe('road');
  });

  it('gives posteriors over every label that sum to 1, most likely first', () => {
    const out = classify(model, { title: '关于学校周边道路交通安全的通知', text: '保障学生上下学的交通安全。' });
    expect(out.map((o) => o.label).sort()).toEqual(['edu', 'farm', 'road']);
    expect(out.reduce((s, o) => s + o.confidence, 0)).toBeCloseTo(1, 12);
    for (const [i, o] of out.entries()) {
      expect(o.confidence).toBeGreaterThanOrEqual(0);
      if (i > 0) expect(o.confidence).toBeLessThanOrEqual(out[i - 1]!.confidence);
    }
  });

  it('falls back to the priors when a text has no known feature', () => {
    const out = classify(model, { title: 'xyz', text: '' });
    expect(out.reduce((s, o) => s + o.confidence, 0)).toBeCloseTo(1, 12);
    expect(out.every((o) => Math.abs(o.confidence - 1 / 3) < 1e-9)).toBe(true); // three labels of three examples each
  });

  it('is plain JSON: a copy through JSON.stringify/parse is the same model and classifies the same', () => {
    const text = JSON.stringify(model);
    const copy = JSON.parse(text) as ClassifierModel;
    expect(copy).toEqual(model);
    expect(JSON.stringify(copy)).toBe(text);
    const input = { title: '关于农村公路建设的通知', text: '改善农村交通，方便农民出行。' };
    expect(classify(copy, input)).toEqual(classify(model, input));
  });

  it('is deterministic: same examples in another order give the same bytes', () => {
    expect(JSON.stringify(trainClassifier([...examples].reverse()))).toBe(JSON.stringify(model));
    const input = { title: '关于教师和农民的通知', text: '' };
    expect(classify(model, input)).toEqual(classify(model, input));
  });

  it('keeps at most topK features per label, counts a multi-label example for each label, and reads full-width Latin as ASCII', () => {
    const small = trainClassifier(examples, { topK: 5, minDocs: 1 });
    for (const w of Object.values(small.weights)) expect(Object.keys(w).length).toBeLessThanOrEqual(5);
    const multi = trainClassifier([
      ...examples,
      { title: '关于推进AI人工智能赋能教育和农业的意见', text: 'AI进课堂，AI下田间。', labels: ['ai', 'edu'] },
      { title: '关于AI人工智能应用的通知', text: 'AI赋能千行百业。', labels: ['ai'] },
    ]);
    expect(Object.keys(multi.logPriors).sort()).toEqual(['ai', 'edu', 'farm', 'road']);
    expect(multi.weights.ai?.ai).toBeGreaterThan(0);
    expect(classify(multi, { title: '关于ＡＩ人工智能的通知', text: '' })[0]?.label).toBe('ai');
  });

  it('refuses to train without any labelled example', () => {
    expect(() => trainClassifier([{ title: '标题', text: '正文', labels: [] }])).toThrow();
  });
});

describe('keyword-rule baseline', () => {
  const rules = keywordRuleClassifier({ edu: ['学校', '教师'], farm: ['农村', '耕地'] });

  it('counts title hits three times and body hits once; confidence is a label’s share of all hits', () => {
    const out = rules.classify({ title: '关于农村学校的通知', text: '耕地耕地' });
    // farm: 农村 in the title (3) + 耕地 twice in the body (2) = 5; edu: 学校 in the title (3).
    expect(out).toEqual([
      { label: 'farm', confidence: 5 / 8 },
      { label: 'edu', confidence: 3 / 8 },
    ]);
  });

  it('gives no label when no keyword occurs', () => {
    expect(rules.classify({ title: '关于公路养护的通知', text: '道路桥梁' })).toEqual([]);
  });

  it('learns each label’s distinctive title words from training titles only', () => {
    const learned = learnKeywordRules(examples, 3);
    expect(Object.keys(learned)).toEqual(['edu', 'farm', 'road']);
    for (const words of Object.values(learned)) {
      expect(words.length).toBeLessThanOrEqual(3);
      // A chosen word never contains another chosen word of its label (it would add nothing).
      for (const w of words) expect(words.filter((v) => v !== w && w.includes(v))).toEqual([]);
    }
    expect(learned.road).toContain('公路'); // in two road titles, in no other title
    expect(learned.edu).toContain('学校');
    expect(
      Object.values(learned)
        .flat()
        .every((w) => w.length >= 2 && w.length <= 4),
    ).toBe(true);
  });
});

describe('the shipped interest model (interest-model.json)', () => {
  const model = shipped as ClassifierModel;
  const top2 = (title: string) =>
    classify(model, { title, text: '' })
      .slice(0, 2)
      .map((o) => o.label);

  it('names only known interest areas and stays small', () => {
    for (const label of Object.keys(model.logPriors)) expect(INTEREST_CODES).toContain(label);
    expect(JSON.stringify(model).length).toBeLessThanOrEqual(150 * 1024);
  });

  it('tags obvious titles with their interest area (among its two best guesses)', () => {
    expect(top2('关于做好2025年义务教育招生入学工作的通知')).toContain('jiaoyu');
    expect(top2('关于调整城乡居民基本养老保险基础养老金标准的通知').some((l) => l === 'yanglao' || l === 'shebao')).toBe(true);
    expect(top2('关于开展农村宅基地管理工作的通知')).toContain('xiangcun');
    expect(top2('关于进一步做好高校毕业生就业创业工作的通知')).toContain('jiuye');
    expect(top2('关于推进残疾人康复服务的意见')).toContain('canji');
  });
});

import { describe, expect, it } from 'vitest';
import { trainClassifier } from '../src/personal/classifier.ts';
import { POLICY_TOPICS } from '../src/topics.ts';
import { TOPIC_MODEL, TOPIC_REVIEW_THRESHOLD, classifyTopic, policyTopicOf } from '../src/topic-classify.ts';

// A model small enough to reason about: two first levels with unmistakable vocabularies.
const toy = trainClassifier(
  [
    ...['义务教育学校招生入学', '高等学校毕业生就业指导', '中小学教师队伍建设', '职业教育学校专业设置'].map((t) => ({
      title: `关于${t}的通知`,
      text: `教育部门 学校 学生 教师 ${t}`.repeat(20),
      labels: ['科技、教育'],
    })),
    ...['高速公路收费站设置', '国道公路改建工程', '高速公路服务区建设', '公路收费项目调整'].map((t) => ({
      title: `关于同意${t}的复函`,
      text: `交通运输厅 公路 车辆 通行费 ${t}`.repeat(20),
      labels: ['工业、交通'],
    })),
  ],
  { scale: 20 },
);

describe('classifyTopic', () => {
  it('keeps a record’s own valid 主题分类 with confidence 1, separators normalised', () => {
    expect(classifyTopic({ title: '关于高速公路收费站的复函', bodyHtml: '<p>公路</p>', topic: '科技、教育\\教育' }, toy)).toEqual({
      topic: '科技、教育/教育',
      confidence: 1,
      source: 'record',
      needsReview: false,
    });
    expect(classifyTopic({ title: 'x', bodyHtml: '', topic: ' 国防 ' }, toy).topic).toBe('国防');
  });

  it('guesses the first level when the record has none or an invalid one', () => {
    for (const topic of [null, undefined, '', '教育', '学校/教育']) {
      const g = classifyTopic({ title: '关于义务教育学校招生入学工作的通知', bodyHtml: '<p>各学校要做好学生入学和教师安排。</p>', topic }, toy);
      expect(g.source).toBe('auto');
      expect(g.topic).toBe('科技、教育');
    }
    const road = classifyTopic({ title: '关于同意高速公路增设收费站的复函', bodyHtml: '<p>同意公路收费站设置，收取车辆通行费。</p>' }, toy);
    expect(road.topic).toBe('工业、交通');
  });

  it('marks a guess below TOPIC_REVIEW_THRESHOLD for review, and a sure one not', () => {
    const sure = classifyTopic(
      { title: '关于义务教育学校招生入学的通知', bodyHtml: `<p>${'教育部门 学校 学生 教师 义务教育学校招生入学'.repeat(30)}</p>` },
      toy,
    );
    expect(sure.confidence).toBeGreaterThanOrEqual(TOPIC_REVIEW_THRESHOLD);
    expect(sure.needsReview).toBe(false);
    // Nothing the model knows: close to its priors, so unsure.
    const vague = classifyTopic({ title: '领导小组成员名单', bodyHtml: '<p>名单附后。</p>' }, toy);
    expect(vague.confidence).toBeLessThan(TOPIC_REVIEW_THRESHOLD);
    expect(vague.needsReview).toBe(true);
    expect(vague.confidence).toBe(Math.round(vague.confidence * 1000) / 1000);
  });

  it('answers 其他 for review when the model knows no first level', () => {
    const empty = { ...toy, logPriors: {}, weights: {} };
    expect(classifyTopic({ title: '关于公路的通知', bodyHtml: '' }, empty)).toEqual({ topic: '其他', confidence: 0, source: 'auto', needsReview: true });
  });

  it('ships a model whose labels are all first levels of POLICY_TOPICS, and that guesses one', () => {
    const labels = Object.keys(TOPIC_MODEL.logPriors);
    expect(labels.length).toBeGreaterThan(5);
    for (const l of labels) expect(POLICY_TOPICS).toContain(l);
    const g = classifyTopic({ title: '关于同意大广高速公路增设收费站的复函', bodyHtml: '<p>同意增设收费站，收取车辆通行费。</p>' });
    expect(POLICY_TOPICS).toContain(g.topic);
    expect(g.source).toBe('auto');
  });
});

describe('policyTopicOf', () => {
  it('reads the first level of a stored topic, or null', () => {
    expect(policyTopicOf('城乡建设、环境保护/城市规划')).toBe('城乡建设、环境保护');
    expect(policyTopicOf('卫生、体育\\卫生')).toBe('卫生、体育');
    expect(policyTopicOf('疫情防控')).toBeNull();
    expect(policyTopicOf(null)).toBeNull();
  });
});

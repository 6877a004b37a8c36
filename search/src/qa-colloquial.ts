/**
 * Everyday words citizens type → the words policy documents use for the same thing, for the policy Q&A
 * passage answerer only (qa-passage.ts). One way: 老人 should find 老年人, but a search for 老年人 gains nothing
 * from 老人, and single characters such as 领 are safe here (they are matched only in a question's own words)
 * while they would be noise in the search index's synonym groups (search/data/synonyms.tsv, which forbids them).
 *
 * How the list was made: candidates are the 同义词词林扩展版 true-synonym groups (../shared/data/synonyms/
 * cilin-synonym-groups.tsv, HIT, via bububa/cilin) in which one word occurs in the 4,114 questions of
 * ../shared/data/policy-qa.jsonl or in common speech and another is at least three times as frequent in the
 * policy texts (../shared/data/policies.jsonl, retrieval/ncp-gov-corpus.jsonl); each candidate was then
 * reviewed by hand and kept only when it is a general equivalence in 政务 usage (either word can replace the
 * other in any policy question), never for a particular test question. Entries marked 术语 are standard legal or
 * administrative terms for a colloquial word (e.g. 退休金 is the everyday name of 基本养老金) with no 词林 group.
 * Rejected examples: 公司 → 企业 (词林 Dm04A01 puts 公司 with 商店, 铺子: too broad), 看病 → 医疗 (Hg20A01
 * also holds 治疗, 临床), 多少 → 数量 (a question word), 孩子 → 小 (single character of a large group).
 */
export interface ColloquialEntry {
  /** What a citizen types. */
  readonly term: string;
  /** What documents say instead; a passage holding any of them covers the term. */
  readonly official: readonly string[];
  /** 词林 group code, or 术语 for a standard term. */
  readonly source: string;
}

export const COLLOQUIAL: readonly ColloquialEntry[] = [
  { term: '老人', official: ['老年人'], source: 'Ab02A01' },
  { term: '老年人', official: ['老人'], source: 'Ab02A01' },
  { term: '补贴', official: ['津贴', '补助'], source: 'Dj07A07, Hi36A05' },
  { term: '津贴', official: ['补贴'], source: 'Dj07A07' },
  { term: '领', official: ['领取'], source: 'Hi27B01' },
  { term: '领钱', official: ['领取'], source: 'Hi27B01' },
  { term: '拿', official: ['领取'], source: 'Hi27B01' },
  { term: '退休金', official: ['基本养老金', '养老金'], source: '术语' },
  { term: '养老钱', official: ['基本养老金', '养老金'], source: '术语' },
  { term: '交费', official: ['缴费', '缴纳'], source: 'He10B02' },
  { term: '交钱', official: ['缴费', '缴纳'], source: 'He10B02' },
  { term: '交款', official: ['缴费', '缴款'], source: 'He10B02' },
  { term: '缓交', official: ['缓缴'], source: '术语' },
  { term: '补交', official: ['补缴'], source: '术语' },
  { term: '晚交', official: ['缓缴', '延期缴纳'], source: '术语' },
  { term: '推迟', official: ['延迟', '延期', '延长', '顺延'], source: 'Ih07B01' },
  { term: '延后', official: ['延迟', '延期', '延长', '顺延'], source: 'Ih07B01' },
  { term: '看病', official: ['就医', '就诊'], source: 'Hg20A07' },
  { term: '医药费', official: ['医疗费用', '医疗费'], source: '术语' },
  { term: '药费', official: ['医疗费用', '药品费用'], source: '术语' },
  { term: '医院', official: ['医疗机构'], source: 'Dm06A01' },
  { term: '孩子', official: ['儿童', '子女'], source: 'Ab04B01' },
  { term: '小孩', official: ['儿童', '子女'], source: 'Ab04B01' },
  { term: '娃', official: ['儿童', '子女'], source: 'Ab04B01' },
  { term: '户口', official: ['户籍'], source: 'Dd16A03' },
  { term: '上学', official: ['入学', '就学'], source: 'Hg08A01' },
  { term: '当兵', official: ['入伍', '服兵役'], source: 'Hj22C01' },
  { term: '员工', official: ['职工'], source: 'Ae01A01' },
  { term: '工人', official: ['职工'], source: 'Ae01A01' },
  { term: '工资', official: ['工资', '劳动报酬'], source: 'Dj07A01' },
  { term: '外地', official: ['异地'], source: 'Cb15B01' },
  { term: '驾照', official: ['驾驶证'], source: 'Bp19B06' },
  { term: '加班', official: ['延长工作时间'], source: 'Hj11B03' },
  { term: '退钱', official: ['退还', '退费'], source: '术语' },
  { term: '房租', official: ['租金'], source: '术语' },
  { term: '租房', official: ['租赁住房', '租房'], source: '术语' },
  { term: '买房', official: ['购房', '购买住房'], source: '术语' },
  { term: '生孩子', official: ['生育'], source: '术语' },
  { term: '生娃', official: ['生育'], source: '术语' },
  { term: '找工作', official: ['求职', '就业'], source: '术语' },
  { term: '没工作', official: ['失业', '未就业'], source: '术语' },
  { term: '丢了工作', official: ['失业'], source: '术语' },
  { term: '开店', official: ['个体经营', '个体工商户'], source: '术语' },
  { term: '看医生', official: ['就医', '就诊'], source: 'Hg20A07' },
  { term: '住院费', official: ['住院费用', '住院医疗费用'], source: '术语' },
  { term: '免费', official: ['免费', '免收', '免除'], source: '术语' },
  { term: '不要钱', official: ['免费', '免收'], source: '术语' },
  { term: '罚钱', official: ['罚款'], source: '术语' },
  { term: '残疾', official: ['残疾人', '残疾'], source: '术语' },
  { term: '困难户', official: ['困难家庭', '困难群众'], source: '术语' },
  { term: '贫困户', official: ['贫困户', '贫困人口', '建档立卡'], source: '术语' },
  { term: '多大年纪', official: ['周岁', '年龄'], source: '术语' },
  { term: '岁数', official: ['周岁', '年龄'], source: '术语' },
  { term: '房产证', official: ['不动产权证书', '房屋所有权证'], source: '术语' },
  { term: '身份证', official: ['居民身份证', '身份证'], source: '术语' },
  { term: '老家', official: ['户籍地', '原籍'], source: '术语' },
  { term: '回老家', official: ['返乡', '返回户籍地'], source: '术语' },
  { term: '复工', official: ['复工', '复产', '复工复产'], source: '术语' },
];

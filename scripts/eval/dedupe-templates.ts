/**
 * Hard negatives for `npm run eval:dedupe`: different notices that share a template. Two kinds:
 *  - synthetic 招聘公告 / 征求意见 / 培训通知 notices filled from a seed, pairs differing only in the unit, the dates,
 *    the numbers or the contact's name (and reposts of one instance as positives, so the template texts are
 *    judged both ways);
 *  - real documents with one fact changed throughout: the years, one number, a place (湖北省 → 湖南省).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/platform.ts';
import { type Doc, type Rng } from './dedupe-plants.ts';

const divisions = (JSON.parse(readFileSync(join(ROOT, 'scripts/seed/data/guangxi-divisions.json'), 'utf8')) as { name: string; level: string }[])
  .filter((d) => d.level !== 'province')
  .map((d) => d.name);
const BUREAUS = [
  '人力资源和社会保障局',
  '教育局',
  '卫生健康委员会',
  '自然资源局',
  '住房和城乡建设局',
  '农业农村局',
  '市场监督管理局',
  '生态环境局',
  '财政局',
  '交通运输局',
];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '韦', '覃', '蒙', '陆', '莫', '梁'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '海燕', '建华', '志强'];
const SUBJECTS = ['城市供水管理办法', '农村集体资产管理条例', '公共停车场建设管理办法', '生活垃圾分类管理规定', '中小学校安全管理办法', '养老服务设施建设规划'];
const TRAININGS = ['政务信息公开', '安全生产', '财务管理', '网络安全', '档案管理', '统计业务'];

export interface Slots {
  template: 0 | 1 | 2;
  unit: string;
  year: number;
  month: number;
  day: number;
  count: number;
  places: number;
  phone: string;
  name: string;
  topic: string;
}

export function randomSlots(r: Rng): Slots {
  return {
    template: r.int(3) as 0 | 1 | 2,
    unit: r.pick(divisions) + r.pick(BUREAUS),
    year: 2019 + r.int(7),
    month: 1 + r.int(9),
    day: 1 + r.int(20),
    count: 2 + r.int(40),
    places: 1 + r.int(12),
    phone: `0771-${5000000 + r.int(4999999)}`,
    name: r.pick(SURNAMES) + r.pick(GIVEN),
    topic: r.next() < 0.5 ? r.pick(SUBJECTS) : r.pick(TRAININGS),
  };
}

/** The one slot class a negative changes, every other slot kept. */
export const TEMPLATE_CHANGES = ['unit', 'dates', 'numbers', 'name'] as const;
export type TemplateChange = (typeof TEMPLATE_CHANGES)[number];

export function changeSlots(r: Rng, s: Slots, change: TemplateChange): Slots {
  for (;;) {
    const next = { ...s };
    if (change === 'unit') {
      const [, place, bureau] = /^(.*?(?:市|县|区))(.*)$/.exec(s.unit)!;
      next.unit = r.next() < 0.5 ? r.pick(divisions.filter((d) => d !== place)) + bureau : place! + r.pick(BUREAUS.filter((b) => b !== bureau));
    }
    if (change === 'dates') [next.year, next.month, next.day] = r.next() < 0.4 ? [s.year + 1, s.month, s.day] : [s.year, s.month, s.day + 1 + r.int(7)];
    if (change === 'numbers')
      [next.count, next.places, next.phone] =
        r.next() < 0.5 ? [s.count + 1 + r.int(9), s.places, s.phone] : [s.count, s.places, s.phone.slice(0, -2) + String(10 + r.int(89))];
    if (change === 'name') next.name = r.pick(SURNAMES.filter((x) => x !== s.name[0])) + r.pick(GIVEN.filter((g) => !s.name.endsWith(g)));
    if (JSON.stringify(next) !== JSON.stringify(s)) return next;
  }
}

/** A notice filled from its slots: title and plain text, one paragraph a line. */
export function fill(s: Slots): { title: string; text: string } {
  const date = (d: number) => `${s.year}年${s.month}月${d}日`;
  const sign = `${s.unit}\n${date(s.day)}`;
  const contact = `联系人：${s.name}，联系电话：${s.phone}。`;
  if (s.template === 0)
    return {
      title: `${s.unit}${s.year}年公开招聘工作人员公告`,
      text: [
        `根据《事业单位人事管理条例》和《广西壮族自治区事业单位公开招聘人员实施办法》等有关规定，经研究，${s.unit}决定面向社会公开招聘工作人员。现将有关事项公告如下：`,
        `一、招聘岗位及人数`,
        `本次共设置招聘岗位${s.places}个，计划招聘${s.count}名，具体岗位及资格条件详见附件。`,
        `二、报名时间和方式`,
        `报名时间为${date(s.day)}至${date(s.day + 7)}，报名人员须登录报名系统如实填写个人信息，上传本人近期免冠证件照片。`,
        `三、资格审查`,
        `资格审查贯穿招聘工作全过程，凡不符合招聘岗位资格条件或者弄虚作假的，一经查实即取消其考试或者聘用资格。`,
        `四、考试`,
        `考试采取笔试和面试相结合的方式进行，笔试和面试的时间、地点另行通知，请报考人员及时关注本单位门户网站。`,
        contact,
        sign,
      ].join('\n'),
    };
  if (s.template === 1)
    return {
      title: `关于《${s.topic}（征求意见稿）》公开征求意见的公告`,
      text: [
        `为提高制度建设的科学性和透明度，${s.unit}起草了《${s.topic}（征求意见稿）》，现向社会公开征求意见。`,
        `公众可通过以下途径和方式提出反馈意见：`,
        `一、登录本单位门户网站，在“意见征集”栏目提出意见。`,
        `二、通过信函方式将意见寄至${s.unit}办公室，并在信封上注明“征求意见”字样。`,
        `意见反馈截止时间为${date(s.day + 14)}。共${s.places}条修改内容，涉及${s.count}个条款。`,
        contact,
        sign,
      ].join('\n'),
    };
  return {
    title: `关于举办${s.year}年${s.topic}业务培训班的通知`,
    text: [
      `各有关单位：`,
      `为进一步提高干部职工业务能力，经研究，${s.unit}决定举办${s.year}年${s.topic}业务培训班。现将有关事项通知如下：`,
      `一、培训时间和地点`,
      `培训时间为${date(s.day)}至${date(s.day + 2)}，培训地点另行通知。`,
      `二、参训人员`,
      `各单位分管负责同志及业务骨干，每单位${s.places}人，共${s.count}人。`,
      `三、有关要求`,
      `请各单位高度重视，认真组织，按时报送参训人员名单，参训人员须严格遵守培训纪律。`,
      contact,
      sign,
    ].join('\n'),
  };
}

// ——— real documents with one fact changed ———

const PLACES = [
  '北京市',
  '天津市',
  '河北省',
  '山西省',
  '内蒙古自治区',
  '辽宁省',
  '吉林省',
  '黑龙江省',
  '上海市',
  '江苏省',
  '浙江省',
  '安徽省',
  '福建省',
  '江西省',
  '山东省',
  '河南省',
  '湖北省',
  '湖南省',
  '广东省',
  '广西壮族自治区',
  '海南省',
  '重庆市',
  '四川省',
  '贵州省',
  '云南省',
  '西藏自治区',
  '陕西省',
  '甘肃省',
  '青海省',
  '宁夏回族自治区',
  '新疆维吾尔自治区',
  ...divisions,
];

export const REAL_CHANGES = ['real-years', 'real-number', 'real-place'] as const;
export type RealChange = (typeof REAL_CHANGES)[number];

/** The document with one fact changed everywhere it occurs, or null when it has no such fact. */
export function changeReal(r: Rng, d: Doc, change: RealChange): Doc | null {
  const edit = (f: (s: string) => string) => ({ ...d, id: d.id + '~' + change, title: f(d.title), text: f(d.text) });
  if (change === 'real-years') {
    if (!/(19|20)\d\d年/.test(d.text)) return null;
    return edit((s) => s.replace(/((?:19|20)\d\d)年/g, (_, y: string) => `${Number(y) + 1}年`));
  }
  if (change === 'real-number') {
    const numbers = [...d.text.matchAll(/\d+/g)];
    if (!numbers.length) return null;
    const m = r.pick(numbers);
    const other = String(Number(m[0]) + 1 + r.int(8));
    // A number the title states too (第4626号提案) changes there as well: the notice stays consistent with itself.
    const title = d.title.replace(new RegExp(`(?<!\\d)${m[0]}(?!\\d)`), other);
    return { ...d, id: d.id + '~' + change, title, text: d.text.slice(0, m.index) + other + d.text.slice(m.index + m[0].length) };
  }
  const present = PLACES.filter((p) => d.text.includes(p));
  if (!present.length) return null;
  const from = r.pick(present);
  const to = r.pick(PLACES.filter((p) => p !== from && !d.text.includes(p)));
  return edit((s) => s.replaceAll(from, to));
}

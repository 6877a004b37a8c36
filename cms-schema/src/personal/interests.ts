/**
 * 兴趣领域 and 服务场景 (千人千网): the vocabulary a citizen's profile, a document's tags and a 办事指南's scenes
 * share. Each interest area is a citizen's life event or topic, mapped to the national 政务公开 主题分类 it
 * covers (first level, or `first\second`), the column kinds its items usually sit in, and a few title words
 * (the keyword-rule baseline of `npm run eval:classify`, and weak labels for training the classifier).
 * Codes are short and stable: they are stored in cookies and D1 rows.
 */
import { z } from 'zod';
import type { ColumnKind } from '../column.ts';

export interface InterestArea {
  name: string;
  /** 政务公开 主题分类 (GB/T 主题分类 as used by gov.cn): a document whose 主题分类 starts with one of these belongs here. */
  topics: readonly string[];
  columnKinds: readonly ColumnKind[];
  /** Words that, in a title, mark an item of this area with little doubt. */
  keywords: readonly string[];
}

export const INTEREST_AREAS = {
  shengyu: {
    name: '生育收养',
    topics: ['卫生、体育\\计划生育', '民政、扶贫、救灾\\社会福利'],
    columnKinds: ['service', 'policy', 'notice'],
    keywords: ['生育', '收养', '托育', '婴幼儿', '育儿', '孕产', '出生医学证明', '母婴', '儿童福利'],
  },
  jiaoyu: {
    name: '教育入学',
    topics: ['科技、教育\\教育'],
    columnKinds: ['service', 'policy', 'notice', 'news'],
    keywords: ['教育', '学校', '入学', '招生', '学生', '教师', '幼儿园', '高校', '义务教育', '师资', '资助', '课程', '职业院校'],
  },
  jiuye: {
    name: '就业创业',
    topics: ['劳动、人事、监察\\劳动就业', '劳动、人事、监察\\人事工作'],
    columnKinds: ['service', 'policy', 'notice'],
    keywords: ['就业', '创业', '招聘', '失业', '见习', '职业技能', '职称', '人才', '岗位', '农民工', '劳动'],
  },
  shebao: {
    name: '社会保障',
    topics: ['劳动、人事、监察\\社会保障', '民政、扶贫、救灾\\减灾救济', '民政、扶贫、救灾\\优抚安置'],
    columnKinds: ['service', 'policy', 'notice'],
    keywords: ['社会保险', '社保', '低保', '救助', '医疗保障', '最低生活保障', '特困', '优抚', '退役军人', '社会保障'],
  },
  yiliao: {
    name: '医疗卫生',
    topics: ['卫生、体育\\卫生', '卫生、体育\\医药管理'],
    columnKinds: ['service', 'policy', 'notice', 'news'],
    keywords: ['医疗', '医院', '医保', '药品', '卫生', '疾病', '健康', '疫情', '医药', '诊疗', '疫苗', '中医'],
  },
  zhufang: {
    name: '住房',
    topics: ['城乡建设、环境保护\\城市规划', '城乡建设、环境保护\\城乡建设（含住房）'],
    columnKinds: ['service', 'policy', 'notice'],
    keywords: ['住房', '公积金', '房地产', '不动产', '保障性', '棚户区', '物业', '租赁住房', '老旧小区', '房屋'],
  },
  jiaotong: {
    name: '交通出行',
    topics: ['工业、交通\\公路', '工业、交通\\水运', '工业、交通\\铁路', '工业、交通\\民航'],
    columnKinds: ['service', 'policy', 'notice', 'news'],
    keywords: ['交通', '公路', '高速', '收费站', '道路', '机动车', '驾驶', '公交', '铁路', '民航', '港口', '运输'],
  },
  hunyin: {
    name: '婚姻登记',
    topics: ['民政、扶贫、救灾\\其他'],
    columnKinds: ['service', 'notice'],
    keywords: ['婚姻', '结婚', '离婚', '婚登', '婚俗'],
  },
  yanglao: {
    name: '退休养老',
    topics: ['民政、扶贫、救灾\\老龄工作'],
    columnKinds: ['service', 'policy', 'notice'],
    keywords: ['养老', '退休', '老年', '高龄', '老龄', '康养', '养老金', '个人养老'],
  },
  canji: {
    name: '残疾人服务',
    topics: ['民政、扶贫、救灾\\残疾人'],
    columnKinds: ['service', 'policy', 'notice'],
    keywords: ['残疾', '残联', '无障碍', '盲人', '康复'],
  },
  qiye: {
    name: '企业开办与经营',
    topics: ['市场监管、安全生产监管\\工商', '财政、金融、审计\\税务', '商贸、海关、旅游\\对外经贸合作'],
    columnKinds: ['service', 'policy', 'notice'],
    keywords: ['企业', '营商环境', '中小企业', '民营', '市场主体', '个体工商户', '税收', '纳税', '融资', '开办', '招商', '专精特新'],
  },
  xiangcun: {
    name: '乡村振兴',
    topics: ['农业、林业、水利', '民政、扶贫、救灾\\扶贫'],
    columnKinds: ['policy', 'notice', 'news'],
    keywords: ['乡村', '农村', '农业', '农民', '扶贫', '脱贫', '粮食', '耕地', '林业', '水利', '畜牧', '渔业', '三农'],
  },
  keji: {
    name: '科技创新',
    topics: ['科技、教育\\科技', '科技、教育\\知识产权'],
    columnKinds: ['policy', 'notice'],
    keywords: ['科技', '科学技术', '创新', '研发', '实验室', '技术', '专利', '知识产权', '数字化', '科学'],
  },
  chanye: {
    name: '产业发展',
    topics: ['工业、交通\\其他', '工业、交通\\信息产业（含电信）', '国民经济管理、国有资产监管', '国土资源、能源'],
    columnKinds: ['policy', 'planning'],
    keywords: ['产业', '工业', '制造业', '钢铁', '能源', '信息化', '园区', '化工', '装备', '碳达峰', '行业'],
  },
  anquan: {
    name: '安全应急',
    topics: ['综合政务\\应急管理', '市场监管、安全生产监管\\安全生产监管', '公安、安全、司法'],
    columnKinds: ['policy', 'notice', 'news'],
    keywords: ['安全', '应急', '预案', '消防', '防汛', '地震', '灾害', '事故', '防灾'],
  },
  huanjing: {
    name: '生态环境',
    topics: ['城乡建设、环境保护\\环境监测、保护与治理', '城乡建设、环境保护\\节能与资源综合利用'],
    columnKinds: ['policy', 'notice'],
    keywords: ['环境', '生态', '污染', '环保', '排污', '自然保护区', '绿色', '节能', '废物', '大气'],
  },
  wenlv: {
    name: '文化旅游体育',
    topics: ['文化、广电、新闻出版', '商贸、海关、旅游\\旅游', '卫生、体育\\体育'],
    columnKinds: ['news', 'notice'],
    keywords: ['文化', '旅游', '体育', '文物', '非遗', '赛事', '图书馆', '博物馆', '景区'],
  },
} as const satisfies Record<string, InterestArea>;

export type InterestCode = keyof typeof INTEREST_AREAS;
export const INTEREST_CODES = Object.keys(INTEREST_AREAS) as InterestCode[];
export const InterestCodeSchema = z.enum(INTEREST_CODES as [InterestCode, ...InterestCode[]], { error: '未知的兴趣领域' });
export const INTEREST_LABELS = Object.fromEntries(INTEREST_CODES.map((c) => [c, INTEREST_AREAS[c].name])) as Record<InterestCode, string>;

/** The interest areas a 主题分类 value (as stored on a document: `first\second` or `first`) falls under. */
export function interestsOfTopic(topic: string | null): InterestCode[] {
  if (!topic) return [];
  return INTEREST_CODES.filter((code) =>
    INTEREST_AREAS[code].topics.some((t) => topic === t || topic.startsWith(t + '\\') || (!t.includes('\\') && topic.startsWith(t))),
  );
}

/**
 * 服务场景: the 常用服务 a citizen can pick, each a task of one interest area; a 办事指南 names the scenes it
 * serves, so a citizen's pick leads to the guide on the nearest portal that has one.
 */
export interface ServiceScene {
  name: string;
  interest: InterestCode;
}
export const SERVICE_SCENES = {
  'sy-djsy': { name: '生育登记', interest: 'shengyu' },
  'sy-csyx': { name: '出生医学证明与新生儿落户', interest: 'shengyu' },
  'sy-sydj': { name: '收养登记', interest: 'shengyu' },
  'jy-ywrx': { name: '义务教育入学', interest: 'jiaoyu' },
  'jy-xszz': { name: '学生资助申请', interest: 'jiaoyu' },
  'jz-sydj': { name: '失业登记与失业保险金申领', interest: 'jiuye' },
  'jz-cydk': { name: '创业担保贷款申请', interest: 'jiuye' },
  'jz-jnbt': { name: '职业技能培训补贴', interest: 'jiuye' },
  'sb-sbk': { name: '社会保障卡申领', interest: 'shebao' },
  'sb-jmyl': { name: '城乡居民养老保险参保登记', interest: 'shebao' },
  'sb-dibao': { name: '最低生活保障申请', interest: 'shebao' },
  'yl-ydjy': { name: '异地就医备案', interest: 'yiliao' },
  'yl-mtb': { name: '门诊慢特病待遇认定', interest: 'yiliao' },
  'zf-gjjtq': { name: '住房公积金提取', interest: 'zhufang' },
  'zf-bdcdj': { name: '不动产登记', interest: 'zhufang' },
  'zf-gzf': { name: '公共租赁住房申请', interest: 'zhufang' },
  'jt-jszhz': { name: '机动车驾驶证换证', interest: 'jiaotong' },
  'jt-wfcl': { name: '交通违法处理', interest: 'jiaotong' },
  'hy-jhdj': { name: '结婚登记', interest: 'hunyin' },
  'hy-lhdj': { name: '离婚登记', interest: 'hunyin' },
  'ylao-txsl': { name: '退休养老金申领', interest: 'yanglao' },
  'ylao-gljt': { name: '高龄津贴申领', interest: 'yanglao' },
  'cj-cjrz': { name: '残疾人证办理', interest: 'canji' },
  'cj-lxbt': { name: '残疾人两项补贴申请', interest: 'canji' },
  'qy-kb': { name: '企业开办', interest: 'qiye' },
  'qy-gtdj': { name: '个体工商户登记', interest: 'qiye' },
  'qy-tzxm': { name: '投资项目审批', interest: 'qiye' },
  'xc-gdbt': { name: '耕地地力保护补贴', interest: 'xiangcun' },
  'xc-zjd': { name: '农村宅基地申请', interest: 'xiangcun' },
  'kj-gxqy': { name: '高新技术企业认定', interest: 'keji' },
  'hj-pwxk': { name: '排污许可', interest: 'huanjing' },
} as const satisfies Record<string, ServiceScene>;

export type SceneCode = keyof typeof SERVICE_SCENES;
export const SCENE_CODES = Object.keys(SERVICE_SCENES) as SceneCode[];
export const SceneCodeSchema = z.enum(SCENE_CODES as [SceneCode, ...SceneCode[]], { error: '未知的服务事项' });
export const SCENE_LABELS = Object.fromEntries(SCENE_CODES.map((c) => [c, SERVICE_SCENES[c].name])) as Record<SceneCode, string>;

/**
 * The interest areas a labelled policy document of ../shared/data/policies.jsonl belongs to, for training the
 * 兴趣领域 classifier (train-interests.ts) and for building personas in `npm run eval:recommend`:
 *   1. its 主题分类 (`topic`), through interestsOfTopic;
 *   2. its `category`, where the category names a subject that belongs to one interest area (CATEGORY_INTERESTS
 *      below, each with its reason; categories that name a document type or straddle areas are left out);
 *   3. its title: an area whose keywords (interests.ts) occur in the title's subject part — without the issuers
 *      before 关于, and without a few false friends (FALSE_FRIENDS).
 */
import { INTEREST_AREAS, INTEREST_CODES, interestsOfTopic, type InterestCode } from '@ywtc/cms-schema/personal/interests';
import type { Policy } from '../eval/policy-labels.ts';

export type { Policy };

/** Subject categories of policies.jsonl and the interest area each belongs to. */
export const CATEGORY_INTERESTS: Record<string, { interest: InterestCode; why: string }> = {
  科技政策: { interest: 'keji', why: 'science and technology policy is the 科技创新 area itself' },
  基础教育: { interest: 'jiaoyu', why: 'schools up to 高中: enrolment, curricula' },
  高等教育: { interest: 'jiaoyu', why: 'universities, 招生 and 考试' },
  师资建设: { interest: 'jiaoyu', why: 'teachers of the education system' },
  学生资助: { interest: 'jiaoyu', why: 'grants to students, a service of the education area' },
  思政体卫与学校安全: { interest: 'jiaoyu', why: 'school life: moral education, sport and health, school safety' },
  职业教育: { interest: 'jiaoyu', why: 'vocational schools' },
  民办教育: { interest: 'jiaoyu', why: 'private schools' },
  教育法规: { interest: 'jiaoyu', why: 'the rules of the education system' },
  语言文字: { interest: 'jiaoyu', why: 'the 语言文字 work of the education departments (普通话, standard characters)' },
  产业政策: { interest: 'chanye', why: 'industrial policy is the 产业发展 area itself' },
  工业行业规划: { interest: 'chanye', why: 'plans for industries' },
  工业行业计划: { interest: 'chanye', why: 'action plans for industries' },
  '中小企业、民营经济发展政策': { interest: 'qiye', why: 'support for small and private firms: running a business' },
  '农业、林业、水利': { interest: 'xiangcun', why: 'a 主题分类 first level that interests.ts maps to 乡村振兴' },
  '国土资源、能源': { interest: 'chanye', why: 'a 主题分类 first level that interests.ts maps to 产业发展' },
  '国民经济管理、国有资产监管': { interest: 'chanye', why: 'a 主题分类 first level that interests.ts maps to 产业发展' },
  '公安、安全、司法': { interest: 'anquan', why: 'a 主题分类 first level that interests.ts maps to 安全应急' },
  公路: { interest: 'jiaotong', why: 'roads: 交通出行' },
};
// Left to the title keywords on purpose: 人力资源社会保障部文件 (就业, 社保, 养老 or 职称 — by document),
// 民生工程 (河北's 民生工程 column: 学生营养, 义务教育扩容, …), 工业、交通 (mostly 收费站 on motorways, but not
// only), 城乡建设、环境保护 (住房 or 生态环境), 市场监管、安全生产监管, 财政、金融、审计, 科技、教育, 卫生、体育,
// 商贸、海关、旅游 (each straddles two areas), and the document types (政策解读, 省政府政策文件, 法律法规 …).

/** Title phrases that contain an area's keyword without being about that area: masked before keywords match. */
const FALSE_FRIENDS: Record<string, string> = {
  专业技术: '专业技术人员/资格 is a 职称 term (就业), not technology (技术 → keji)',
  技术工人: 'skilled workers: employment, not technology',
  技术技能: 'skills training (技术技能人才): employment, not technology',
  劳动教育: 'a school subject (教育 still counts), not 劳动 (jiuye)',
  科技有限公司: 'a company name in a list of 博士后 stations, not technology policy',
  科技股份有限公司: 'a company name, as above',
};
const FALSE_FRIEND_PATTERN = new RegExp(Object.keys(FALSE_FRIENDS).join('|'), 'g');

/**
 * The subject part of a title: what precedes 关于 names the issuers (unless it opens a quoted title:
 * 《…关于…》的解读), and the false friends masked.
 */
function subjectOfTitle(title: string): string {
  const i = title.indexOf('关于');
  return (i > 0 && !title.slice(0, i).includes('《') ? title.slice(i) : title).replace(FALSE_FRIEND_PATTERN, '·');
}

export interface InterestSources {
  topic: InterestCode[];
  category: InterestCode[];
  title: InterestCode[];
  all: InterestCode[];
}

export function interestSources(p: Policy): InterestSources {
  const topic = interestsOfTopic(p.topic ?? null);
  const category = p.category && CATEGORY_INTERESTS[p.category] ? [CATEGORY_INTERESTS[p.category]!.interest] : [];
  const subject = subjectOfTitle(p.title);
  const title = INTEREST_CODES.filter((code) => INTEREST_AREAS[code].keywords.some((k) => subject.includes(k)));
  const all = INTEREST_CODES.filter((c) => topic.includes(c) || category.includes(c) || title.includes(c));
  return { topic, category, title, all };
}

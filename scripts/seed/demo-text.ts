/**
 * Generated demo items (示例) that fill each unit's own columns — news, notices, guides — where no real
 * Guangxi content exists in the public data. Every title starts with 示例 and every body opens with a notice
 * that it is demo content, so no reader can take it for a real announcement.
 */
import { escapeHtml } from '@ywtc/cms-schema';

export function rng(seed: string) {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return () => {
    h = (h + 0x6d2b79f5) | 0;
    let t = Math.imul(h ^ (h >>> 15), 1 | h);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/** The 政务公开 metadata of an item that is not a policy (news, notices, guides …): none. */
export const NO_DISCLOSURE_METADATA = {
  indexNumber: null,
  issuer: null,
  docNumber: null,
  writtenOn: null,
  issuedOn: null,
  topic: null,
  subjectWords: [] as string[],
  validity: null,
} as const;

export const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const TOPICS = [
  '优化营商环境',
  '乡村振兴',
  '安全生产',
  '政务公开',
  '防汛抗旱',
  '民族团结进步',
  '数字政府建设',
  '就业创业服务',
  '生态环境保护',
  '森林防火',
  '义务教育',
  '医疗保障',
  '为民办实事',
  '消防安全',
  '粮食生产',
  '招商引资',
  '城市更新',
  '适老化改造',
];
const NEWS = [
  '{unit}召开{topic}工作推进会',
  '{unit}部署{topic}重点任务',
  '{unit}开展{topic}专项督查',
  '{unit}召开{topic}专题会议',
  '{unit}举办{topic}业务培训',
  '{unit}推动{topic}工作取得新进展',
];
const NOTICES = ['关于{unit}门户网站系统维护的公告', '关于开展{topic}意见征集的通知', '关于{topic}有关事项的通知', '关于举办{topic}政策宣讲活动的通知'];
const SERVICES = ['{topic}相关事项办事指南', '{topic}常见问题办理指引', '“一件事一次办”：{topic}服务指南'];
const INTERACTIONS = ['网民留言选登：关于{topic}的咨询与答复', '网民留言选登：关于{topic}的建议与答复'];
const TOPIC_ITEMS = ['{topic}专题：工作简讯', '{topic}专题：政策汇编', '{topic}专题：经验做法'];

export const DEMO_NOTE = (unit: string) => `【示例】本文为“一网通查”平台生成的演示内容，用于展示栏目版式和更新机制，不是${unit}发布的真实信息。`;

export interface DemoText {
  title: string;
  bodyHtml: string;
  summary: string;
  keywords: string[];
}

function fill(t: string, unit: string, topic: string) {
  return t.replace('{unit}', unit).replace('{topic}', topic);
}

function body(unit: string, topic: string, paragraphs: string[]): string {
  return [DEMO_NOTE(unit), ...paragraphs].map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
}

export type DemoKind = 'news' | 'notice' | 'service' | 'interaction' | 'topic';
const TEMPLATES: Record<DemoKind, string[]> = { news: NEWS, notice: NOTICES, service: SERVICES, interaction: INTERACTIONS, topic: TOPIC_ITEMS };

export function demoItem(kind: DemoKind, unit: string, r: () => number): DemoText {
  const topic = pick(r, TOPICS);
  const title = '示例：' + fill(pick(r, TEMPLATES[kind]), unit, topic);
  const paragraphs = {
    news: [
      `为做好${topic}相关工作，${unit}结合职责分工，对近期重点任务进行了梳理和安排。`,
      `会议要求，各有关单位要压实责任、细化措施，确保${topic}各项工作按时推进，并及时向社会公开工作进展。`,
    ],
    notice: [`为做好${topic}相关工作，现将有关事项通知如下。`, '一、时间安排：具体时间以后续通知为准。', `二、联系方式：可拨打政务服务便民热线 12345 咨询。`],
    service: [
      `本指南介绍${topic}相关事项的办理条件、所需材料和办理流程。`,
      '办理渠道：线上可通过广西数字政务一体化平台办理，线下可到所在地政务服务中心窗口办理。',
    ],
    interaction: [
      `网民来信：咨询${topic}相关政策的适用范围和办理渠道。`,
      `答复：感谢您的关注。${topic}相关政策以正式发布的文件为准，具体可拨打 12345 热线咨询。`,
    ],
    topic: [`本专题集中展示${topic}工作的政策文件、工作动态和经验做法。`],
  }[kind];
  return { title, bodyHtml: body(unit, topic, paragraphs), summary: paragraphs[0]!, keywords: [topic] };
}

export function disclosureGuide(unit: string): DemoText {
  const paras = [
    `依据《中华人民共和国政府信息公开条例》，编制本指南，说明${unit}政府信息公开的范围、方式和程序。`,
    '一、主动公开：通过本网站“政府信息公开”栏目、政务新媒体和政务服务中心等渠道公开，信息形成或变更之日起20个工作日内公开。',
    '二、依申请公开：公民、法人和其他组织可通过网站在线申请、信函或当面提交申请，行政机关在收到申请之日起20个工作日内答复；需要延长的，经负责人同意可延长不超过20个工作日。',
    '三、收费标准：依申请提供政府信息，原则上不收取费用。',
    '四、监督保障：认为行政机关在政府信息公开工作中侵犯其合法权益的，可以依法申请行政复议或者提起行政诉讼。',
  ];
  return { title: `示例：${unit}政府信息公开指南`, bodyHtml: body(unit, '', paras), summary: paras[0]!, keywords: ['政府信息公开指南'] };
}

export function disclosureReport(unit: string, year: number): DemoText {
  const paras = [
    `本报告按照《中华人民共和国政府信息公开条例》要求编制，年报格式依照国务院办公厅政府信息公开办公室印发的模板。`,
    '一、总体情况  二、主动公开政府信息情况  三、收到和处理政府信息公开申请情况  四、政府信息公开行政复议、行政诉讼情况  五、存在的主要问题及改进情况  六、其他需要报告的事项',
    '本示例仅展示年报的结构，不含真实统计数据。',
  ];
  return {
    title: `示例：${unit}${year}年政府信息公开工作年度报告`,
    bodyHtml: body(unit, '', paras),
    summary: paras[0]!,
    keywords: ['年度报告', '政府信息公开'],
  };
}

/** A 示例 reading guide to a real policy, built only from the policy's own headings. */
export function demoInterpretation(unit: string, policy: { title: string; docNumber: string | null; bodyText: string }): DemoText {
  const headings = policy.bodyText
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[一二三四五六七八九十]{1,3}、/.test(l) && l.length <= 60)
    .slice(0, 8);
  const ref = `《${policy.title.replace(/^《|》$/g, '')}》${policy.docNumber ? `（${policy.docNumber}）` : ''}`;
  const html = [
    `<p>${escapeHtml(DEMO_NOTE(unit))}</p>`,
    `<p>${escapeHtml(`本文按原文结构梳理${ref}的主要内容，具体以原文为准。`)}</p>`,
    headings.length ? `<h2>文件结构</h2>\n<ul>${headings.map((h) => `<li>${escapeHtml(h)}</li>`).join('')}</ul>` : '',
  ].join('\n');
  return { title: `示例：一图读懂${ref}`.slice(0, 200), bodyHtml: html, summary: `按原文结构梳理${ref}的主要内容。`.slice(0, 500), keywords: ['政策解读'] };
}

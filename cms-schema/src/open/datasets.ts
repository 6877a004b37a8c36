/**
 * 数据开放: the kinds of data an interface can answer, each defined once — what one record holds (its fields,
 * types and Chinese descriptions) and which filters it takes. The catalogue (catalogue.ts) makes interfaces by
 * giving a dataset a scope (the whole region, a unit and the units below it, or one site); the Worker's query
 * for each dataset (worker/src/open/datasets/) answers exactly these fields, the OpenAPI document and the
 * docs page are generated from these schemas, and the tests validate every interface's answers against them.
 *
 * Records are flat (text, numbers, booleans, lists of text) so that JSON, CSV and XML carry the same thing.
 * Nothing personal is among the fields: no editor, account, applicant or search-log entry of a person.
 */
import { z } from 'zod';
import type { ColumnKind } from '../column.ts';
import { VALIDITIES } from '../document.ts';
import { SITE_KINDS } from '../site.ts';
import { GUIDE_LABELS } from '../service-guide.ts';

const t = (description: string) => z.string().meta({ description });
const tn = (description: string) => z.string().nullable().meta({ description });
const n = (description: string) => z.int().min(0).meta({ description });
const list = (description: string) => z.array(z.string()).meta({ description });
const time = (description: string) => z.string().meta({ description: `${description}（ISO 8601，北京时间 +08:00）`, format: 'date-time' });
const day = (description: string) =>
  z
    .string()
    .nullable()
    .meta({ description: `${description}（YYYY-MM-DD）`, format: 'date' });

/** What every record of a published document carries. */
const documentFields = {
  id: t('文档标识（在全区唯一，不随网站变化）'),
  title: t('标题'),
  summary: t('摘要'),
  published_at: time('发布时间'),
  source: t('来源（发布或转载的单位、媒体）'),
  site_id: t('刊载网站标识'),
  site_name: t('刊载网站名称'),
  column_name: t('所在栏目'),
  url: t('在刊载网站上的地址'),
  is_demo: z.boolean().meta({ description: '是否为平台生成的演示（示例）内容' }),
};
const policyFields = {
  ...documentFields,
  doc_number: tn('发文字号'),
  issuer: tn('发文机关'),
  index_number: tn('索引号'),
  written_on: day('成文日期'),
  issued_on: day('发布日期'),
  topic: tn('主题分类'),
  subject_words: list('主题词'),
  validity: z.enum(VALIDITIES).nullable().meta({ description: '有效性：有效、失效或废止' }),
};

/**
 * A 办事指南's elements (cms-schema service-guide.ts), flat so a CSV row holds them; null for the 办事服务 items
 * that are not guides. Labels come from the guide schema itself.
 */
const nl = (description: string) => z.array(z.string()).nullable().meta({ description });
const guideFields = {
  ...documentFields,
  is_guide: z.boolean().meta({ description: '是否为办事指南（其余字段仅办事指南有值）' }),
  guide_basis: tn(`办事指南：${GUIDE_LABELS.basis}`),
  guide_conditions: tn(`办事指南：${GUIDE_LABELS.conditions}`),
  guide_materials: nl(`办事指南：${GUIDE_LABELS.materials}（每项一个）`),
  guide_place: tn(`办事指南：${GUIDE_LABELS.place}`),
  guide_agency: tn(`办事指南：${GUIDE_LABELS.agency}`),
  guide_fee: tn(`办事指南：${GUIDE_LABELS.fee}`),
  guide_hours: tn(`办事指南：${GUIDE_LABELS.hours}`),
  guide_phone: tn(`办事指南：${GUIDE_LABELS.phone}`),
  guide_process: tn(`办事指南：${GUIDE_LABELS.process}`),
  guide_promise_days: z
    .int()
    .min(0)
    .nullable()
    .meta({ description: `办事指南：${GUIDE_LABELS.promiseDays}` }),
  guide_scenes: nl('办事指南：服务场景（如“结婚登记”）'),
  guide_online_url: tn(`办事指南：${GUIDE_LABELS.onlineUrl}`),
};

const year = z.coerce
  .number({ error: '年份应为四位数字' })
  .int('年份应为四位数字')
  .min(1949, '年份不能早于 1949')
  .max(2100, '年份不能晚于 2100')
  .meta({ description: '发布年份（北京时间），如 2021' });
const filterText = (description: string, max = 60) => z.string().trim().min(1, '不能为空').max(max, `不能超过 ${max} 个字`).meta({ description });
const siteFilter = z
  .string()
  .regex(/^[a-z0-9-]{1,40}$/, '网站标识只能包含小写字母、数字和连字符')
  .meta({ description: '只看本接口范围内的这一个网站（网站标识，见网站名录接口）' });

export type Scope = 'region' | 'subtree' | 'site';

export interface DatasetDef {
  /** 数据集名称 (an interface's name is the unit's name + this). */
  label: string;
  description: string;
  /** 主题: the catalogue's browsing topic. */
  topic: OpenTopic;
  updateFrequency: '实时' | '每日' | '每月' | '不定期';
  record: z.ZodObject;
  filters: z.ZodObject;
  /** The scopes an interface of this dataset may have. */
  scopes: readonly Scope[];
  /** Column kinds whose documents the dataset lists (document datasets only). */
  columnKinds?: readonly ColumnKind[];
}

export const OPEN_TOPICS = {
  policy: '政策文件与解读',
  disclosure: '政府信息公开',
  news: '新闻与公告',
  service: '政务服务与互动',
  sites: '网站与栏目',
  statistics: '统计与监测',
} as const;
export type OpenTopic = keyof typeof OPEN_TOPICS;

const documentFilters = z.object({ year: year.optional(), site: siteFilter.optional() });
const policyFilters = z.object({
  issuer: filterText('发文机关（包含即可，如“国务院办公厅”）').optional(),
  doc_number: filterText('发文字号（完整，如“国办发〔2021〕38号”）').optional(),
  year: year.optional(),
  topic: filterText('主题分类（包含即可）').optional(),
  validity: z
    .enum(VALIDITIES, { error: `有效性应为 ${VALIDITIES.join('、')} 之一` })
    .optional()
    .meta({ description: '有效性' }),
  site: siteFilter.optional(),
});
const noFilters = z.object({});

const docDataset = (label: string, description: string, topic: OpenTopic, columnKinds: readonly ColumnKind[], scopes: readonly Scope[]): DatasetDef => ({
  label,
  description,
  topic,
  updateFrequency: '实时',
  record: z.object(documentFields),
  filters: documentFilters,
  scopes,
  columnKinds,
});

export const DATASETS = {
  policies: {
    label: '政策文件',
    description: '政策文件栏目刊载的文件（含转载的国务院、国务院办公厅文件），带发文字号、发文机关、成文和发布日期、有效性等政务公开要素。',
    topic: 'policy',
    updateFrequency: '实时',
    record: z.object(policyFields),
    filters: policyFilters,
    scopes: ['region', 'subtree', 'site'],
    columnKinds: ['policy'],
  },
  regulations: {
    label: '行政法规',
    description: '平台转载的国务院行政法规，带发文字号（国务院令）、发布日期和有效性。',
    topic: 'policy',
    updateFrequency: '不定期',
    record: z.object(policyFields),
    filters: policyFilters,
    scopes: ['region'],
  },
  interpretations: {
    label: '政策解读',
    description: '政策解读栏目刊载的解读，每条带所解读的政策文件（标识、标题、发文字号）。',
    topic: 'policy',
    updateFrequency: '实时',
    record: z.object({
      ...documentFields,
      policy_id: tn('所解读政策文件的标识'),
      policy_title: tn('所解读政策文件的标题'),
      policy_doc_number: tn('所解读政策文件的发文字号'),
    }),
    filters: documentFilters,
    scopes: ['region', 'subtree', 'site'],
    columnKinds: ['interpretation'],
  },
  notices: docDataset('通知公告', '通知公告栏目刊载的通知、公告。', 'news', ['notice'], ['region', 'subtree', 'site']),
  news: docDataset('要闻动态', '要闻动态、工作动态栏目刊载的新闻。', 'news', ['news', 'work-news'], ['region', 'subtree', 'site']),
  'disclosure-docs': docDataset(
    '政府信息公开指南和年报',
    '政府信息公开指南、政府信息公开工作年度报告栏目刊载的文档。',
    'disclosure',
    ['disclosure-guide', 'disclosure-report'],
    ['region', 'subtree'],
  ),
  services: {
    label: '办事服务',
    description:
      '办事服务（政务服务）栏目刊载的办事指南和便民服务信息。办事指南带国家检查指标要求的全部要素：事项名称（标题）、设定依据、申请条件、办理材料、办理地点、办理机构、收费标准、办理时间、联系电话、办理流程，以及承诺时限、服务场景和在线办理网址。',
    topic: 'service',
    updateFrequency: '实时',
    record: z.object(guideFields),
    filters: documentFilters,
    scopes: ['subtree', 'site'],
    columnKinds: ['service'],
  },
  interaction: docDataset('互动交流', '互动交流栏目刊载的征集、回应和答复。', 'service', ['interaction'], ['subtree']),
  topics: docDataset('专题专栏', '专题专栏刊载的文章。', 'news', ['topic'], ['subtree', 'site']),
  qa: {
    label: '政策问答库',
    description: '经审核发布的政策问答：问题、答复和答复所依据的文件。',
    topic: 'policy',
    updateFrequency: '实时',
    record: z.object({
      id: t('问答标识'),
      question: t('问题'),
      answer: t('答复'),
      source_document_id: t('依据文件标识'),
      source_document_title: t('依据文件标题'),
      source_document_doc_number: tn('依据文件发文字号'),
      source_document_validity: z.enum(VALIDITIES).nullable().meta({ description: '依据文件的有效性' }),
      site_id: t('发布问答的网站标识'),
      updated_at: z.string().nullable().meta({ description: '最近一次编辑的时间（ISO 8601，+08:00）；随来源文件导入、未经编辑的为空', format: 'date-time' }),
    }),
    filters: z.object({ q: filterText('问题包含的文字', 30).optional() }),
    scopes: ['region'],
  },
  sites: {
    label: '网站名录',
    description: '平台上的政府网站：名称、类别、上级网站、行政区划代码、域名、网站标识码、备案号、主办单位和公开的联系方式。',
    topic: 'sites',
    updateFrequency: '不定期',
    record: z.object({
      id: t('网站标识'),
      name: t('网站名称'),
      kind: z.enum(Object.keys(SITE_KINDS) as [keyof typeof SITE_KINDS]).meta({ description: '网站类别代码' }),
      kind_label: t('网站类别'),
      parent_id: tn('上级网站标识'),
      division_code: t('行政区划代码'),
      domain: t('主域名'),
      id_code: t('网站标识码'),
      icp: t('ICP备案号'),
      psb: t('公安机关备案号'),
      sponsor: t('主办单位'),
      phone: t('主办单位公开电话'),
      address: t('主办单位地址'),
      template_id: t('网站使用的模板'),
    }),
    filters: z.object({
      kind: z
        .enum(Object.keys(SITE_KINDS) as [keyof typeof SITE_KINDS], { error: '网站类别代码不正确' })
        .optional()
        .meta({ description: '网站类别代码' }),
    }),
    scopes: ['region', 'subtree'],
  },
  columns: {
    label: '栏目目录',
    description: '各网站的栏目：名称、类别、上级栏目、地址、刊载数量和最近更新时间。',
    topic: 'sites',
    updateFrequency: '实时',
    record: z.object({
      id: t('栏目标识'),
      site_id: t('网站标识'),
      site_name: t('网站名称'),
      name: t('栏目名称'),
      kind: t('栏目类别代码'),
      kind_label: t('栏目类别'),
      parent_id: tn('上级栏目标识'),
      url: t('栏目地址'),
      items: n('刊载的文档数'),
      latest_published_at: z.string().nullable().meta({ description: '最近一篇的发布时间（ISO 8601，+08:00）', format: 'date-time' }),
    }),
    filters: z.object({ site: siteFilter.optional() }),
    scopes: ['region', 'subtree'],
  },
  'publication-stats': {
    label: '信息发布统计',
    description: '按网站和月份统计的发布数量（按发布时间的北京时间月份），分政策文件、解读、通知公告、新闻和其他。',
    topic: 'statistics',
    updateFrequency: '每日',
    record: z.object({
      site_id: t('网站标识'),
      site_name: t('网站名称'),
      month: t('月份（YYYY-MM）'),
      total: n('发布总数'),
      policies: n('政策文件数'),
      interpretations: n('政策解读数'),
      notices: n('通知公告数'),
      news: n('新闻动态数'),
      others: n('其他'),
    }),
    filters: z.object({ year: year.optional(), site: siteFilter.optional() }),
    scopes: ['region', 'subtree'],
  },
  'column-updates': {
    label: '栏目更新情况',
    description: '各栏目最近一次更新及是否超过《政府网站发展指引》要求的更新周期（动态类两周、通知公告和政策文件半年、其他一年）。',
    topic: 'statistics',
    updateFrequency: '每日',
    record: z.object({
      column_id: t('栏目标识'),
      column_name: t('栏目名称'),
      kind_label: t('栏目类别'),
      site_id: t('网站标识'),
      site_name: t('网站名称'),
      latest_published_at: z.string().nullable().meta({ description: '最近一篇的发布时间（ISO 8601，+08:00）', format: 'date-time' }),
      update_within_days: z.int().nullable().meta({ description: '要求的更新周期（天），空表示无周期要求' }),
      overdue: z.boolean().meta({ description: '是否超过要求的更新周期未更新' }),
    }),
    filters: z.object({
      site: siteFilter.optional(),
      overdue: z.enum(['true', 'false'], { error: 'overdue 应为 true 或 false' }).optional().meta({ description: '只看超期（true）或未超期（false）的栏目' }),
    }),
    scopes: ['region', 'subtree'],
  },
  'hot-searches': {
    label: '热门搜索词',
    description: '一网通查的热门搜索词：按日汇总的搜索次数、无结果次数和点击次数。只含当日被搜索 5 次及以上的词，不含任何个人信息。',
    topic: 'statistics',
    updateFrequency: '每日',
    record: z.object({
      day: t('日期（YYYY-MM-DD，北京时间）'),
      query: t('搜索词（已归一化）'),
      searches: n('搜索次数'),
      zero_results: n('无结果次数'),
      clicks: n('点击结果次数'),
    }),
    filters: z.object({
      from: z.iso.date({ error: '日期应为 YYYY-MM-DD' }).optional().meta({ description: '起始日期（含）' }),
      to: z.iso.date({ error: '日期应为 YYYY-MM-DD' }).optional().meta({ description: '截止日期（含）' }),
    }),
    scopes: ['region'],
  },
  templates: {
    label: '网站模板库',
    description: '平台的网站模板：版式、页头、首页布局和配色，以及使用每个模板的网站数。',
    topic: 'sites',
    updateFrequency: '不定期',
    record: z.object({
      id: t('模板标识'),
      name: t('模板名称'),
      family: t('版式'),
      header: t('页头'),
      home: t('首页布局'),
      palette: t('配色'),
      sites: n('使用该模板的网站数'),
    }),
    filters: noFilters,
    scopes: ['region'],
  },
} as const satisfies Record<string, DatasetDef>;
export type DatasetKey = keyof typeof DATASETS;
export const DATASET_KEYS = Object.keys(DATASETS) as DatasetKey[];

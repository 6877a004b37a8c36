/**
 * The column tree each kind of site starts with. Slugs follow the pinyin-initial paths Chinese government
 * sites use (yw = 要闻, tzgg = 通知公告 ...), so URLs look familiar to editors and inspectors.
 */
import { columnId, type Column, type ColumnKind, type Site, type SiteKind } from '@ywtc/cms-schema';

export interface ColumnPlan {
  slug: string;
  name: string;
  kind: ColumnKind;
  description: string;
  keywords: string[];
  children?: ColumnPlan[];
}

const disclosure = (unit: string): ColumnPlan => ({
  slug: 'xxgk',
  name: '政府信息公开',
  kind: 'disclosure',
  description: `${unit}依法主动公开的政府信息`,
  keywords: ['政府信息公开', '政务公开'],
  children: [
    { slug: 'xxgkzn', name: '信息公开指南', kind: 'disclosure-guide', description: `${unit}政府信息公开指南`, keywords: ['公开指南', '依申请公开'] },
    { slug: 'xxgknb', name: '信息公开年报', kind: 'disclosure-report', description: `${unit}政府信息公开工作年度报告`, keywords: ['年度报告'] },
  ],
});

function portalColumns(site: Site): ColumnPlan[] {
  const unit = site.sponsor.replace(/办公(厅|室)$/, '');
  const isRegion = site.kind === 'province-portal';
  return [
    { slug: 'yw', name: '要闻动态', kind: 'news', description: `${unit}政务要闻和工作动态`, keywords: ['要闻', '动态'] },
    { slug: 'tzgg', name: '通知公告', kind: 'notice', description: `${unit}发布的通知和公告`, keywords: ['通知', '公告'] },
    {
      slug: 'zcwj',
      name: '政策文件',
      kind: 'policy',
      description: isRegion ? '国务院和自治区政策文件' : '国务院及上级机关政策文件',
      keywords: ['政策文件', '国务院文件'],
      children: isRegion
        ? [
            {
              slug: 'gwywj',
              name: '国务院文件',
              kind: 'policy',
              description: '国务院、国务院办公厅文件（转载自中国政府网）',
              keywords: ['国务院文件', '国办文件'],
            },
            { slug: 'xzfg', name: '行政法规', kind: 'policy', description: '国务院行政法规（转载）', keywords: ['行政法规', '国务院令'] },
            {
              slug: 'zzqwj',
              name: '自治区政府文件',
              kind: 'policy',
              description: '自治区人民政府及其办公厅文件',
              keywords: ['桂政发', '桂政办发', '自治区文件'],
            },
            { slug: 'zzqbmwj', name: '自治区部门文件', kind: 'policy', description: '自治区人民政府组成部门和直属机构文件', keywords: ['部门文件'] },
          ]
        : undefined,
    },
    { slug: 'zcjd', name: '政策解读', kind: 'interpretation', description: '政策文件的解读和图解', keywords: ['政策解读', '图解'] },
    disclosure(unit),
    {
      slug: 'zwfw',
      name: '办事服务',
      kind: 'service',
      description: `${unit}办事指南：设定依据、申请条件、办理材料、地点、时间和流程`,
      keywords: ['办事服务', '办事指南'],
    },
    {
      slug: 'hdjl',
      name: '互动交流',
      kind: 'interaction',
      description: '留言答复和政民互动',
      keywords: ['留言', '互动'],
      children: isRegion
        ? [{ slug: 'zcwd', name: '政策问答', kind: 'qa', description: '常见政策问题的解答及其依据文件', keywords: ['政策问答', '常见问题'] }]
        : undefined,
    },
    {
      slug: 'ztzl',
      name: '专题专栏',
      kind: 'topic',
      description: '重点工作专题',
      keywords: ['专题'],
      children: isRegion
        ? [
            {
              slug: 'yqfk',
              name: '疫情防控政策汇编',
              kind: 'topic',
              description: '2020年国家和自治区疫情防控、复工复产政策通知（转载）',
              keywords: ['疫情防控', '复工复产'],
            },
          ]
        : undefined,
    },
  ];
}

function departmentColumns(site: Site): ColumnPlan[] {
  const unit = site.sponsor;
  return [
    { slug: 'gzdt', name: '工作动态', kind: 'work-news', description: `${unit}工作动态`, keywords: ['工作动态'] },
    { slug: 'tzgg', name: '通知公告', kind: 'notice', description: `${unit}通知公告`, keywords: ['通知', '公告'] },
    { slug: 'zcwj', name: '政策文件', kind: 'policy', description: '与本部门职能相关的政策文件', keywords: ['政策文件'] },
    { slug: 'zcjd', name: '政策解读', kind: 'interpretation', description: '政策文件的解读和图解', keywords: ['政策解读'] },
    disclosure(unit),
    { slug: 'zwfw', name: '政务服务', kind: 'service', description: `${unit}办事指南`, keywords: ['办事指南'] },
    { slug: 'hdjl', name: '互动交流', kind: 'interaction', description: '留言答复', keywords: ['留言'] },
  ];
}

function peerColumns(site: Site): ColumnPlan[] {
  const unit = site.sponsor;
  const docs: ColumnPlan =
    site.kind === 'people-congress'
      ? { slug: 'flfg', name: '法律法规', kind: 'policy', description: '法律法规文本（转载）', keywords: ['法律法规', '行政法规'] }
      : { slug: 'zywj', name: '重要文件', kind: 'policy', description: '重要文件（转载）', keywords: ['重要文件'] };
  return [
    { slug: 'gzdt', name: '工作动态', kind: 'work-news', description: `${unit}工作动态`, keywords: ['工作动态'] },
    { slug: 'tzgg', name: '通知公告', kind: 'notice', description: `${unit}通知公告`, keywords: ['通知', '公告'] },
    docs,
    { slug: 'ztzl', name: '专题专栏', kind: 'topic', description: '重点工作专题', keywords: ['专题'] },
  ];
}

const PLANS: Record<SiteKind, (s: Site) => ColumnPlan[]> = {
  'province-portal': portalColumns,
  'city-portal': portalColumns,
  'county-portal': portalColumns,
  department: departmentColumns,
  'party-committee': peerColumns,
  'discipline-commission': peerColumns,
  'people-congress': peerColumns,
  cppcc: peerColumns,
};

export function columnsFor(site: Site): Column[] {
  const out: Column[] = [];
  const walk = (plans: ColumnPlan[], parentId: string | null) =>
    plans.forEach((p, i) => {
      const id = columnId(site.id, p.slug);
      out.push({ id, siteId: site.id, parentId, slug: p.slug, name: p.name, kind: p.kind, description: p.description, keywords: p.keywords, sortOrder: i });
      if (p.children) walk(p.children, id);
    });
  walk(PLANS[site.kind](site), null);
  return out;
}

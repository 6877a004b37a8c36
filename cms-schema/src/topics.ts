/**
 * 主题分类: the first level of the 政务公开 subject classification that gov.cn and provincial portals file policy
 * documents under (a document's `topic` is stored as `first` or `first/second`, e.g. 城乡建设、环境保护/城市规划).
 * The 政策文件库 filter offers these; a document whose topic starts with one of them belongs to it.
 */
export const POLICY_TOPICS = [
  '国务院组织机构',
  '综合政务',
  '国民经济管理、国有资产监管',
  '财政、金融、审计',
  '国土资源、能源',
  '农业、林业、水利',
  '工业、交通',
  '商贸、海关、旅游',
  '市场监管、安全生产监管',
  '城乡建设、环境保护',
  '科技、教育',
  '文化、广电、新闻出版',
  '卫生、体育',
  '人口与计划生育、妇女儿童工作',
  '劳动、人事、监察',
  '公安、安全、司法',
  '民政、扶贫、救灾',
  '民族、宗教',
  '对外事务',
  '港澳台侨工作',
  '国防',
  '其他',
] as const;

import { z } from 'zod';
import { SiteIdSchema } from './site.ts';

/**
 * National column kinds (《政府网站发展指引》) and how often each must be updated under the
 * 政府网站与政务新媒体检查指标: a column past its limit is an inspection failure; null = no cadence rule.
 */
export const COLUMN_KINDS = {
  news: { label: '要闻动态', updateWithinDays: 14 },
  'work-news': { label: '工作动态', updateWithinDays: 14 },
  notice: { label: '通知公告', updateWithinDays: 183 },
  policy: { label: '政策文件', updateWithinDays: 183 },
  interpretation: { label: '政策解读', updateWithinDays: 183 },
  disclosure: { label: '政府信息公开', updateWithinDays: 183 },
  'disclosure-guide': { label: '政府信息公开指南', updateWithinDays: 365 },
  'disclosure-report': { label: '政府信息公开年报', updateWithinDays: 365 },
  personnel: { label: '人事信息', updateWithinDays: 365 },
  planning: { label: '规划计划', updateWithinDays: 365 },
  overview: { label: '概况信息', updateWithinDays: null },
  institution: { label: '机构职能', updateWithinDays: null },
  service: { label: '政务服务', updateWithinDays: null },
  interaction: { label: '互动交流', updateWithinDays: null },
  qa: { label: '政策问答', updateWithinDays: null },
  topic: { label: '专题专栏', updateWithinDays: null },
} as const satisfies Record<string, { label: string; updateWithinDays: number | null }>;
export type ColumnKind = keyof typeof COLUMN_KINDS;
export const ColumnKindSchema = z.enum(Object.keys(COLUMN_KINDS) as [ColumnKind, ...ColumnKind[]]);

/** Paths every site already uses for its own pages (policy library, site map, assets). */
export const RESERVED_SLUGS = ['zcwjk', 'wzdt', 'sitemap', 'rss', 'robots', 'search', 'admin'] as const;
export const ColumnSlugSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, '栏目路径只能包含小写字母、数字和连字符')
  .refine((s) => !(RESERVED_SLUGS as readonly string[]).includes(s), { message: '该栏目路径为系统保留' });

export const ColumnSchema = z.object({
  /** `<siteId>/<slug>`: slugs are unique within a site and become the column's URL path. */
  id: z.string().regex(/^[a-z0-9-]+\/[a-z][a-z0-9-]*$/),
  siteId: SiteIdSchema,
  parentId: z.string().nullable(),
  slug: ColumnSlugSchema,
  name: z.string().min(2).max(30),
  kind: ColumnKindSchema,
  description: z.string().min(4).max(200),
  keywords: z.array(z.string().min(1).max(20)).max(10),
  sortOrder: z.int().min(0),
});
export type Column = z.infer<typeof ColumnSchema>;

export const columnId = (siteId: string, slug: string) => `${siteId}/${slug}`;
/** Where a document lives on a site: under the column that shows it there. */
export const documentPath = (columnSlug: string, documentId: string) => `/${columnSlug}/${documentId}.html`;

/** Whether a column breaks its update rule at `now`, given the newest publish time in it. */
export function isColumnOverdue(kind: ColumnKind, newest: Date | null, now: Date): boolean {
  const limit = COLUMN_KINDS[kind].updateWithinDays;
  if (newest === null) return true; // an empty column fails inspection whatever its kind
  return limit !== null && now.getTime() - newest.getTime() > limit * 86_400_000;
}

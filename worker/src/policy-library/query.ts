/**
 * What a 政策文件库 request may ask: 发文机关, 年份, 主题分类, 有效性 and the page, from a GET form. Empty fields mean
 * "全部". Every value is checked here (zod) and, for 发文机关 and the page, against what the site holds; a bad one is
 * named in Chinese, never a 5xx.
 */
import { z } from 'zod';
import { VALIDITIES } from '@ywtc/cms-schema';
import { POLICY_TOPICS } from '@ywtc/cms-schema/topics';

/** 有效性 as the filter offers it: the stored values, and 未标注 for a document that records none. */
export const VALIDITY_FILTERS = [...VALIDITIES, '未标注'] as const;
export type ValidityFilter = (typeof VALIDITY_FILTERS)[number];

export const PAGE_SIZE = 20;

export const FIELD_NAMES = { issuer: '发文机关', year: '年份', topic: '主题分类', validity: '有效性', page: '页码' } as const;
export type LibraryField = keyof typeof FIELD_NAMES;

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

export const LibraryQuerySchema = z.object({
  issuer: z.preprocess(blank, z.string().trim().max(80, '不能超过 80 个字').optional()),
  year: z.preprocess(
    blank,
    z
      .string()
      .regex(/^\d{4}$/, '应为四位数字年份，如 2024')
      .transform(Number)
      .pipe(z.number().min(1949, '应在 1949 年至 2100 年之间').max(2100, '应在 1949 年至 2100 年之间'))
      .optional(),
  ),
  topic: z.preprocess(blank, z.enum(POLICY_TOPICS, { error: '应为列表中的一项' }).optional()),
  validity: z.preprocess(blank, z.enum(VALIDITY_FILTERS, { error: `应为 ${VALIDITY_FILTERS.join('、')} 之一` }).optional()),
  page: z.preprocess(
    blank,
    z
      .string()
      .regex(/^\d{1,4}$/, '应为正整数')
      .transform(Number)
      .pipe(z.number().min(1, '应为正整数'))
      .default(1),
  ),
});
export type LibraryQuery = z.infer<typeof LibraryQuerySchema>;

export interface QueryProblem {
  field: LibraryField;
  message: string;
}

/** The query of a request, or the first problem with it. Unknown parameters are ignored (links carry tracking tails). */
export function parseLibraryQuery(params: Record<string, string>): { query: LibraryQuery } | { problem: QueryProblem } {
  const raw = Object.fromEntries(Object.keys(FIELD_NAMES).map((k) => [k, params[k]]));
  const parsed = LibraryQuerySchema.safeParse(raw);
  if (parsed.success) return { query: parsed.data };
  const issue = parsed.error.issues[0]!;
  const field = issue.path[0] as LibraryField;
  return { problem: { field, message: `${FIELD_NAMES[field]}${issue.message}` } };
}

/** The query as URL parameters (empty ones left out), with another page: the links of the pagination. */
export function queryString(q: Omit<LibraryQuery, 'page'>, page: number): string {
  const p = new URLSearchParams();
  if (q.issuer) p.set('issuer', q.issuer);
  if (q.year) p.set('year', String(q.year));
  if (q.topic) p.set('topic', q.topic);
  if (q.validity) p.set('validity', q.validity);
  if (page > 1) p.set('page', String(page));
  const s = p.toString();
  return s ? `?${s}` : '';
}

/**
 * The dashboard's GET form (领导决策辅助): which site's subtree, over which period, shown as a page or one panel
 * exported as CSV. Checked with zod; a bad value is a 400 that names the field in Chinese.
 */
import { z } from 'zod';

export const PERIODS = [30, 90, 365] as const;
export type Period = (typeof PERIODS)[number];

/** Every panel of the page, each exportable as CSV (`?format=csv&panel=<name>`), with its Chinese name. */
export const PANELS = {
  scores: '检查得分',
  vetoes: '普查不合格网站',
  overdue: '逾期整改',
  publishing: '信息发布',
  views: '页面浏览',
  'top-documents': '浏览最多的信息',
  searches: '每日搜索',
  'hot-queries': '热门搜索词',
  'zero-queries': '无结果搜索词',
  questions: '未回答的政策问题',
  consult: '网民留言',
  open: '数据开放接口调用',
  'open-days': '数据开放每日调用',
} as const;
export type Panel = keyof typeof PANELS;

const FIELD_LABELS: Record<string, string> = { site: '网站', period: '统计周期', format: '格式', panel: '导出面板' };

export const DashboardQuerySchema = z
  .object({
    site: z
      .string()
      .max(80, '网站编号过长')
      .regex(/^[a-z0-9-]*$/, '网站编号只能含小写字母、数字和连字符')
      .optional()
      .transform((s) => (s ? s : null)),
    period: z
      .enum(['30', '90', '365'], { error: '只能是 30、90 或 365 天' })
      .optional()
      .transform((p): Period => (p ? (Number(p) as Period) : 30)),
    format: z.enum(['html', 'csv'], { error: '只能是 html 或 csv' }).optional().default('html'),
    panel: z.enum(Object.keys(PANELS) as [Panel, ...Panel[]], { error: `只能是 ${Object.keys(PANELS).join('、')} 之一` }).optional(),
  })
  .refine((q) => q.format !== 'csv' || q.panel !== undefined, { message: '导出 CSV 时须指定要导出的面板', path: ['panel'] });
export type DashboardQuery = z.output<typeof DashboardQuerySchema>;

export type Parsed = { ok: true; query: DashboardQuery } | { ok: false; field: string; message: string };

/** The query string as the form sends it; a name given twice is refused rather than guessed at. */
export function parseDashboardQuery(params: URLSearchParams): Parsed {
  const raw: Record<string, string> = {};
  for (const [key, label] of Object.entries(FIELD_LABELS)) {
    const all = params.getAll(key);
    if (all.length > 1) return { ok: false, field: key, message: `${label}：只能指定一次` };
    if (all.length === 1) raw[key] = all[0]!;
  }
  const parsed = DashboardQuerySchema.safeParse(raw);
  if (parsed.success) return { ok: true, query: parsed.data };
  const issue = parsed.error.issues[0]!;
  const field = String(issue.path[0] ?? 'site');
  return { ok: false, field, message: `${FIELD_LABELS[field] ?? field}：${issue.message}` };
}

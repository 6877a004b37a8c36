/**
 * 办事指南: the elements the national inspection (政府网站与政务新媒体检查指标, 办事服务) requires of every
 * guide — 事项名称 is the document's title; the rest are here — plus the 服务场景 it serves (the 常用服务 a
 * citizen can pick lead to it) and the online hall address. A guide is a document of kind `guide`, so it goes
 * through the same 先审后发, placements, pages, search and open data as every other document.
 */
import { z } from 'zod';
import { text } from './text.ts';
import { SCENE_LABELS, SceneCodeSchema } from './personal/interests.ts';

const element = (title: string, max: number, description?: string) =>
  text()
    .trim()
    .min(2, `${title}至少 2 个字`)
    .max(max, `${title}不能超过 ${max} 个字`)
    .meta({ title, ...(description ? { description } : {}) });

export const ServiceGuideSchema = z.object({
  basis: element('设定依据', 4000, '法律、法规、规章的名称及条款'),
  conditions: element('申请条件', 4000),
  materials: z
    .array(text().trim().min(2, '每项材料至少 2 个字').max(300))
    .min(1, '请至少列出一项办理材料')
    .max(60)
    .meta({ title: '办理材料', description: '每行一项', 'x-widget': 'lines' }),
  place: element('办理地点', 300),
  agency: element('办理机构', 120),
  fee: element('收费标准', 500, '不收费请填写“不收费”'),
  hours: element('办理时间', 200),
  phone: text()
    .trim()
    .regex(/^[0-9０-９（）()\-—–\s、,，;；转]{5,60}$/, '联系电话只能包含数字、括号、连字符和“转”')
    .meta({ title: '联系电话' }),
  process: element('办理流程', 4000),
  promiseDays: z.int().min(0).max(365).nullable().meta({ title: '承诺办结时限（工作日）' }),
  scenes: z
    .array(SceneCodeSchema)
    .min(1, '请至少选择一个服务场景')
    .max(5)
    .meta({ title: '服务场景', description: '居民在“我的常用服务”中选择这些场景时会看到本指南', 'x-labels': SCENE_LABELS }),
  onlineUrl: z
    .url({ protocol: /^https?$/ })
    .nullable()
    .meta({ title: '在线办理网址' }),
});
export type ServiceGuide = z.infer<typeof ServiceGuideSchema>;

/** The elements in the order a guide page shows them, with their labels (the schema's titles). */
export const GUIDE_ELEMENTS = ['basis', 'conditions', 'materials', 'place', 'agency', 'fee', 'hours', 'phone', 'process', 'promiseDays'] as const;

/** Each element's label, read from the schema (one place names them: the CMS form, the page, the open data). */
export const GUIDE_LABELS = Object.fromEntries(
  Object.entries(ServiceGuideSchema.shape).map(([key, schema]) => [key, String(schema.meta()?.title ?? key)]),
) as Record<keyof ServiceGuide, string>;

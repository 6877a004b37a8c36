/**
 * External units (数据使用单位) and what they hold: the unit and its login, applications for interfaces
 * (申请 → 审批), API keys and daily usage. Accounts here are separate from the CMS's staff accounts; their
 * password and session rules are the same (account.ts).
 */
import { z } from 'zod';
import { PasswordSchema, UsernameSchema } from '../account.ts';
import { text } from '../text.ts';
import { InterfaceCodeSchema } from './catalogue.ts';

/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from 0-9 and A-Z without I, O, S, V, Z; the last is a check
 * character computed from the first 17 with the weights 3^i mod 31.
 */
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  return USCC_CHARS[(31 - (sum % 31)) % 31]!;
}
export const UsccSchema = z
  .string({ error: '请填写统一社会信用代码' })
  .trim()
  .toUpperCase()
  .regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/, '统一社会信用代码应为 18 位数字或大写字母（不含 I、O、S、V、Z）')
  .refine((c) => usccCheckChar(c.slice(0, 17)) === c[17], '统一社会信用代码校验位不正确，请核对');

const PhoneSchema = z
  .string({ error: '请填写联系电话' })
  .trim()
  .regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, '联系电话应为手机号或带区号的固定电话');

export const UnitRegistrationSchema = z.object({
  unitName: text({ error: '请填写单位名称' }).trim().min(4, '单位名称至少 4 个字').max(60, '单位名称不能超过 60 个字'),
  uscc: UsccSchema,
  contactName: text({ error: '请填写联系人' }).trim().min(2, '联系人至少 2 个字').max(20, '联系人不能超过 20 个字'),
  contactPhone: PhoneSchema,
  contactEmail: z.email({ error: '电子邮箱格式不正确' }).max(100, '电子邮箱不能超过 100 个字符'),
  purpose: text({ error: '请填写使用数据的目的' }).trim().min(10, '请用至少 10 个字说明使用数据的目的').max(500, '使用目的不能超过 500 个字'),
  username: UsernameSchema,
  password: PasswordSchema,
});
export type UnitRegistration = z.infer<typeof UnitRegistrationSchema>;

export const UNIT_STATUSES = { active: '正常', suspended: '已暂停' } as const;
export const OpenUnitSchema = z.object({
  id: z.string(),
  name: z.string(),
  uscc: z.string(),
  /** The applicant's contact: for the approving units only, never in any interface. */
  contactName: z.string(),
  contactPhone: z.string(),
  contactEmail: z.string(),
  purpose: z.string(),
  status: z.enum(['active', 'suspended']),
  suspendedReason: z.string().nullable(),
  createdAt: z.string(),
});
export type OpenUnit = z.infer<typeof OpenUnitSchema>;

export const OpenAccountSchema = z.object({
  id: z.string(),
  unitId: z.string(),
  username: z.string(),
  passwordHash: z.string().regex(/^[0-9a-f]{64}$/),
  passwordSalt: z.string().regex(/^[0-9a-f]{32}$/),
  passwordIterations: z.number().int().min(100_000),
  createdAt: z.string(),
  passwordChangedAt: z.string(),
});
export type OpenAccount = z.infer<typeof OpenAccountSchema>;

export const MAX_DAILY_QUOTA = 100_000;
export const ApplicationInputSchema = z.object({
  code: InterfaceCodeSchema,
  purpose: text({ error: '请填写用途' }).trim().min(10, '请用至少 10 个字说明用途').max(500, '用途不能超过 500 个字'),
  dailyQuota: z.coerce
    .number({ error: '每日调用量应为整数' })
    .int('每日调用量应为整数')
    .min(1, '每日调用量至少为 1')
    .max(MAX_DAILY_QUOTA, `每日调用量不能超过 ${MAX_DAILY_QUOTA}`),
  endsOn: z.iso.date({ error: '截止日期应为 YYYY-MM-DD' }),
});
export type ApplicationInput = z.infer<typeof ApplicationInputSchema>;

export const APPLICATION_STATUSES = { pending: '待审批', approved: '已批准', rejected: '未批准', cancelled: '已撤回' } as const;
export type ApplicationStatus = keyof typeof APPLICATION_STATUSES;
export const OpenApplicationSchema = z.object({
  id: z.string(),
  unitId: z.string(),
  code: z.string(),
  purpose: z.string(),
  dailyQuota: z.int(),
  endsOn: z.string(),
  status: z.enum(['pending', 'approved', 'rejected', 'cancelled']),
  /** 审批意见: required for a rejection. */
  reason: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type OpenApplication = z.infer<typeof OpenApplicationSchema>;

export const DecisionSchema = z
  .object({
    decision: z.enum(['approve', 'reject'], { error: '请选择批准或不批准' }),
    reason: text().trim().max(300, '审批意见不能超过 300 个字').default(''),
  })
  .refine((d) => d.decision === 'approve' || d.reason.length >= 4, { message: '不批准时请填写至少 4 个字的理由', path: ['reason'] });

/** An API key: only its SHA-256 is kept; the prefix (first characters) lets the unit tell its keys apart. */
export const ApiKeySchema = z.object({
  id: z.string(),
  unitId: z.string(),
  keyHash: z.string().regex(/^[0-9a-f]{64}$/),
  prefix: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;
/** A key lives a year at most, and never past the end date of the unit's latest approval. */
export const KEY_LIFETIME_DAYS = 365;
export const API_KEY_PATTERN = /^ywtc_[A-Za-z0-9_-]{43}$/;

export const OpenUsageSchema = z.object({
  day: z.string(),
  unitId: z.string(),
  code: z.string(),
  calls: z.int(),
  refused: z.int(),
});
export type OpenUsage = z.infer<typeof OpenUsageSchema>;

/**
 * Accounts and what they may do, along the site hierarchy (分级管理、内容自管、权责一致). An account holds
 * grants; each grant is a role on a site (and everything below it where the role reaches down), declared
 * here once: D1 rows (table.ts), API validation and the admin forms derive from these schemas.
 *
 * Identity is separate from accounts: the local password provider is one way to prove who someone is;
 * `externalSubject` links an account to a provincial SSO (OIDC `iss` + `sub`) when one is added.
 */
import { z } from 'zod';

export const ROLES = {
  'platform-admin': '平台管理员',
  'site-admin': '网站管理员',
  editor: '编辑',
  reviewer: '审核员',
  auditor: '审计员',
} as const;
export type Role = keyof typeof ROLES;
export const RoleSchema = z.enum(Object.keys(ROLES) as [Role, ...Role[]]);

/** Review levels a column or document kind may require (政策文件 two, 要闻 one …). */
export const MAX_REVIEW_LEVEL = 5;

export const UsernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9._-]{2,39}$/, '用户名为 3–40 位小写字母、数字、点、下划线或连字符，以字母开头');

/** At least 10 characters with letters and digits: the 等保 baseline for a government back office. */
export const PasswordSchema = z
  .string()
  .min(10, '密码至少 10 位')
  .max(128, '密码不能超过 128 位')
  .refine((p) => /\p{L}/u.test(p) && /\d/.test(p), '密码须同时包含字母和数字');

export const GrantSchema = z
  .object({
    id: z.string().min(1).max(80),
    accountId: z.string().min(1).max(40),
    role: RoleSchema,
    /** The site the grant is on; null only for platform admins and platform-wide auditors. */
    siteId: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .nullable(),
    /** Editors only: the columns they may write in (empty: all of the site's columns). */
    columnIds: z.array(z.string().max(80)).max(200).default([]),
    /** Reviewers only: the review level they sign off (1 = first). */
    level: z.number().int().min(1).max(MAX_REVIEW_LEVEL).nullable().default(null),
  })
  .superRefine((g, ctx) => {
    if (g.role === 'platform-admin' && g.siteId !== null) ctx.addIssue({ code: 'custom', path: ['siteId'], message: '平台管理员不限定网站' });
    if (g.role !== 'platform-admin' && g.role !== 'auditor' && g.siteId === null)
      ctx.addIssue({ code: 'custom', path: ['siteId'], message: '该角色须指定网站' });
    if (g.role === 'reviewer' && g.level === null) ctx.addIssue({ code: 'custom', path: ['level'], message: '审核员须指定审核级别' });
    if (g.role !== 'reviewer' && g.level !== null) ctx.addIssue({ code: 'custom', path: ['level'], message: '只有审核员有审核级别' });
    if (g.role !== 'editor' && g.columnIds.length > 0) ctx.addIssue({ code: 'custom', path: ['columnIds'], message: '只有编辑可限定栏目' });
  });
export type Grant = z.infer<typeof GrantSchema>;

export const AccountSchema = z.object({
  id: z.string().min(1).max(40),
  username: UsernameSchema,
  displayName: z.string().trim().min(1).max(40),
  /** PBKDF2-SHA256 of the password (hex), its per-account salt (hex) and iteration count. */
  passwordHash: z.string().regex(/^[0-9a-f]{64}$/),
  passwordSalt: z.string().regex(/^[0-9a-f]{32}$/),
  passwordIterations: z.number().int().min(100_000),
  /** `iss|sub` of a linked single-sign-on identity (统一身份认证), when there is one. */
  externalSubject: z.string().max(300).nullable().default(null),
  disabled: z.boolean().default(false),
  isDemo: z.boolean().default(false),
  createdAt: z.iso.datetime({ offset: true }),
  passwordChangedAt: z.iso.datetime({ offset: true }),
});
export type Account = z.infer<typeof AccountSchema>;

export const LoginSchema = z.object({ username: UsernameSchema, password: z.string().min(1, '请输入密码').max(128) });
export const PasswordChangeSchema = z.object({ current: z.string().min(1, '请输入当前密码').max(128), next: PasswordSchema });

/**
 * The audit log: every mutation — who, what, when, on which site, and hashes of the thing before and after —
 * appended in the same transaction as the change itself, never updated or deleted (D1 triggers refuse it).
 */
import { z } from 'zod';
import { defineAccess } from './access.ts';

export const AuditEntrySchema = z.object({
  seq: z.number().int().min(1),
  at: z.iso.datetime({ offset: true }),
  /** Who did it; null when nobody was signed in (a failed login). */
  accountId: z.string().max(40).nullable(),
  /** What was done, e.g. `auth.login`, `document.publish`. */
  action: z.string().regex(/^[a-z]+(\.[a-z-]+)+$/),
  /** What it was done to, e.g. a document id or a user name. */
  target: z.string().max(200),
  /** The site it concerns, for auditors bound to a site; null for platform-wide things. */
  siteId: z.string().max(80).nullable(),
  beforeHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  afterHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  /** A short note (a reason, a comment); never a password or a token. */
  detail: z.string().max(500),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  action: z
    .string()
    .regex(/^[a-z.-]+$/, '操作类型格式不正确')
    .max(60)
    .optional(),
  account: z.string().max(40).optional(),
  site: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  size: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

/** One CSV field: quoted, quotes doubled, and a leading = + - @ defused so a spreadsheet never runs it. */
export function csvField(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** Auditors and platform admins read the log, within the sites their grants reach (worker/src/cms/audit.ts). */
export const AUDIT_ACCESS = defineAccess({
  read: { who: ['staff'], action: 'audit.read' },
});

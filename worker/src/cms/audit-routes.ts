/** GET /api/cms/audit (JSON, paged) and /api/cms/audit.csv (export, up to 50,000 entries): auditors and platform admins. */
import { Hono, type Context } from 'hono';
import { AuditQuerySchema } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { invalid, noStore } from '../platform/http.ts';
import { auditCsv, queryAudit } from './audit.ts';

const EXPORT_LIMIT = 50_000;

function parse(c: Context<AppEnv>) {
  const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ''));
  return AuditQuerySchema.safeParse(raw);
}

export const auditRoutes = new Hono<AppEnv>();
const readAudit = authorize('audit', 'read');

auditRoutes.get('/audit', readAudit, async (c) => {
  const p = parse(c);
  if (!p.success) return invalid(c, p.error);
  return c.json(await queryAudit(c.env.DB, staffOf(c).grants, p.data), 200, noStore);
});

auditRoutes.get('/audit.csv', readAudit, async (c) => {
  const p = parse(c);
  if (!p.success) return invalid(c, p.error);
  const { entries } = await queryAudit(c.env.DB, staffOf(c).grants, { ...p.data, page: 1 }, EXPORT_LIMIT);
  return c.body(auditCsv(entries), 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': 'attachment; filename="audit-log.csv"',
    ...noStore,
  });
});

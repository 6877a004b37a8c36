/** GET /api/cms/audit (JSON, paged) and /api/cms/audit.csv (export, up to 50,000 entries): auditors and platform admins. */
import { Hono, type Context } from 'hono';
import { AuditQuerySchema } from '@ywtc/cms-schema';
import type { CmsEnv } from './auth-routes.ts';
import { auditCsv, mayReadAudit, queryAudit } from './audit.ts';

const EXPORT_LIMIT = 50_000;

function parse(c: Context<CmsEnv>) {
  const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ''));
  return AuditQuerySchema.safeParse(raw);
}

export const auditRoutes = new Hono<CmsEnv>();

const auditorsOnly = async (c: Context<CmsEnv>, next: () => Promise<void>) => {
  if (!mayReadAudit(c.get('grants'))) return c.json({ error: 'forbidden', message: '只有审计员和平台管理员可以查看审计日志' }, 403, { 'Cache-Control': 'no-store' });
  await next();
};
auditRoutes.use('/audit', auditorsOnly);
auditRoutes.use('/audit.csv', auditorsOnly);

auditRoutes.get('/audit', async (c) => {
  const p = parse(c);
  if (!p.success) return c.json({ error: 'invalid', field: String(p.error.issues[0]!.path[0] ?? 'query'), message: p.error.issues[0]!.message }, 400);
  return c.json(await queryAudit(c.env.DB, c.get('grants'), p.data), 200, { 'Cache-Control': 'no-store' });
});

auditRoutes.get('/audit.csv', async (c) => {
  const p = parse(c);
  if (!p.success) return c.json({ error: 'invalid', field: String(p.error.issues[0]!.path[0] ?? 'query'), message: p.error.issues[0]!.message }, 400);
  const { entries } = await queryAudit(c.env.DB, c.get('grants'), { ...p.data, page: 1 }, EXPORT_LIMIT);
  return c.body(auditCsv(entries), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="audit-log.csv"', 'Cache-Control': 'no-store' });
});

/**
 * The switch-over's routes (switchover.ts): the platform admins' pages under /admin (mounted by admin/routes.ts) and
 * `POST /_ingest/import/switchover {siteId, step, again?, reason?}` for the command line (mounted by ingest/routes.ts,
 * publishing token). Both run the same step; access is cms-schema IMPORT_ACCESS.manage (platform staff, machines).
 */
import { Hono, type Context } from 'hono';
import { SiteIdSchema } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { noStore } from '../platform/http.ts';
import { viewerOf } from '../admin/viewer.ts';
import { SWITCHOVER_FIELDS, SwitchoverInputSchema, loadSwitchover, runStep, type StepResult } from './switchover.ts';
import { switchoverListPage, switchoverPage, type SwitchoverView } from './switchover-page.ts';

const fieldOf = (path: PropertyKey | undefined) => (typeof path === 'string' && Object.hasOwn(SWITCHOVER_FIELDS, path) ? path : null);

export const switchoverPages = new Hono<AppEnv>();

switchoverPages.get('/import/switchover', authorize('import', 'manage', 'page'), async (c) => {
  const { results } = await c.env.DB.prepare(
    `SELECT s.id, s.name, w.state, w.version, w.updated_at FROM sites s LEFT JOIN site_switchovers w ON w.site_id = s.id
      WHERE w.site_id IS NOT NULL OR EXISTS (SELECT 1 FROM import_sources i, json_each(i.site_ids) j WHERE j.value = s.id)
      ORDER BY s.sort_order, s.id`,
  ).all<{ id: string; name: string; state: string | null; version: string | null; updated_at: string | null }>();
  const sites = results.map((r) => ({
    id: r.id,
    name: r.name,
    switchover: r.state ? { state: r.state as 'importing', version: r.version, updatedAt: r.updated_at! } : null,
  }));
  return c.html(switchoverListPage(viewerOf(c), sites), 200, noStore);
});

async function view(c: Context<AppEnv>, siteId: string, extra: Partial<SwitchoverView> = {}): Promise<SwitchoverView | null> {
  const site = await c.env.DB.prepare("SELECT id, name, json_extract(domains, '$[0]') AS domain FROM sites WHERE id = ?")
    .bind(siteId)
    .first<{ id: string; name: string; domain: string }>();
  if (!site) return null;
  return { site, switchover: await loadSwitchover(c.env.DB, siteId), notice: null, error: null, ...extra };
}

const NOT_FOUND = '网站：没有该网站';
const NOTICES: Record<string, string> = {
  start: '切换已开始：该网站的页面更新已暂停，导入完成后请生成新版本。',
  render: '新版本已生成，网站仍在显示原版本；请检查新版本。',
  inspect: '检查完成，请查看下方的检查结论。',
  activate: '网站已上线新版本，旧网址开始按页面跳转到新网站。',
};
for (const step of Object.keys(NOTICES)) NOTICES[`${step}-unchanged`] = '该步骤此前已完成，未做改动。';

switchoverPages.get('/import/switchover/:siteId', authorize('import', 'manage', 'page'), async (c) => {
  const id = SiteIdSchema.safeParse(c.req.param('siteId'));
  const v = id.success ? await view(c, id.data, { notice: NOTICES[c.req.query('done') ?? ''] ?? null }) : null;
  if (!v) return c.text(NOT_FOUND, 404, noStore);
  return c.html(switchoverPage(viewerOf(c), v), 200, noStore);
});

switchoverPages.post('/import/switchover/:siteId', authorize('import', 'manage', 'page'), async (c) => {
  const form: Record<string, unknown> = await c.req.parseBody().catch(() => ({}));
  const siteId = c.req.param('siteId').slice(0, 64);
  const reason = typeof form.reason === 'string' && form.reason.trim() !== '' ? form.reason.slice(0, 2000) : undefined;
  const parsed = SwitchoverInputSchema.safeParse({ siteId, step: form.step, again: form.again === '1', ...(reason !== undefined ? { reason } : {}) });
  const answer = async (status: 400 | 404 | 409 | 503, extra: Partial<SwitchoverView>) => {
    const v = await view(c, siteId, extra);
    return v ? c.html(switchoverPage(viewerOf(c), v), status, noStore) : c.text(NOT_FOUND, 404, noStore);
  };
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return answer(400, { error: { field: fieldOf(i.path[0]), message: i.message } });
  }
  const r: StepResult = await runStep(c.env, parsed.data, { accountId: staffOf(c).accountId }, (p) => c.executionCtx.waitUntil(p));
  if (!r.ok) return answer(r.status, { error: { field: r.field, message: r.message } });
  return c.redirect(`/admin/import/switchover/${siteId}?done=${parsed.data.step}${r.changed ? '' : '-unchanged'}`, 303);
});

/** The command line's way in: the same steps, answered as JSON (4xx naming the field in Chinese). */
export const ingestSwitchover = new Hono<AppEnv>().post('/import/switchover', authorize('import', 'manage', 'machine'), async (c) => {
  const parsed = SwitchoverInputSchema.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const field = fieldOf(i.path[0]);
    return c.json(
      { error: 'invalid', field: field ?? 'body', message: `${field ? SWITCHOVER_FIELDS[field as keyof typeof SWITCHOVER_FIELDS] : '请求体'}：${i.message}` },
      400,
    );
  }
  const r = await runStep(c.env, parsed.data, { accountId: null }, (p) => c.executionCtx.waitUntil(p));
  if (!r.ok) return c.json({ error: 'refused', field: r.field, message: `${r.field ? `${SWITCHOVER_FIELDS[r.field]}：` : ''}${r.message}` }, r.status);
  const s = r.switchover;
  return c.json({
    siteId: s.siteId,
    state: s.state,
    version: s.version,
    changed: r.changed,
    message: r.message,
    verdict: s.record?.inspection
      ? {
          score: s.record.inspection.score,
          vetoes: s.record.inspection.vetoes,
          vetoReasons: s.record.inspection.vetoReasons,
          byKind: s.record.inspection.byKind,
        }
      : null,
  });
});

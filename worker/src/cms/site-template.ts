/**
 * Switching a site's template (themes/templates.ts): a site admin of the site or above, or a platform admin,
 * picks one of the templates open to the site's kind; the change is written with its audit entry, and the
 * whole site is rendered again inside the Worker before the answer (render/whole-site.ts) — every page's
 * header, colours and layout change at once.
 */
import { z } from 'zod';
import { can, type Grant } from '@ywtc/cms-schema';
import { templateById, templatesForKind } from '@ywtc/themes';
import { auditStatement } from './audit.ts';
import { parentMap, type Actor } from './documents.ts';
import type { Result } from '../platform/result.ts';
import type { WholeSite } from '../render/whole-site.ts';
import type { RenderEnv } from '../render/update-site.ts';
import { enqueueSiteRender, processRenderQueue } from '../render/render-queue.ts';

export const TemplateChoiceSchema = z.object({
  templateId: z
    .string()
    .regex(/^[a-z0-9-]+$/, '模板编号格式不正确')
    .max(80),
});

export interface TemplateSwitch {
  siteId: string;
  templateId: string;
  previous: string;
  pages: WholeSite | null;
  pending: boolean;
}

export async function switchTemplate(
  env: RenderEnv,
  account: Actor,
  grants: Grant[],
  siteId: string,
  templateId: string,
  now = new Date(),
): Promise<Result<TemplateSwitch>> {
  const site = await env.DB.prepare('SELECT kind, theme_id FROM sites WHERE id = ?').bind(siteId).first<{ kind: string; theme_id: string }>();
  if (!site) return { ok: false, status: 404, field: 'siteId', message: '网站不存在' };
  if (!can(grants, 'site.manage', { siteId }, await parentMap(env.DB)))
    return { ok: false, status: 403, field: 'siteId', message: '只有该网站或上级网站的管理员可以更换模板' };
  if (!templateById.has(templateId)) return { ok: false, status: 400, field: 'templateId', message: `没有模板 ${templateId}` };
  if (!templatesForKind(site.kind).some((t) => t.id === templateId)) return { ok: false, status: 400, field: 'templateId', message: '该模板不适用于这类网站' };
  // The switch, its audit entry and the whole-site render it owes are one transaction: if the Worker stops
  // right after, the queued render is finished by the Cron Trigger (or `npm start`), never lost.
  await env.DB.batch([
    env.DB.prepare('UPDATE sites SET theme_id = ? WHERE id = ?').bind(templateId, siteId),
    enqueueSiteRender(env.DB, siteId, now.toISOString()),
    await auditStatement(
      env.DB,
      {
        accountId: account.id,
        action: 'site.template',
        target: siteId,
        siteId,
        before: { templateId: site.theme_id },
        after: { templateId },
        detail: `${site.theme_id} → ${templateId}`,
      },
      now,
    ),
  ]);
  const run = await processRenderQueue(env, { siteId }).catch((e: unknown) => {
    console.error(`rebuild ${siteId}:`, e);
    return null;
  });
  const done = run?.sites.find((x) => x.siteId === siteId);
  const pages = done && done.status === 'whole-site' && done.version ? { version: done.version, pages: done.pages, changed: done.changed, ms: done.ms } : null;
  return { ok: true, value: { siteId, templateId, previous: site.theme_id, pages, pending: pages === null } };
}

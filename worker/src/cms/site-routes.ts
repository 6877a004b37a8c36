/** /api/cms/sites: the sites an account manages, with their templates, and switching a site's template. */
import { Hono } from 'hono';
import { can } from '@ywtc/cms-schema';
import { templateFor } from '@ywtc/themes';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { staffOf } from '../access/authenticate.ts';
import { actorOf, parentMap } from './documents.ts';
import { invalid, jsonBody, noStore, reply } from '../platform/http.ts';
import { TemplateChoiceSchema, switchTemplate } from './site-template.ts';

export const siteRoutes = new Hono<AppEnv>();
const manage = authorize('sites', 'manage');

siteRoutes.get('/sites', manage, async (c) => {
  const parentOf = await parentMap(c.env.DB);
  const { results } = await c.env.DB.prepare('SELECT id, name, kind, theme_id FROM sites ORDER BY sort_order').all<{
    id: string;
    name: string;
    kind: string;
    theme_id: string;
  }>();
  const sites = results
    .filter((s) => can(staffOf(c).grants, 'site.manage', { siteId: s.id }, parentOf))
    .map((s) => {
      const t = templateFor(s.theme_id);
      return { id: s.id, name: s.name, kind: s.kind, templateId: t.id, templateName: t.name };
    });
  return c.json({ sites }, 200, noStore);
});

siteRoutes.put('/sites/:id/template', manage, async (c) => {
  const parsed = TemplateChoiceSchema.safeParse(await jsonBody(c));
  if (!parsed.success) return invalid(c, parsed.error);
  const p = staffOf(c);
  return reply(c, await switchTemplate(c.env, actorOf(p), p.grants, c.req.param('id'), parsed.data.templateId));
});

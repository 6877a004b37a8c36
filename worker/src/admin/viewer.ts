/** The signed-in staff member as the admin pages show them: name, CSRF token for forms, and the parts of the admin their grants open. */
import type { Context } from 'hono';
import { canAnywhere, type Grant } from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { staffOf } from '../access/authenticate.ts';
import type { NavKey, Viewer } from './admin-layout.ts';

export function navFor(grants: readonly Grant[]): Set<NavKey> {
  const nav = new Set<NavKey>(['work', 'documents']);
  if (canAnywhere(grants, 'document.write')) nav.add('new');
  if (canAnywhere(grants, 'document.review')) nav.add('review');
  if (canAnywhere(grants, 'qa.write') || canAnywhere(grants, 'qa.review')) nav.add('qa');
  if (canAnywhere(grants, 'search.read')) nav.add('search');
  if (canAnywhere(grants, 'site.manage')) nav.add('sites');
  if (canAnywhere(grants, 'open.approve')) nav.add('open');
  if (canAnywhere(grants, 'hot.manage')) nav.add('hot');
  if (canAnywhere(grants, 'document.write')) nav.add('tags');
  if (canAnywhere(grants, 'document.write')) nav.add('import');
  if (canAnywhere(grants, 'consult.answer')) nav.add('consult');
  if (canAnywhere(grants, 'inspect.read')) nav.add('inspect');
  if (canAnywhere(grants, 'inspect.read')) nav.add('dashboard');
  if (canAnywhere(grants, 'domain.request')) nav.add('domains');
  return nav;
}

export const viewerOf = (c: Context<AppEnv>): Viewer => {
  const p = staffOf(c);
  return { displayName: p.displayName, csrf: p.csrfToken, nav: navFor(p.grants) };
};

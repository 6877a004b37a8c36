/**
 * Who may see a document at all: any role on its site or above (write, review at one's own level, publish,
 * read the audit log). The API's reads and the admin pages' lists share this one rule.
 */
import { can, type CmsDocument, type Grant, type ParentOf } from '@ywtc/cms-schema';

export function mayRead(grants: readonly Grant[], item: Pick<CmsDocument, 'siteId' | 'columnId'>, parentOf: ParentOf): boolean {
  return (['document.write', 'document.review', 'document.publish', 'audit.read'] as const).some((a) =>
    grants.some((g) => can([g], a, { siteId: item.siteId, columnId: item.columnId, ...(g.level ? { level: g.level } : {}) }, parentOf)),
  );
}

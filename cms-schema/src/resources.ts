/**
 * Every resource of the platform and who may do what with it: the declarations beside each schema, in one
 * table the Worker's access middleware (worker/src/access/) reads. A route names a resource and an operation;
 * nothing else decides who gets in.
 */
import { defineAccess } from './access.ts';
import { AUDIT_ACCESS } from './audit.ts';
import { CHECK_TERM_ACCESS } from './checks.ts';
import { DOCUMENT_ACCESS } from './cms-document.ts';
import { PUBLICATION_ACCESS } from './publication.ts';
import { QA_ACCESS } from './qa.ts';
import { SEARCH_ACCESS } from './search-admin.ts';
import { SITE_ACCESS } from './site.ts';
import { HOT_ACCESS } from './personal/hot.ts';
import { CONSULT_ACCESS } from './consult.ts';
import { DOMAIN_ACCESS } from './domains.ts';
import { INSPECTION_ACCESS } from './inspection.ts';
import { IMPORT_ACCESS } from './import.ts';
import { OPEN_CATALOGUE_ACCESS, OPEN_DATA_ACCESS, OPEN_REVIEW_ACCESS, OPEN_UNIT_ACCESS } from './open/access.ts';

/** One's own account: sign in (anyone), then see oneself, change one's password, sign out. */
export const ACCOUNT_ACCESS = defineAccess({
  login: { who: ['anonymous', 'staff'] },
  self: { who: ['staff'] },
});

export const RESOURCES = {
  account: ACCOUNT_ACCESS,
  documents: DOCUMENT_ACCESS,
  checkTerms: CHECK_TERM_ACCESS,
  audit: AUDIT_ACCESS,
  sites: SITE_ACCESS,
  qa: QA_ACCESS,
  search: SEARCH_ACCESS,
  publication: PUBLICATION_ACCESS,
  openCatalogue: OPEN_CATALOGUE_ACCESS,
  openData: OPEN_DATA_ACCESS,
  openUnit: OPEN_UNIT_ACCESS,
  openReview: OPEN_REVIEW_ACCESS,
  hot: HOT_ACCESS,
  consult: CONSULT_ACCESS,
  inspection: INSPECTION_ACCESS,
  domains: DOMAIN_ACCESS,
  import: IMPORT_ACCESS,
} as const;
export type ResourceName = keyof typeof RESOURCES;
export type OperationOf<R extends ResourceName> = keyof (typeof RESOURCES)[R] & string;

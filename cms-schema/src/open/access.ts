/**
 * Who may do what in 数据开放 (collected in resources.ts with every other resource):
 * - the catalogue, the interface standard and the OpenAPI document are public;
 * - the interfaces answer API keys only (the key's own scope and quotas are checked by the route);
 * - a unit registers anonymously, then works in the portal signed in as itself;
 * - the owning units' site admins decide applications for their interfaces, and read their usage; platform
 *   admins may also suspend a unit.
 */
import { defineAccess } from '../access.ts';

export const OPEN_CATALOGUE_ACCESS = defineAccess({
  browse: { who: ['anonymous', 'staff', 'machine', 'unit', 'apiKey'] },
});
export const OPEN_DATA_ACCESS = defineAccess({
  call: { who: ['apiKey'] },
});
export const OPEN_UNIT_ACCESS = defineAccess({
  register: { who: ['anonymous', 'unit', 'staff'] },
  login: { who: ['anonymous', 'unit', 'staff'] },
  self: { who: ['unit'] },
});
export const OPEN_REVIEW_ACCESS = defineAccess({
  review: { who: ['staff'], action: 'open.approve' },
  suspend: { who: ['staff'], action: 'open.suspend' },
});

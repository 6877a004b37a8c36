/**
 * Who is asking, as one concept for every route of the platform: a staff member signed in to the CMS (with the
 * grants of their account), a machine holding the publishing token (the build that renders and publishes
 * sites), or an anonymous citizen reading the sites. Each route declares which of them it serves and what they
 * need (resources.ts); one middleware in the Worker (worker/src/access/) establishes the principal and
 * enforces the declaration. An external unit's API key (数据开放) becomes a fourth kind here, with its own
 * credential in the same middleware and its own rules in resources.ts.
 */
import type { Grant } from './account.ts';

export interface StaffPrincipal {
  kind: 'staff';
  accountId: string;
  username: string;
  displayName: string;
  grants: Grant[];
  /** The session's CSRF token: mutations by a browser session must carry it. */
  csrfToken: string;
  /** SHA-256 of the session token (for logout and password changes). */
  sessionHash: string;
}
export interface MachinePrincipal {
  kind: 'machine';
  name: 'publisher';
}
export interface AnonymousPrincipal {
  kind: 'anonymous';
}
export type Principal = StaffPrincipal | MachinePrincipal | AnonymousPrincipal;
export type PrincipalKind = Principal['kind'];

export const ANONYMOUS: AnonymousPrincipal = { kind: 'anonymous' };

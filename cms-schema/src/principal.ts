/**
 * Who is asking, as one concept for every route of the platform: a staff member signed in to the CMS (with the
 * grants of their account), a machine holding the publishing token (the build that renders and publishes
 * sites), an anonymous citizen reading the sites, and — for 数据开放 — an external unit signed in to the
 * open-data portal or a program holding one of its API keys. Each route declares which of them it serves and
 * what they need (resources.ts); one middleware in the Worker (worker/src/access/) establishes the principal
 * and enforces the declaration.
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
/** A signed-in account of an external unit (数据使用单位) on the open-data portal. */
export interface UnitPrincipal {
  kind: 'unit';
  accountId: string;
  unitId: string;
  unitName: string;
  username: string;
  csrfToken: string;
  sessionHash: string;
}
/** What an API key may call: the interfaces its unit holds approved applications for, each with its quota. */
export interface KeyGrant {
  code: string;
  dailyQuota: number;
  endsOn: string;
}
/** A program calling the open-data interfaces with an external unit's API key. */
export interface ApiKeyPrincipal {
  kind: 'apiKey';
  keyId: string;
  unitId: string;
  grants: KeyGrant[];
}
/** A separately built platform pushing into the content store (接入标准), having signed its request with its source's key. */
export interface ImportSourcePrincipal {
  kind: 'importSource';
  sourceId: string;
  siteIds: string[];
  hidden: boolean;
}
export type Principal = StaffPrincipal | MachinePrincipal | AnonymousPrincipal | UnitPrincipal | ApiKeyPrincipal | ImportSourcePrincipal;
export type PrincipalKind = Principal['kind'];

export const ANONYMOUS: AnonymousPrincipal = { kind: 'anonymous' };

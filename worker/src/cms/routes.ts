/**
 * /api/cms on the admin hosts: the CMS's JSON API — accounts, documents and 先审后发, the audit log, the
 * pre-publish lists, site templates and the policy Q&A knowledge base. Each route declares its access rule
 * (access/authorize.ts); nothing here checks a credential itself.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { authRoutes } from './auth-routes.ts';
import { auditRoutes } from './audit-routes.ts';
import { checkTermRoutes } from './check-term-routes.ts';
import { documentRoutes } from './document-routes.ts';
import { siteRoutes } from './site-routes.ts';
import { policySearchRoutes } from './policy-search.ts';
import { qaRoutes } from '../qa/routes.ts';
import { consultApi } from '../consult/api.ts';
import { rectificationApi } from '../inspect/rectification/api.ts';

export const cmsApi = new Hono<AppEnv>()
  .route('/', authRoutes)
  .route('/', documentRoutes)
  .route('/', auditRoutes)
  .route('/', checkTermRoutes)
  .route('/', siteRoutes)
  .route('/', policySearchRoutes)
  .route('/', qaRoutes)
  // 留言咨询 counts for dashboards (consult/api.ts).
  .route('/', consultApi)
  // 整改事项 (issue 14): list, read, 已整改 and 核销 (inspect/rectification/api.ts).
  .route('/', rectificationApi);

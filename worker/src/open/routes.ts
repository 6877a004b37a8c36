/**
 * 数据开放 on a platform host with the `open` capability (app.ts), all under /open:
 *   /open/v1/…            the interfaces (api.ts)
 *   /open/openapi.json    the OpenAPI 3.1 document (openapi.ts)
 *   /open/docs            the interface standard; /open/docs/api the interactive reference (docs-routes.ts)
 *   /open, /open/…        the portal for external units (portal/routes.ts)
 */
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { openApi } from './api.ts';
import { catalogue } from './catalogue.ts';
import { openApiDocument } from './openapi.ts';
import { portal } from './portal/routes.ts';
import { docsRoutes } from './docs-routes.ts';

export const openApp = new Hono<AppEnv>()
  .route('/', openApi)
  .get('/openapi.json', authorize('openCatalogue', 'browse'), async (c) =>
    c.json(openApiDocument((await catalogue(c.env.DB)).interfaces, new URL(c.req.url).origin), 200, { 'Cache-Control': 'public, max-age=300' }),
  )
  .route('/', docsRoutes)
  .route('/', portal);

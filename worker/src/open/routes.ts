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
import { catalogue, type Catalogue } from './catalogue.ts';
import { openApiDocument } from './openapi.ts';
import { portal } from './portal/routes.ts';
import { docsRoutes } from './docs-routes.ts';

/** The document (1.2 MB for 283 interfaces) is made once per catalogue and origin, not on every request. */
const documents = new WeakMap<Catalogue, Map<string, string>>();
function documentText(cat: Catalogue, origin: string): string {
  let byOrigin = documents.get(cat);
  if (!byOrigin) documents.set(cat, (byOrigin = new Map<string, string>()));
  let text = byOrigin.get(origin);
  if (text === undefined) byOrigin.set(origin, (text = JSON.stringify(openApiDocument(cat.interfaces, origin))));
  return text;
}

export const openApp = new Hono<AppEnv>()
  .route('/', openApi)
  .get('/openapi.json', authorize('openCatalogue', 'browse'), async (c) =>
    c.body(documentText(await catalogue(c.env.DB), new URL(c.req.url).origin), 200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'public, max-age=300',
    }),
  )
  .route('/', docsRoutes)
  .route('/', portal);

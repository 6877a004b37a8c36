/**
 * /admin/assets: the admin pages' stylesheet and script, as files (the CSP allows no inline style or script).
 * The script is worker/src/admin/client/*.ts, type-checked and bundled by esbuild (scripts/lib/admin-client.ts)
 * into worker/dist/admin.client.js, which wrangler bundles here as text.
 */
import { Hono } from 'hono';
import type { AppEnv } from '../env.ts';
import ADMIN_SCRIPT from '../../dist/admin.client.js';
import { ADMIN_STYLE } from './admin-style.ts';

export const adminAssets = new Hono<AppEnv>();
const headers = (type: string) => ({ 'Content-Type': type, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
adminAssets.get('/assets/admin.css', (c) => c.body(ADMIN_STYLE, 200, headers('text/css; charset=utf-8')));
adminAssets.get('/assets/admin.js', (c) => c.body(ADMIN_SCRIPT, 200, headers('text/javascript; charset=utf-8')));

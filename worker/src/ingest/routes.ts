/**
 * The publishing API: how a build machine reads the content store and writes rendered sites into R2 through
 * the Worker, with nothing but a bearer token — no Cloudflare credentials on the builder, and locally no
 * wrangler proxy in the way (it cost a quarter of a build's CPU). Writes follow the publication contract in
 * cms-schema/publication.ts: pack, then manifest, then the pointer (checked to name an existing manifest).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import {
  ManifestSchema,
  PointerSchema,
  SiteIdSchema,
  TABLES,
  commitPointer,
  fromRow,
  listPointers,
  pointerToMetadata,
  publicationKeys as keys,
  selectColumns,
  type TableSpec,
} from '@ywtc/cms-schema';
import { collectGarbage } from '../render/publication-gc.ts';
import { galleryIngest } from '../templates/gallery.ts';
import type { AppEnv } from '../env.ts';
import { SearchDocumentSchema } from '@ywtc/search';
import { searchBackend } from '../search/backend.ts';
import { authorize } from '../access/authorize.ts';
import { MIN_TOKEN_LENGTH } from '../access/authenticate.ts';
import { scheduledWork } from '../platform/scheduled.ts';
import { ingestInspect } from '../inspect/start-routes.ts';
import { ingestSwitchover } from '../import/switchover-routes.ts';
import { ingestImport } from '../import/run-routes.ts';

const VersionSchema = z.string().regex(/^[0-9a-z-]{1,64}$/);
/**
 * The tables a builder reads: the published content and the registry. Accounts, sessions, the audit log and
 * drafts are the CMS's own and never leave the Worker, not even to the holder of the publishing token.
 */
const TABLE_NAMES = [
  'sites',
  'siteHosts',
  'columns',
  'documents',
  'placements',
  'interpretationLinks',
  'qaEntries',
] as const satisfies readonly (keyof typeof TABLES)[];
const PageQuery = z.object({ offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(5000).default(2000) });

const badRequest = (field: string, message: string) => ({ error: 'invalid', field, message });
/** A zod failure as a 4xx body naming the first field at fault. */
const invalid = (error: z.ZodError) => badRequest(error.issues[0]!.path.join('.') || 'body', error.issues[0]!.message);

export const ingest = new Hono<AppEnv>();

// The API does not exist without a strong token; with one, machines only (PUBLICATION_ACCESS).
ingest.use('*', async (c, next) => {
  const expected = c.env.INGEST_TOKEN;
  if (!expected || expected.length < MIN_TOKEN_LENGTH) return c.text('Not Found', 404);
  await next();
});
const read = authorize('publication', 'read', 'machine');
const write = authorize('publication', 'write', 'machine');
ingest.on(['GET', 'HEAD'], '*', read);
ingest.on(['POST', 'PUT', 'PATCH', 'DELETE'], '*', write);

/** One page of a content table, decoded with the same mapping the seed used to write it. */
ingest.get('/tables/:name', async (c) => {
  const name = c.req.param('name') as (typeof TABLE_NAMES)[number];
  if (!TABLE_NAMES.includes(name)) return c.json(badRequest('name', `unknown table; one of ${TABLE_NAMES.join(', ')}`), 400);
  const q = PageQuery.safeParse(c.req.query());
  if (!q.success) return c.json(badRequest(String(q.error.issues[0]?.path[0] ?? 'query'), q.error.issues[0]?.message ?? 'invalid'), 400);
  const spec: TableSpec = TABLES[name];
  const order = spec.primaryKey.join(', ');
  const { results } = await c.env.DB.prepare(`SELECT ${selectColumns(spec)} FROM ${spec.name} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .bind(q.data.limit + 1, q.data.offset)
    .all<Record<string, unknown>>();
  const more = results.length > q.data.limit;
  return c.json({ rows: results.slice(0, q.data.limit).map((r) => fromRow(spec, r)), next: more ? q.data.offset + q.data.limit : null });
});

ingest.get('/revision', async (c) => {
  const row = await c.env.DB.prepare("SELECT value FROM meta WHERE key = 'seed.fingerprint'").first<{ value: string }>();
  return c.json({ revision: row?.value ?? 'empty' });
});

/** Every site's pointer, as stored in customMetadata (the publisher parses them with pointerFromMetadata). */
ingest.get('/pointers', async (c) => {
  const pointers = await listPointers(c.env.PAGES);
  return c.json(Object.fromEntries([...pointers].map(([site, p]) => [site, pointerToMetadata(p)])));
});

const siteAndVersion = (c: { req: { param: (k: string) => string } }) => {
  const site = SiteIdSchema.safeParse(c.req.param('site'));
  if (!site.success) return { error: badRequest('site', site.error.issues[0]!.message) } as const;
  const version = VersionSchema.safeParse(c.req.param('version'));
  if (!version.success) return { error: badRequest('version', '版本号只能包含小写字母、数字和连字符') } as const;
  return { site: site.data, version: version.data } as const;
};

ingest.get('/sites/:site/manifests/:version', async (c) => {
  const sv = siteAndVersion(c);
  if ('error' in sv) return c.json(sv.error, 400);
  const obj = await c.env.PAGES.get(keys.manifest(sv.site, sv.version));
  return obj ? new Response(obj.body, { headers: { 'Content-Type': 'application/json' } }) : c.json({ error: 'not found' }, 404);
});

/**
 * One publish of one site in one request — each request through the edge (or wrangler dev) costs 6–16 ms,
 * which at three requests a site was most of a build. Body: 4-byte big-endian length of a JSON header
 * { manifest, pointer }, the header, then the pack. Written in commit order: pack, manifest, pointer.
 */
ingest.post('/sites/:site/versions/:version', async (c) => {
  const sv = siteAndVersion(c);
  if ('error' in sv) return c.json(sv.error, 400);
  const body = new Uint8Array(await c.req.arrayBuffer());
  if (body.byteLength < 4) return c.json(badRequest('body', '请求体格式不正确'), 400);
  const headerLength = new DataView(body.buffer, body.byteOffset).getUint32(0);
  if (4 + headerLength > body.byteLength) return c.json(badRequest('body', '请求体长度不足'), 400);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(body.subarray(4, 4 + headerLength)));
  } catch {
    return c.json(badRequest('body', '头部不是合法的 JSON'), 400);
  }
  const parsed = PublishHeaderSchema.safeParse(header);
  if (!parsed.success) return c.json(invalid(parsed.error), 400);
  const { manifest, pointer } = parsed.data;
  if (manifest.siteId !== sv.site || manifest.version !== sv.version || pointer.version !== sv.version)
    return c.json(badRequest('manifest.version', '清单或指针的站点、版本与地址不符'), 400);
  const pack = body.subarray(4 + headerLength);
  const referenced = Object.values(manifest.pages).filter((e) => e[0] === sv.version);
  if (referenced.some((e) => e[1] + e[2] > pack.byteLength)) return c.json(badRequest('manifest.pages', '清单指向页面包之外的字节'), 400);
  // Versions are immutable: readers cache a manifest per version for ever.
  const [packExists, manifestExists] = await Promise.all([
    c.env.PAGES.head(keys.pack(sv.site, sv.version)),
    c.env.PAGES.head(keys.manifest(sv.site, sv.version)),
  ]);
  if (packExists || manifestExists) return c.json(badRequest('version', '该版本已发布，不能覆盖'), 409);
  // A site migrating (issue 15) holds its imported documents back until its switch-over makes them live at once; a
  // build published now would show them early.
  if (await c.env.DB.prepare("SELECT 1 FROM site_switchovers WHERE site_id = ? AND state NOT IN ('live', 'refused')").bind(sv.site).first())
    return c.json(badRequest('site', '该网站正在迁移切换中，请在“网站切换”页面生成并上线新版本'), 409);
  // Pages re-used from older versions must point at packs that exist.
  const older = [
    ...new Set(
      Object.values(manifest.pages)
        .map((e) => e[0])
        .filter((v) => v !== sv.version),
    ),
  ];
  const missing = (await Promise.all(older.map(async (v) => ((await c.env.PAGES.head(keys.pack(sv.site, v))) ? null : v)))).filter(Boolean);
  if (missing.length) return c.json(badRequest('manifest.pages', `清单引用的页面包不存在：${missing.join(', ')}`), 409);
  if (pack.byteLength > 0) await c.env.PAGES.put(keys.pack(sv.site, sv.version), pack);
  await c.env.PAGES.put(keys.manifest(sv.site, sv.version), JSON.stringify(manifest), { httpMetadata: { contentType: 'application/json' } });
  if (!(await commitPointer(c.env.PAGES, sv.site, pointer, parsed.data.expectedVersion)))
    return c.json(badRequest('expectedVersion', '网站已被另一次发布更新，请重新构建后再发布'), 409);
  const removed = await collectGarbage(c.env.PAGES, sv.site, sv.version);
  return c.json({ ok: true, removed }, 201);
});

/** Moves the pointer alone — for a rebuild whose pages did not change — and only to a manifest that exists. */
ingest.put('/sites/:site/current', async (c) => {
  const site = SiteIdSchema.safeParse(c.req.param('site'));
  if (!site.success) return c.json(badRequest('site', site.error.issues[0]!.message), 400);
  const parsed = PointerSchema.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) return c.json(invalid(parsed.error), 400);
  if (!(await c.env.PAGES.head(keys.manifest(site.data, parsed.data.version)))) return c.json(badRequest('version', '指向的版本清单不存在'), 409);
  const expected = c.req.query('expected');
  if (!(await commitPointer(c.env.PAGES, site.data, parsed.data, expected === undefined ? undefined : expected === '' ? null : expected)))
    return c.json(badRequest('expected', '网站已被另一次发布更新'), 409);
  return c.json({ ok: true });
});

/** `expectedVersion`: the live version the publisher built on (null: none yet); omitted, no check is made. */
const PublishHeaderSchema = z.object({ manifest: ManifestSchema, pointer: PointerSchema, expectedVersion: z.string().nullable().optional() });

/** Adds or replaces documents in the search index (the publish path and `npm run eval:search` use it). */
const IndexBatchSchema = z.object({ documents: z.array(SearchDocumentSchema).min(1).max(500) });
ingest.post('/search/documents', async (c) => {
  const parsed = IndexBatchSchema.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) return c.json(invalid(parsed.error), 400);
  await searchBackend(c.env).index(parsed.data.documents);
  return c.json({ ok: true, indexed: parsed.data.documents.length });
});

const RemoveSchema = z.object({ ids: z.array(z.string().min(1).max(80)).min(1).max(500) });
ingest.post('/search/remove', async (c) => {
  const parsed = RemoveSchema.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) return c.json(invalid(parsed.error), 400);
  await searchBackend(c.env).remove(parsed.data.ids);
  return c.json({ ok: true, removed: parsed.data.ids.length });
});

/** Replaces the synonym dictionary (admins' list; the seed and the eval load search/data/synonyms.tsv). */
const SynonymsSchema = z.object({ groups: z.array(z.array(z.string().trim().min(2).max(40)).min(2).max(20)).max(5000) });
ingest.put('/search/synonyms', async (c) => {
  const parsed = SynonymsSchema.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) return c.json(invalid(parsed.error), 400);
  await searchBackend(c.env).setSynonyms(parsed.data.groups);
  return c.json({ ok: true, groups: parsed.data.groups.length });
});

/**
 * The render queue as the full publisher sees it: for each site with page updates owed, the last task's
 * number. A site listed here is not up to date, whatever its pointer says (sites/publisher/publish.ts).
 */
ingest.get('/render-queue', async (c) => {
  const { results } = await c.env.DB.prepare('SELECT site_id, max(seq) AS seq FROM render_queue GROUP BY site_id').all<{ site_id: string; seq: number }>();
  return c.json({ pending: Object.fromEntries(results.map((r) => [r.site_id, r.seq])) });
});

/**
 * A full publish of a site rendered everything from content read after these tasks were queued: they are done.
 * (Tasks queued later stay: they may name content the publish did not see.)
 */
const AckSchema = z.object({ siteId: SiteIdSchema, upTo: z.number().int().min(0) });
ingest.post('/render-queue/ack', async (c) => {
  const parsed = AckSchema.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success) return c.json(invalid(parsed.error), 400);
  const r = await c.env.DB.prepare('DELETE FROM render_queue WHERE site_id = ? AND seq <= ?').bind(parsed.data.siteId, parsed.data.upTo).run();
  return c.json({ ok: true, removed: r.meta.changes });
});

/**
 * The Cron Trigger's work on demand (platform/scheduled.ts): release what is due, drain the search queue, render
 * the page updates owed. `npm start` calls it at start-up and every minute, since `wrangler dev` fires no cron.
 */
ingest.post('/scheduled', async (c) => c.json(await scheduledWork(c.env, new Date(), (p) => c.executionCtx.waitUntil(p))));

// An inspection run on demand (inspect/start-routes.ts).
ingest.route('/', ingestInspect);

// A migrated site's switch-over, step by step, for the command line (import/switchover-routes.ts).
ingest.route('/', ingestSwitchover);

// `npm run import`'s writes: runs, batches, attachments, the index they owe (import/run-routes.ts).
ingest.route('/', ingestImport);

// Template gallery thumbnails (templates/gallery.ts).
ingest.route('/', galleryIngest);

/**
 * `npm run import` through the Worker: the command line reads and crawls, the Worker writes. Mounted under the
 * publishing API (/_ingest, the machine's bearer token; ingest/routes.ts), so an import needs no Cloudflare
 * credentials and, locally, no wrangler proxy in the way — through it every prepared statement was a blocking
 * round trip, and the importer ran at half the rate (docs/benchmarks.md, Import).
 *
 *   POST /import/runs                    {source, kind, dryRun, runId}  → the run to continue, the URLs already imported
 *   POST /import/runs/:id                {sourceId, counts, records, done}  → the run's progress after a batch
 *   POST /import/documents               {source, records ≤ 500, dryRun}  → one result per record (store.ts)
 *   POST /import/columns                 {sourceId, columns}  → one result per column
 *   POST /import/unmapped                {sourceId, items: [{url, reason}]}
 *   PUT  /import/attachments/:name[?dryRun=1]  the file's bytes → the attachment (R2 by content hash)
 *   POST /import/index                   one round of the search queue the import owes → what it did
 *
 * Every body is validated here; a bad one gets a 400 naming the field in Chinese.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { IMPORT_OUTCOMES, MAX_BATCH_DOCUMENTS } from '@ywtc/cms-schema';
import { drainSearchQueue } from '@ywtc/search';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { noStore } from '../platform/http.ts';
import { searchBackend } from '../search/backend.ts';
import { NewSourceSchema } from './source-keys.ts';
import { importDocuments } from './store.ts';
import { importColumns } from './columns.ts';
import { storeAttachment } from './attachments.ts';
import { beginRun, recordUnmapped, saveProgress } from './runs.ts';

const FIELDS: Record<string, string> = {
  source: '来源',
  kind: '导入方式',
  dryRun: '试运行',
  runId: '导入批次',
  counts: '计数',
  records: '记录',
  done: '是否结束',
  sourceId: '来源标识',
  columns: '栏目',
  items: '未映射网址',
  name: '文件名',
  body: '请求体',
};

/** A zod failure as a 400 naming the field (in Chinese first, then its path). */
function refuse(c: Context, error: z.ZodError) {
  const issue = error.issues[0]!;
  const field = issue.path.join('.') || 'body';
  const label = FIELDS[String(issue.path[0] ?? 'body')] ?? field;
  return c.json({ error: 'invalid', field, message: `${label}（${field}）：${issue.message}` }, 400, noStore);
}

const parse = async <T extends z.ZodType>(c: Context, schema: T): Promise<{ data: z.infer<T> } | { response: Response }> => {
  const parsed = schema.safeParse(await c.req.json().catch(() => undefined));
  return parsed.success ? { data: parsed.data } : { response: refuse(c, parsed.error) };
};

const RunSourceSchema = NewSourceSchema.omit({ push: true });
const KindSchema = z.enum(['crawl', 'file'], { error: '须为 crawl 或 file' });
const RunIdSchema = z.string().regex(/^[\w-]{1,80}$/, '格式不正确');
const count = z.number().int().min(0);
const CountsSchema = z.object(Object.fromEntries(Object.keys(IMPORT_OUTCOMES).map((k) => [k, count])) as Record<keyof typeof IMPORT_OUTCOMES, typeof count>);

const BeginSchema = z.object({ source: RunSourceSchema, kind: KindSchema, dryRun: z.boolean().default(false), runId: RunIdSchema });
const ProgressSchema = z.object({ sourceId: NewSourceSchema.shape.id, counts: CountsSchema, records: count, done: z.boolean() });
const DocumentsSchema = z.object({
  source: RunSourceSchema.pick({ id: true, siteIds: true, hidden: true }),
  dryRun: z.boolean().default(false),
  records: z.array(z.unknown()).min(1, '至少一条').max(MAX_BATCH_DOCUMENTS, `每批最多 ${MAX_BATCH_DOCUMENTS} 条`),
});
const ColumnsSchema = z.object({ sourceId: NewSourceSchema.shape.id, columns: z.array(z.unknown()).min(1).max(500) });
const UnmappedSchema = z.object({
  sourceId: NewSourceSchema.shape.id,
  items: z
    .array(z.object({ url: z.url({ protocol: /^https?$/, error: '须为 http(s) 网址' }).max(2000), reason: z.string().min(1).max(500) }))
    .min(1)
    .max(1000),
});
const NameSchema = z.string().trim().min(1, '不能为空').max(200, '不能超过 200 个字符');

const machine = authorize('import', 'manage', 'machine');
export const ingestImport = new Hono<AppEnv>();

ingestImport.post('/import/runs', machine, async (c) => {
  const p = await parse(c, BeginSchema);
  if ('response' in p) return p.response;
  const { source, kind, dryRun, runId } = p.data;
  const begun = await beginRun(c.env.DB, source, kind, dryRun, runId);
  if ('field' in begun) return c.json({ error: 'invalid', field: `source.${begun.field}`, message: begun.message }, 400, noStore);
  return c.json(begun, 200, noStore);
});

ingestImport.post('/import/runs/:id', machine, async (c) => {
  const id = RunIdSchema.safeParse(c.req.param('id'));
  if (!id.success) return refuse(c, new z.ZodError(id.error.issues.map((i) => ({ ...i, path: ['runId'] }))));
  const p = await parse(c, ProgressSchema);
  if ('response' in p) return p.response;
  const run = await c.env.DB.prepare('SELECT source_id FROM import_runs WHERE id = ?').bind(id.data).first<string>('source_id');
  if (run !== p.data.sourceId) return c.json({ error: 'not_found', field: 'runId', message: `导入批次 ${id.data} 不存在或不属于该来源` }, 404, noStore);
  await saveProgress(c.env.DB, id.data, p.data.counts, p.data.records, p.data.done, new Date());
  return c.json({ ok: true }, 200, noStore);
});

ingestImport.post('/import/documents', machine, async (c) => {
  const p = await parse(c, DocumentsSchema);
  if ('response' in p) return p.response;
  const { source, records, dryRun } = p.data;
  const results = await importDocuments({ DB: c.env.DB }, source, records, { dryRun, actor: `import:${source.id}` });
  return c.json({ results }, 200, noStore);
});

ingestImport.post('/import/columns', machine, async (c) => {
  const p = await parse(c, ColumnsSchema);
  if ('response' in p) return p.response;
  return c.json({ results: await importColumns(c.env.DB, p.data.sourceId, p.data.columns) }, 200, noStore);
});

ingestImport.post('/import/unmapped', machine, async (c) => {
  const p = await parse(c, UnmappedSchema);
  if ('response' in p) return p.response;
  await recordUnmapped(c.env.DB, p.data.sourceId, p.data.items, new Date());
  return c.json({ recorded: p.data.items.length }, 200, noStore);
});

ingestImport.put('/import/attachments/:name', machine, async (c) => {
  const name = NameSchema.safeParse(decodeURIComponent(c.req.param('name')));
  if (!name.success) return refuse(c, new z.ZodError(name.error.issues.map((i) => ({ ...i, path: ['name'] }))));
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (!bytes.byteLength) return c.json({ error: 'invalid', field: 'body', message: '附件内容为空' }, 400, noStore);
  const stored = await storeAttachment(c.env.PAGES, name.data, bytes, { dryRun: c.req.query('dryRun') === '1' });
  // A file the platform will not take is the record's warning, not a failed request.
  return c.json(stored, 200, noStore);
});

ingestImport.post('/import/index', machine, async (c) => {
  const d = await drainSearchQueue(c.env.DB, searchBackend(c.env));
  return c.json({ tasks: d.tasks, indexed: d.indexed, failed: d.failed }, 200, noStore);
});

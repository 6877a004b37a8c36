/**
 * The push API of the 接入标准 (docs/import.md), on admin hosts under /api/import/v1:
 *
 *   GET  /schema.json               the JSON Schema of a batch, generated from cms-schema's zod model (public)
 *   POST /batches                   a batch of sites, columns and documents → one result per record
 *   PUT  /attachments/:name         a file's bytes → the attachment (R2 by content hash) a record then lists
 *   POST /sources                   register a source and issue its key (the platform: staff or machine)
 *
 * Pushing is for `importSource` principals only: requests signed with the source's key (access/import-source.ts).
 * A source may write only to its own sites; what a batch does is in import_records, the audit log and its answer.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import {
  ImportBatchSchema,
  ImportDocumentSchema,
  IMPORT_FORMAT,
  MAX_BATCH_DOCUMENTS,
  type ImportSourcePrincipal,
  type ImportRecordResult,
} from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { invalid, jsonBody, noStore } from '../platform/http.ts';
import { importDocuments } from './store.ts';
import { importColumns, importSites } from './columns.ts';
import { storeAttachment } from './attachments.ts';
import { NewSourceSchema, registerSource } from './source-keys.ts';
import { emptyCounts, type Counts } from './runs.ts';

export const importApi = new Hono<AppEnv>();

const sourceOf = (c: { get: (k: 'principal') => unknown }) => c.get('principal') as ImportSourcePrincipal;

/** The batch as the schema documents it (the store validates documents one by one, to report each). */
const DocumentedBatchSchema = ImportBatchSchema.extend({ documents: z.array(ImportDocumentSchema).max(MAX_BATCH_DOCUMENTS) });
let schemaJson: string | null = null;
importApi.get('/schema.json', (c) => {
  schemaJson ??= JSON.stringify(
    {
      $id: `https://admin.gxzf.gov.cn/api/import/v1/schema.json`,
      title: `一网通查接入标准 ${IMPORT_FORMAT}`,
      ...z.toJSONSchema(DocumentedBatchSchema, { io: 'input', unrepresentable: 'any' }),
    },
    null,
    2,
  );
  return c.body(schemaJson, 200, { 'Content-Type': 'application/schema+json; charset=utf-8', 'Cache-Control': 'public, max-age=300' });
});

export function countOutcomes(results: readonly ImportRecordResult[]): Counts {
  const counts = emptyCounts();
  for (const r of results) counts[r.outcome]++;
  return counts;
}

importApi.post('/batches', authorize('import', 'push'), async (c) => {
  const parsed = ImportBatchSchema.safeParse(await jsonBody(c));
  if (!parsed.success) return invalid(c, parsed.error);
  const source = sourceOf(c);
  const batch = parsed.data;
  const foreign = [...batch.sites.map((s) => s.siteId), ...batch.columns.map((s) => s.siteId)].find((s) => !source.siteIds.includes(s));
  if (foreign) return c.json({ error: 'forbidden', field: 'siteId', message: `来源 ${source.sourceId} 无权写入网站 ${foreign}` }, 403, noStore);
  const env = { DB: c.env.DB };
  const sites = await importSites(c.env.DB, source.sourceId, batch.sites);
  const columns = await importColumns(c.env.DB, source.sourceId, batch.columns);
  const results = await importDocuments(env, { id: source.sourceId, siteIds: source.siteIds, hidden: source.hidden }, batch.documents, {
    actor: `import:${source.sourceId}`,
  });
  return c.json({ counts: countOutcomes(results), sites, columns, results }, 200, noStore);
});

const NameSchema = z.string().trim().min(1, '文件名不能为空').max(200, '文件名不能超过 200 个字符');
importApi.put('/attachments/:name', authorize('import', 'push'), async (c) => {
  const name = NameSchema.safeParse(decodeURIComponent(c.req.param('name')));
  if (!name.success) return invalid(c, name.error);
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (!bytes.byteLength) return c.json({ error: 'invalid', field: 'body', message: '附件内容为空' }, 400, noStore);
  const stored = await storeAttachment(c.env.PAGES, name.data, bytes);
  if ('error' in stored) return c.json({ error: 'invalid', field: 'body', message: stored.error }, stored.error.includes('超过') ? 413 : 400, noStore);
  return c.json(stored, 201, noStore);
});

importApi.post('/sources', authorize('import', 'manage'), async (c) => {
  const parsed = NewSourceSchema.safeParse(await jsonBody(c));
  if (!parsed.success) return invalid(c, parsed.error);
  const r = await registerSource(c.env.DB, parsed.data, c.env.INGEST_TOKEN);
  if ('field' in r) return c.json({ error: 'invalid', field: r.field, message: r.message }, 400, noStore);
  return c.json({ source: r.row, key: r.key }, 201, noStore);
});

/**
 * The document datasets (政策文件, 行政法规, 政策解读, 通知公告, 要闻动态, 公开指南和年报, 政务服务, 互动交流, 专题):
 * published documents placed, within the interface's scope, in a column of the dataset's kinds — newest first
 * by the publishing instant. Each record shows the document where the owning unit shows it (or, when it only
 * reposts it, on the first site of the scope that does).
 */
import { DATASETS, documentPath, toCst } from '@ywtc/cms-schema';
import { siteUrl } from '../catalogue.ts';
import { containsPattern, scopeCondition, type DatasetQuery, type Keyset, type OpenRecord, type QueryContext } from './types.ts';

interface DocRow {
  id: string;
  title: string;
  summary: string;
  published_at: string;
  source: string;
  owner_site_id: string;
  is_demo: number;
  doc_number: string | null;
  issuer: string | null;
  index_number: string | null;
  written_on: string | null;
  issued_on: string | null;
  topic: string | null;
  subject_words: string;
  validity: string | null;
  ts: number;
}
interface PlacementRow {
  document_id: string;
  site_id: string;
  slug: string;
  name: string;
}

const cstYearStart = (y: number) => Date.parse(`${y}-01-01T00:00:00+08:00`) / 1000;

/** The condition that a document is in the interface: its kind or column kinds, its scope, its filters. */
function membership(ctx: QueryContext): { sql: string; args: (string | number)[] } {
  const def = DATASETS[ctx.dataset];
  const kinds = 'columnKinds' in def ? def.columnKinds : undefined;
  const scope = scopeCondition('p.site_id', ctx);
  const parts: string[] = [];
  const args: (string | number)[] = [];
  if (kinds) {
    parts.push(
      `EXISTS (SELECT 1 FROM placements p JOIN columns c ON c.id = p.column_id WHERE p.document_id = d.id AND c.kind IN (SELECT value FROM json_each(?)) AND ${scope.sql})`,
    );
    args.push(JSON.stringify(kinds), ...scope.args);
  } else {
    // 行政法规: by the document's kind, wherever the platform shows it.
    parts.push(`d.kind = 'regulation' AND EXISTS (SELECT 1 FROM placements p WHERE p.document_id = d.id AND ${scope.sql})`);
    args.push(...scope.args);
  }
  const f = ctx.filters as { issuer?: string; doc_number?: string; year?: number; topic?: string; validity?: string };
  const add = (sql: string, ...values: (string | number)[]) => {
    parts.push(sql);
    args.push(...values);
  };
  if (f.issuer) add("d.issuer LIKE ? ESCAPE '\\'", containsPattern(f.issuer));
  if (f.doc_number) add('d.doc_number = ?', f.doc_number);
  if (f.topic) add("d.topic LIKE ? ESCAPE '\\'", containsPattern(f.topic));
  if (f.validity) add('d.validity = ?', f.validity);
  if (f.year) add('unixepoch(d.published_at) >= ? AND unixepoch(d.published_at) < ?', cstYearStart(f.year), cstYearStart(f.year + 1));
  return { sql: parts.join(' AND '), args };
}

const SELECT = `SELECT d.id, d.title, d.summary, d.published_at, d.source, d.owner_site_id, d.is_demo, d.doc_number, d.issuer, d.index_number,
  d.written_on, d.issued_on, d.topic, d.subject_words, d.validity, unixepoch(d.published_at) AS ts FROM documents d`;

/** Where each document is shown within the scope: the owner's own placement first, then the scope's first site. */
async function placementsOf(ctx: QueryContext, ids: string[], owners: Map<string, string>): Promise<Map<string, PlacementRow>> {
  const def = DATASETS[ctx.dataset];
  const kinds = 'columnKinds' in def ? def.columnKinds : undefined;
  const scope = scopeCondition('p.site_id', ctx);
  const { results } = await ctx.db
    .prepare(
      `SELECT p.document_id, p.site_id, c.slug, c.name FROM placements p JOIN columns c ON c.id = p.column_id
       WHERE p.document_id IN (SELECT value FROM json_each(?)) ${kinds ? 'AND c.kind IN (SELECT value FROM json_each(?))' : ''} AND ${scope.sql}`,
    )
    .bind(JSON.stringify(ids), ...(kinds ? [JSON.stringify(kinds)] : []), ...scope.args)
    .all<PlacementRow>();
  const order = (p: PlacementRow) => (p.site_id === owners.get(p.document_id) ? -1 : (ctx.reg.sites.get(p.site_id)?.sortOrder ?? 1e9));
  const best = new Map<string, PlacementRow>();
  for (const p of results) {
    const held = best.get(p.document_id);
    if (!held || order(p) < order(held) || (order(p) === order(held) && p.slug < held.slug)) best.set(p.document_id, p);
  }
  return best;
}

async function policiesOf(ctx: QueryContext, ids: string[]): Promise<Map<string, { id: string; title: string; doc_number: string | null }>> {
  const { results } = await ctx.db
    .prepare(
      `SELECT l.interpretation_id, d.id, d.title, d.doc_number FROM interpretation_links l JOIN documents d ON d.id = l.policy_id
       WHERE l.interpretation_id IN (SELECT value FROM json_each(?)) ORDER BY d.id`,
    )
    .bind(JSON.stringify(ids))
    .all<{ interpretation_id: string; id: string; title: string; doc_number: string | null }>();
  const out = new Map<string, { id: string; title: string; doc_number: string | null }>();
  for (const r of results) if (!out.has(r.interpretation_id)) out.set(r.interpretation_id, r);
  return out;
}

async function toRecords(ctx: QueryContext, rows: DocRow[]): Promise<OpenRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [placed, policies] = await Promise.all([
    placementsOf(ctx, ids, new Map(rows.map((r) => [r.id, r.owner_site_id]))),
    ctx.dataset === 'interpretations' ? policiesOf(ctx, ids) : Promise.resolve(null),
  ]);
  const withPolicy = DATASETS[ctx.dataset].record.shape;
  return rows.map((r) => {
    const p = placed.get(r.id);
    const record: OpenRecord = {
      id: r.id,
      title: r.title,
      summary: r.summary,
      published_at: toCst(r.published_at),
      source: r.source,
      site_id: p?.site_id ?? r.owner_site_id,
      site_name: ctx.reg.sites.get(p?.site_id ?? r.owner_site_id)?.name ?? '',
      column_name: p?.name ?? '',
      url: p ? siteUrl(ctx.reg, p.site_id, documentPath(p.slug, r.id)) : '',
      is_demo: r.is_demo === 1,
    };
    if ('doc_number' in withPolicy)
      Object.assign(record, {
        doc_number: r.doc_number,
        issuer: r.issuer,
        index_number: r.index_number,
        written_on: r.written_on,
        issued_on: r.issued_on,
        topic: r.topic,
        subject_words: JSON.parse(r.subject_words) as string[],
        validity: r.validity,
      });
    if (policies) {
      const pol = policies.get(r.id);
      Object.assign(record, { policy_id: pol?.id ?? null, policy_title: pol?.title ?? null, policy_doc_number: pol?.doc_number ?? null });
    }
    return record;
  });
}

export const documentDataset: DatasetQuery = {
  async list(ctx, after, limit) {
    const m = membership(ctx);
    const keyset = after ? ' AND (unixepoch(d.published_at) < ? OR (unixepoch(d.published_at) = ? AND d.id < ?))' : '';
    const { results } = await ctx.db
      .prepare(`${SELECT} WHERE ${m.sql}${keyset} ORDER BY unixepoch(d.published_at) DESC, d.id DESC LIMIT ?`)
      .bind(...m.args, ...(after ? [after.k[0]!, after.k[0]!, after.i] : []), limit + 1)
      .all<DocRow>();
    const page = results.slice(0, limit);
    const last = page.at(-1);
    const next: Keyset | null = results.length > limit && last ? { k: [last.ts], i: last.id } : null;
    return { records: await toRecords(ctx, page), next };
  },
  sync: {
    entity: 'document',
    async byIds(ctx, ids) {
      const m = membership(ctx);
      const { results } = await ctx.db
        .prepare(`${SELECT} WHERE d.id IN (SELECT value FROM json_each(?)) AND ${m.sql}`)
        .bind(JSON.stringify(ids), ...m.args)
        .all<DocRow>();
      return new Map((await toRecords(ctx, results)).map((r) => [r.id as string, r]));
    },
  },
};

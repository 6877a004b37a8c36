/**
 * The document datasets (政策文件, 行政法规, 政策解读, 通知公告, 要闻动态, 公开指南和年报, 办事服务 — with the 办事指南
 * elements —, 互动交流, 专题):
 * published documents placed, within the interface's scope, in a column of the dataset's kinds — newest first
 * by the publishing instant. Each record shows the document where the owning unit shows it (or, when it only
 * reposts it, on the first site of the scope that does).
 */
import { DATASETS, SCENE_LABELS, documentPath, toCst, type ServiceGuide } from '@ywtc/cms-schema';
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
  /** JSON [[site_id, column slug, column name], …]: where the document is shown within the scope. */
  placed: string;
  /** JSON [id, title, doc_number] of the policy a 解读 interprets, or null. */
  policy: string | null;
  /** The 办事指南 elements (JSON), for the 办事服务 dataset. */
  guide: string | null;
}

const cstYearStart = (y: number) => Date.parse(`${y}-01-01T00:00:00+08:00`) / 1000;

/** The condition that a document is in the interface: its kind or column kinds, its scope, its filters. */
function membership(ctx: QueryContext): { sql: string; args: (string | number)[] } {
  const def = DATASETS[ctx.dataset];
  const kinds = 'columnKinds' in def ? def.columnKinds : undefined;
  const scope = scopeCondition('p.site_id', ctx);
  const parts: string[] = [];
  const args: (string | number)[] = [];
  // Driven by the placements in scope (an index on site and a small set), not by scanning every document
  // newest first and probing each: a unit's documents are a small part of the store.
  if (kinds) {
    parts.push(
      `d.id IN (SELECT p.document_id FROM placements p JOIN columns c ON c.id = p.column_id WHERE ${scope.sql} AND c.kind IN (SELECT value FROM json_each(?)))`,
    );
    args.push(...scope.args, JSON.stringify(kinds));
  } else {
    // 行政法规: by the document's kind, wherever the platform shows it.
    parts.push(`d.kind = 'regulation' AND d.id IN (SELECT p.document_id FROM placements p WHERE ${scope.sql})`);
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

/**
 * The documents with, in the same query (one D1 round trip), where each is shown within the scope and — for a
 * 解读 — its policy.
 */
function select(ctx: QueryContext): { sql: string; args: (string | number)[] } {
  const def = DATASETS[ctx.dataset];
  const kinds = 'columnKinds' in def ? def.columnKinds : undefined;
  const scope = scopeCondition('p.site_id', ctx);
  const policy =
    ctx.dataset === 'interpretations'
      ? `(SELECT json_array(d2.id, d2.title, d2.doc_number) FROM interpretation_links l JOIN documents d2 ON d2.id = l.policy_id
          WHERE l.interpretation_id = d.id ORDER BY d2.id LIMIT 1)`
      : 'NULL';
  return {
    sql: `SELECT d.id, d.title, d.summary, d.published_at, d.source, d.owner_site_id, d.is_demo, d.doc_number, d.issuer, d.index_number,
      d.written_on, d.issued_on, d.topic, d.subject_words, d.validity, unixepoch(d.published_at) AS ts,
      (SELECT json_group_array(json_array(p.site_id, c.slug, c.name)) FROM placements p JOIN columns c ON c.id = p.column_id
        WHERE p.document_id = d.id AND ${scope.sql}${kinds ? ' AND c.kind IN (SELECT value FROM json_each(?))' : ''}) AS placed,
      ${policy} AS policy, ${ctx.dataset === 'services' ? 'd.guide' : 'NULL'} AS guide
      FROM documents d`,
    args: [...scope.args, ...(kinds ? [JSON.stringify(kinds)] : [])],
  };
}

/** A 办事指南's elements as flat record fields (all null for an item that is not a guide). */
function guideRecord(g: ServiceGuide | null): OpenRecord {
  return {
    is_guide: g !== null,
    guide_basis: g?.basis ?? null,
    guide_conditions: g?.conditions ?? null,
    guide_materials: g?.materials ?? null,
    guide_place: g?.place ?? null,
    guide_agency: g?.agency ?? null,
    guide_fee: g?.fee ?? null,
    guide_hours: g?.hours ?? null,
    guide_phone: g?.phone ?? null,
    guide_process: g?.process ?? null,
    guide_promise_days: g?.promiseDays ?? null,
    guide_scenes: g ? g.scenes.map((s) => SCENE_LABELS[s]) : null,
    guide_online_url: g?.onlineUrl ?? null,
  };
}

/** Where a document is shown: the owner's own placement first, then the scope's first site in registry order. */
function bestPlacement(ctx: QueryContext, r: DocRow): { siteId: string; slug: string; name: string } | null {
  const order = (siteId: string) => (siteId === r.owner_site_id ? -1 : (ctx.reg.sites.get(siteId)?.sortOrder ?? 1e9));
  let best: [string, string, string] | null = null;
  for (const p of JSON.parse(r.placed) as [string, string, string][])
    if (!best || order(p[0]) < order(best[0]) || (order(p[0]) === order(best[0]) && p[1] < best[1])) best = p;
  return best && { siteId: best[0], slug: best[1], name: best[2] };
}

function toRecord(ctx: QueryContext, r: DocRow): OpenRecord {
  const p = bestPlacement(ctx, r);
  const siteId = p?.siteId ?? r.owner_site_id;
  const record: OpenRecord = {
    id: r.id,
    title: r.title,
    summary: r.summary,
    published_at: toCst(r.published_at),
    source: r.source,
    site_id: siteId,
    site_name: ctx.reg.sites.get(siteId)?.name ?? '',
    column_name: p?.name ?? '',
    url: p ? siteUrl(ctx.reg, p.siteId, documentPath(p.slug, r.id)) : '',
    is_demo: r.is_demo === 1,
  };
  if ('doc_number' in DATASETS[ctx.dataset].record.shape)
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
  if (ctx.dataset === 'services') Object.assign(record, guideRecord(r.guide ? (JSON.parse(r.guide) as ServiceGuide) : null));
  if (ctx.dataset === 'interpretations') {
    const pol = r.policy ? (JSON.parse(r.policy) as [string, string, string | null]) : null;
    Object.assign(record, { policy_id: pol?.[0] ?? null, policy_title: pol?.[1] ?? null, policy_doc_number: pol?.[2] ?? null });
  }
  return record;
}

export const documentDataset: DatasetQuery = {
  async list(ctx, after, limit) {
    const m = membership(ctx);
    const sel = select(ctx);
    const keyset = after ? ' AND (unixepoch(d.published_at) < ? OR (unixepoch(d.published_at) = ? AND d.id < ?))' : '';
    const { results } = await ctx.db
      .prepare(`${sel.sql} WHERE ${m.sql}${keyset} ORDER BY unixepoch(d.published_at) DESC, d.id DESC LIMIT ?`)
      .bind(...sel.args, ...m.args, ...(after ? [after.k[0]!, after.k[0]!, after.i] : []), limit + 1)
      .all<DocRow>();
    const page = results.slice(0, limit);
    const last = page.at(-1);
    const next: Keyset | null = results.length > limit && last ? { k: [last.ts], i: last.id } : null;
    return { records: page.map((r) => toRecord(ctx, r)), next };
  },
  sync: {
    entity: 'document',
    async byIds(ctx, ids) {
      const m = membership(ctx);
      const sel = select(ctx);
      const { results } = await ctx.db
        .prepare(`${sel.sql} WHERE d.id IN (SELECT value FROM json_each(?)) AND ${m.sql}`)
        .bind(...sel.args, JSON.stringify(ids), ...m.args)
        .all<DocRow>();
      return new Map(results.map((r) => [r.id, toRecord(ctx, r)]));
    },
  },
};

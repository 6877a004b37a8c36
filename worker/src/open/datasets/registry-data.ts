/**
 * The registry datasets: 网站名录 (sites), 栏目目录 (columns), 栏目更新情况 (columns against their update rule)
 * and 网站模板库 (templates and how many sites use each). Sites and columns list in registry order by id.
 */
import { COLUMN_KINDS, SITE_KINDS, TABLES, fromRow, isColumnOverdue, selectColumns, toCst, type ColumnKind, type Site } from '@ywtc/cms-schema';
import { FAMILIES, HEADERS, HOMES, TEMPLATES, paletteById, templateFor } from '@ywtc/themes';
import { siteUrl } from '../catalogue.ts';
import { pageInMemory, scopeCondition, type DatasetQuery, type Keyset, type OpenRecord, type QueryContext } from './types.ts';

const siteRecord = (s: Site): OpenRecord => ({
  id: s.id,
  name: s.name,
  kind: s.kind,
  kind_label: SITE_KINDS[s.kind],
  parent_id: s.parentId,
  division_code: s.divisionCode,
  domain: s.domains[0]!,
  id_code: s.idCode,
  icp: s.icp,
  psb: s.psb,
  sponsor: s.sponsor,
  phone: s.contact.phone,
  address: s.contact.address,
  template_id: templateFor(s.themeId).id,
});

function siteWhere(ctx: QueryContext): { sql: string; args: string[] } {
  const scope = scopeCondition('id', ctx);
  const kind = ctx.filters.kind as string | undefined;
  return kind ? { sql: `${scope.sql} AND kind = ?`, args: [...scope.args, kind] } : scope;
}

export const sitesDataset: DatasetQuery = {
  async list(ctx, after, limit) {
    const w = siteWhere(ctx);
    const { results } = await ctx.db
      .prepare(`SELECT ${selectColumns(TABLES.sites)} FROM sites WHERE ${w.sql}${after ? ' AND id > ?' : ''} ORDER BY id LIMIT ?`)
      .bind(...w.args, ...(after ? [after.i] : []), limit + 1)
      .all();
    const sites = results.map((r) => fromRow(TABLES.sites, r));
    const page = sites.slice(0, limit);
    return { records: page.map(siteRecord), next: sites.length > limit ? { k: [0], i: page.at(-1)!.id } : null };
  },
  sync: {
    entity: 'site',
    async byIds(ctx, ids) {
      const w = siteWhere(ctx);
      const { results } = await ctx.db
        .prepare(`SELECT ${selectColumns(TABLES.sites)} FROM sites WHERE id IN (SELECT value FROM json_each(?)) AND ${w.sql}`)
        .bind(JSON.stringify(ids), ...w.args)
        .all();
      return new Map(results.map((r) => fromRow(TABLES.sites, r)).map((s) => [s.id, siteRecord(s)]));
    },
  },
};

interface ColumnRow {
  id: string;
  site_id: string;
  name: string;
  kind: ColumnKind;
  parent_id: string | null;
  slug: string;
  items: number;
  latest: string | null;
  latest_ts: number | null;
}

/** Columns in scope with how many documents each shows and the newest one's publishing time. */
async function columnRows(ctx: QueryContext, extra: string, extraArgs: (string | number)[], after: Keyset | null, limit: number | null): Promise<ColumnRow[]> {
  const scope = scopeCondition('c.site_id', ctx);
  const { results } = await ctx.db
    .prepare(
      `SELECT c.id, c.site_id, c.name, c.kind, c.parent_id, c.slug, count(d.id) AS items,
         (SELECT d2.published_at FROM placements p2 JOIN documents d2 ON d2.id = p2.document_id WHERE p2.column_id = c.id
          ORDER BY unixepoch(d2.published_at) DESC LIMIT 1) AS latest,
         max(unixepoch(d.published_at)) AS latest_ts
       FROM columns c LEFT JOIN placements p ON p.column_id = c.id LEFT JOIN documents d ON d.id = p.document_id
       WHERE ${scope.sql}${extra}${after ? ' AND c.id > ?' : ''} GROUP BY c.id ORDER BY c.id${limit === null ? '' : ' LIMIT ?'}`,
    )
    .bind(...scope.args, ...extraArgs, ...(after ? [after.i] : []), ...(limit === null ? [] : [limit + 1]))
    .all<ColumnRow>();
  return results;
}

const columnRecord = (ctx: QueryContext, r: ColumnRow): OpenRecord => ({
  id: r.id,
  site_id: r.site_id,
  site_name: ctx.reg.sites.get(r.site_id)?.name ?? '',
  name: r.name,
  kind: r.kind,
  kind_label: COLUMN_KINDS[r.kind]?.label ?? r.kind,
  parent_id: r.parent_id,
  url: siteUrl(ctx.reg, r.site_id, `/${r.slug}/`),
  items: r.items,
  latest_published_at: r.latest ? toCst(r.latest) : null,
});

export const columnsDataset: DatasetQuery = {
  async list(ctx, after, limit) {
    const rows = await columnRows(ctx, '', [], after, limit);
    const page = rows.slice(0, limit);
    return { records: page.map((r) => columnRecord(ctx, r)), next: rows.length > limit ? { k: [0], i: page.at(-1)!.id } : null };
  },
  sync: {
    entity: 'column',
    async byIds(ctx, ids) {
      const rows = await columnRows(ctx, ' AND c.id IN (SELECT value FROM json_each(?))', [JSON.stringify(ids)], null, null);
      return new Map(rows.map((r) => [r.id, columnRecord(ctx, r)]));
    },
  },
};

/** 栏目更新情况: an aggregate of the moment (whether a column is overdue depends on today), so no incremental sync. */
export const columnUpdatesDataset: DatasetQuery = {
  async list(ctx, after, limit) {
    const rows = await columnRows(ctx, '', [], null, null);
    const wanted = ctx.filters.overdue as 'true' | 'false' | undefined;
    const out = rows
      .map((r) => {
        const overdue = isColumnOverdue(r.kind, r.latest_ts === null ? null : new Date(r.latest_ts * 1000), ctx.now);
        return {
          key: r.id,
          record: {
            column_id: r.id,
            column_name: r.name,
            kind_label: COLUMN_KINDS[r.kind]?.label ?? r.kind,
            site_id: r.site_id,
            site_name: ctx.reg.sites.get(r.site_id)?.name ?? '',
            latest_published_at: r.latest ? toCst(r.latest) : null,
            update_within_days: COLUMN_KINDS[r.kind]?.updateWithinDays ?? null,
            overdue,
          },
        };
      })
      .filter((r) => wanted === undefined || String(r.record.overdue) === wanted);
    return pageInMemory(out, after, limit);
  },
};

export const templatesDataset: DatasetQuery = {
  async list(ctx, after, limit) {
    const { results } = await ctx.db.prepare('SELECT theme_id FROM sites').all<{ theme_id: string }>();
    const used = new Map<string, number>();
    for (const r of results) {
      const id = templateFor(r.theme_id).id;
      used.set(id, (used.get(id) ?? 0) + 1);
    }
    const rows = TEMPLATES.map((t) => ({
      key: t.id,
      record: {
        id: t.id,
        name: t.name,
        family: FAMILIES[t.family].name,
        header: HEADERS[t.header],
        home: HOMES[t.home],
        palette: paletteById.get(t.palette)?.name ?? t.palette,
        sites: used.get(t.id) ?? 0,
      },
    }));
    return pageInMemory(rows, after, limit);
  },
};

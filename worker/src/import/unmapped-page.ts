/**
 * 未映射的旧网址 (/admin/import/unmapped): old addresses of migrated sites that lead nowhere — links the crawler found
 * but did not import (its reasons), and requests to an old host that no redirect answered (import/redirects.ts,
 * counted with when they were last asked for). The migration team maps the frequent ones; site admins see the rows of
 * their sites and those below. A row belongs to the site its host redirects to, or, for a host with no redirect yet,
 * to the sites of the source that recorded it.
 */
import { html } from 'hono/html';
import { z } from 'zod';
import { SiteIdSchema, can, type Grant, type ParentOf } from '@ywtc/cms-schema';
import { adminPage, shortTime, type Viewer } from '../admin/admin-layout.ts';
import { csv } from '../inspect/reports/csv.ts';

export const UnmappedQuerySchema = z.object({ site: z.union([z.literal(''), SiteIdSchema]).default('') });
export const UNMAPPED_FIELDS = { site: '网站' } as const;

export interface UnmappedRow {
  host: string;
  path: string;
  source_id: string | null;
  reason: string;
  hits: number;
  last_seen: string;
}
export interface UnmappedData {
  sites: { id: string; name: string }[];
  site: string;
  rows: UnmappedRow[];
  total: { addresses: number; hits: number };
  reasons: { reason: string; addresses: number; hits: number }[];
}

/** Rows shown on the page; the CSV has them all (up to CSV_LIMIT). */
export const PAGE_LIMIT = 500;
export const CSV_LIMIT = 100_000;

/** Whether these grants may read a site's import reports (IMPORT_ACCESS.read: document.write or inspect.read). */
const readable = (grants: readonly Grant[], siteId: string, parentOf: ParentOf) =>
  can(grants, 'inspect.read', { siteId }, parentOf) || can(grants, 'document.write', { siteId }, parentOf);

/**
 * The viewer's rows (one site's when `site` is set — it must be one the viewer reads, else null): hosts and sources
 * are resolved to sites first (few of them), so the rows themselves are filtered in SQL.
 */
export async function unmappedData(db: D1Database, grants: readonly Grant[], parentOf: ParentOf, site: string, limit: number): Promise<UnmappedData | null> {
  const [hostRows, sourceRows, siteRows] = await db.batch([
    db.prepare('SELECT DISTINCT r.host, r.site_id FROM import_redirects r WHERE r.host IN (SELECT DISTINCT host FROM import_unmapped)'),
    db.prepare('SELECT s.id AS source_id, j.value AS site_id FROM import_sources s, json_each(s.site_ids) j'),
    db.prepare('SELECT id, name FROM sites ORDER BY sort_order, id'),
  ]);
  const hostSites = (hostRows!.results as { host: string; site_id: string }[]).map((r) => ({ key: r.host, site: r.site_id }));
  const sourceSites = (sourceRows!.results as { source_id: string; site_id: string }[]).map((r) => ({ key: r.source_id, site: r.site_id }));
  const mine = (siteId: string) => readable(grants, siteId, parentOf) && (site === '' || siteId === site);
  const involved = new Set([...hostSites, ...sourceSites].map((r) => r.site));
  const sites = (siteRows!.results as { id: string; name: string }[]).filter((s) => involved.has(s.id) && readable(grants, s.id, parentOf));
  if (site !== '' && !readable(grants, site, parentOf)) return null;
  const hosts = [...new Set(hostSites.filter((r) => mine(r.site)).map((r) => r.key))];
  const redirected = [...new Set(hostSites.map((r) => r.key))];
  const sources = [...new Set(sourceSites.filter((r) => mine(r.site)).map((r) => r.key))];
  const where = `(u.host IN (SELECT value FROM json_each(?1)) OR (u.host NOT IN (SELECT value FROM json_each(?2)) AND u.source_id IN (SELECT value FROM json_each(?3))))`;
  const args = [JSON.stringify(hosts), JSON.stringify(redirected), JSON.stringify(sources)];
  const [rows, reasons] = await db.batch([
    db
      .prepare(
        `SELECT u.host, u.path, u.source_id, u.reason, u.hits, u.last_seen FROM import_unmapped u WHERE ${where} ORDER BY u.hits DESC, u.last_seen DESC, u.host, u.path LIMIT ?4`,
      )
      .bind(...args, limit),
    db
      .prepare(
        `SELECT u.reason, count(*) AS addresses, coalesce(sum(u.hits), 0) AS hits FROM import_unmapped u WHERE ${where} GROUP BY u.reason ORDER BY addresses DESC`,
      )
      .bind(...args),
  ]);
  const byReason = reasons!.results as { reason: string; addresses: number; hits: number }[];
  return {
    sites,
    site,
    rows: rows!.results as UnmappedRow[],
    total: { addresses: byReason.reduce((n, r) => n + r.addresses, 0), hits: byReason.reduce((n, r) => n + r.hits, 0) },
    reasons: byReason,
  };
}

export function unmappedPage(viewer: Viewer, d: UnmappedData, error: string | null = null) {
  const csvHref = `/admin/import/unmapped.csv${d.site ? `?site=${encodeURIComponent(d.site)}` : ''}`;
  const body = html`<h1>未映射的旧网址</h1>
${error ? html`<p class="err" role="alert" id="unmapped-error">${error}</p>` : ''}
<p>迁移网站的旧网址中没有对应新页面的地址：采集时发现但未导入的链接，以及访问旧域名时未能跳转的地址（按访问次数排列）。请为常被访问的地址补充映射。</p>
<form method="get" action="/admin/import/unmapped" class="inline"><label for="unmapped-site">${UNMAPPED_FIELDS.site}</label> <select id="unmapped-site" name="site"><option value="">全部网站</option>${d.sites.map(
    (s) => html`<option value="${s.id}"${s.id === d.site ? html` selected` : ''}>${s.name}</option>`,
  )}</select> <button type="submit">筛选</button></form>
<p id="unmapped-counts">共 <strong>${d.total.addresses}</strong> 个地址，被访问 <strong>${d.total.hits}</strong> 次。<a href="${csvHref}">导出 CSV</a></p>
${
  d.reasons.length
    ? html`<table id="unmapped-reasons"><caption>按原因</caption><thead><tr><th scope="col">原因</th><th scope="col">地址数</th><th scope="col">访问次数</th></tr></thead><tbody>
${d.reasons.map((r) => html`<tr><td>${r.reason}</td><td>${r.addresses}</td><td>${r.hits}</td></tr>`)}</tbody></table>`
    : ''
}
<table id="unmapped-rows"><caption>地址${d.rows.length < d.total.addresses ? html`（显示前 ${d.rows.length} 个，完整列表请导出 CSV）` : ''}</caption><thead><tr><th scope="col">旧域名</th><th scope="col">路径</th><th scope="col">原因</th><th scope="col">访问次数</th><th scope="col">最近访问</th><th scope="col">来源</th></tr></thead><tbody>
${
  d.rows.length === 0
    ? html`<tr><td colspan="6">暂无未映射的旧网址。</td></tr>`
    : d.rows.map(
        (r) =>
          html`<tr><td>${r.host}</td><td><code>${r.path}</code></td><td>${r.reason}</td><td>${r.hits}</td><td>${shortTime(r.last_seen)}</td><td>${r.source_id ?? ''}</td></tr>`,
      )
}
</tbody></table>`;
  return adminPage({ title: '未映射的旧网址', viewer, body });
}

/** Excel-safe (BOM, CRLF, formulas escaped) by the inspection reports' CSV writer: paths come from outside. */
export function unmappedCsv(rows: readonly UnmappedRow[]): string {
  return csv(
    ['旧域名', '路径', '旧网址', '原因', '访问次数', '最近访问', '来源'],
    rows.map((r) => [r.host, r.path, `http://${r.host}${r.path}`, r.reason, r.hits, shortTime(r.last_seen), r.source_id]),
  );
}

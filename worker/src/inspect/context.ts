/**
 * What one run reads once and shares across sites (the registry, hosts, check lists, other sites' manifests,
 * attachments already looked up), and what it reads per site from the content store.
 */
import { CONSULT_LIMITS, TABLES, fromRow, selectColumns, type Column, type CompiledLists, type Site } from '@ywtc/cms-schema';
import { checkLists } from '../cms/checks.ts';
import { openSite } from './source.ts';
import { pagePath } from './rules/links.ts';
import type { PlacedDoc, SiteInput } from './types.ts';

export interface RunContext {
  sites: Map<string, Site>;
  /** Registry host → site id. */
  hosts: Map<string, string>;
  lists: CompiledLists;
  wordCache: SiteInput['wordCache'];
  /** Another site's live page paths (null: no live version), read once per run. */
  manifestOf(siteId: string): Promise<ReadonlySet<string> | null>;
  /** Whether an attachment key exists in R2, looked up once per run. */
  attachmentExists(key: string): Promise<boolean>;
}

export async function runContext(env: { DB: D1Database; PAGES: R2Bucket }): Promise<RunContext> {
  const [sites, hosts] = await env.DB.batch([
    env.DB.prepare(`SELECT ${selectColumns(TABLES.sites)} FROM sites ORDER BY sort_order, id`),
    env.DB.prepare('SELECT host, site_id FROM site_hosts'),
  ]);
  const manifests = new Map<string, Promise<ReadonlySet<string> | null>>();
  const attachments = new Map<string, Promise<boolean>>();
  return {
    sites: new Map(sites!.results.map((r) => fromRow(TABLES.sites, r as Record<string, unknown>)).map((s) => [s.id, s])),
    hosts: new Map((hosts!.results as { host: string; site_id: string }[]).map((h) => [h.host, h.site_id])),
    lists: await checkLists(env.DB),
    wordCache: new Map(),
    manifestOf(siteId) {
      let m = manifests.get(siteId);
      if (!m) {
        m = openSite(env.PAGES, siteId).then((o) => (o.ok ? new Set(Object.keys(o.manifest.pages).map(pagePath)) : null));
        manifests.set(siteId, m);
      }
      return m;
    },
    attachmentExists(key) {
      let a = attachments.get(key);
      if (!a) {
        a = env.PAGES.head(key).then((o) => o !== null);
        attachments.set(key, a);
      }
      return a;
    },
  };
}

export interface SiteStore {
  columns: Column[];
  docs: PlacedDoc[];
  overdueConsults: { id: string; title: string; receivedAt: string }[];
  seen: Map<string, string>;
}

/** One D1 batch: the site's columns, the documents it shows, its overdue 留言, the publish times seen before. */
export async function siteStore(db: D1Database, siteId: string, now: Date): Promise<SiteStore> {
  const overdueBefore = new Date(now.getTime() - CONSULT_LIMITS.overdueDays * 86_400_000).toISOString();
  const [cols, docs, consults, seen] = await db.batch([
    db.prepare(`SELECT ${selectColumns(TABLES.columns)} FROM columns WHERE site_id = ? ORDER BY sort_order`).bind(siteId),
    db
      .prepare(
        `SELECT d.id, d.kind, d.title, d.published_at, p.column_id, d.owner_site_id, d.issuer, c.slug,
                EXISTS (SELECT 1 FROM interpretation_links l WHERE l.policy_id = d.id) AS has_interpretation
           FROM placements p JOIN documents d ON d.id = p.document_id JOIN columns c ON c.id = p.column_id
          WHERE p.site_id = ?`,
      )
      .bind(siteId),
    db.prepare('SELECT id, title, received_at FROM consult_messages WHERE site_id = ? AND answered_at IS NULL AND received_at < ?').bind(siteId, overdueBefore),
    db
      .prepare('SELECT s.document_id, s.published_at FROM inspection_seen s JOIN placements p ON p.document_id = s.document_id WHERE p.site_id = ?')
      .bind(siteId),
  ]);
  type DocRow = {
    id: string;
    kind: string;
    title: string;
    published_at: string;
    column_id: string;
    owner_site_id: string;
    issuer: string | null;
    slug: string;
    has_interpretation: number;
  };
  return {
    columns: cols!.results.map((r) => fromRow(TABLES.columns, r as Record<string, unknown>)),
    docs: (docs!.results as DocRow[]).map((r) => ({
      id: r.id,
      kind: r.kind,
      title: r.title,
      publishedAt: r.published_at,
      columnId: r.column_id,
      ownerSiteId: r.owner_site_id,
      issuer: r.issuer,
      path: `/${r.slug}/${r.id}.html`,
      hasInterpretation: r.has_interpretation === 1,
    })),
    overdueConsults: (consults!.results as { id: string; title: string; received_at: string }[]).map((m) => ({
      id: m.id,
      title: m.title,
      receivedAt: m.received_at,
    })),
    seen: new Map((seen!.results as { document_id: string; published_at: string }[]).map((s) => [s.document_id, s.published_at])),
  };
}

/**
 * What recommendations are drawn from (集约: the whole cluster's shared content): the newest items placed on the
 * site being visited, the citizen's county, its city and the region's portal (which carries the national
 * policies it reposts), with their interest tags and recent page views; and the 办事指南 of those sites by
 * 服务场景. One D1 batch per set of sites, kept a minute per isolate, so a personalised page usually costs no
 * D1 read at all.
 */
import { SceneCodeSchema, type Candidate, type InterestCode, type Nearness, type SceneCode } from '@ywtc/cms-schema';
import { viewWeights } from './hot-signals.ts';
import { contentVersion } from './content-version.ts';

/** Newest items taken per site: enough for any taste (ten interests × several matches) at a bounded cost. */
const PER_SITE = 400;
const TTL_MS = 60_000;
const MAX_ENTRIES = 300;

export interface PoolItem extends Candidate {
  /** Path inside its site ('/zcwj/p00001.html'). */
  path: string;
  columnName: string;
}

export interface GuideRef {
  id: string;
  title: string;
  siteId: string;
  path: string;
  scenes: SceneCode[];
  nearness: Nearness;
}

export interface Pool {
  items: PoolItem[];
  guides: GuideRef[];
}

interface Row {
  id: string;
  title: string;
  kind: string;
  published_at: string;
  validity: Candidate['validity'];
  site_id: string;
  column_id: string;
  slug: string;
  column_name: string;
  tags: string | null;
  scenes: string | null;
}

const cache = new Map<string, { until: number; version: number; pool: Promise<Pool> }>();

/**
 * `sites`: site id → how near it is to the citizen, nearest first (the order decides which copy of a shared item
 * is linked). Kept a minute (page views move slowly) and never past a content change (content-version.ts).
 */
export async function loadPool(db: D1Database, sites: [string, Nearness][], now = Date.now()): Promise<Pool> {
  const key = sites.map(([id, n]) => `${id}:${n}`).join(',');
  const version = await contentVersion(db, now);
  const hit = cache.get(key);
  if (hit && hit.until > now && hit.version === version) return hit.pool;
  const pool = readPool(db, sites, now);
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, { until: now + TTL_MS, version, pool });
  pool.catch(() => {
    if (cache.get(key)?.pool === pool) cache.delete(key);
  });
  return pool;
}

async function readPool(db: D1Database, sites: [string, Nearness][], now: number): Promise<Pool> {
  const ids = sites.map(([id]) => id);
  // One sub-select per site, each its newest PER_SITE placements (by the instant, not the text of the time).
  const perSite = ids
    .map(
      () => `SELECT * FROM (SELECT d.id, d.title, d.kind, d.published_at, d.validity, p.site_id, p.column_id, c.slug, c.name AS column_name,
          (SELECT group_concat(t.interest || ':' || t.confidence) FROM document_tags t WHERE t.document_id = d.id) AS tags,
          CASE WHEN d.kind = 'guide' THEN json_extract(d.guide, '$.scenes') END AS scenes
        FROM placements p JOIN documents d ON d.id = p.document_id JOIN columns c ON c.id = p.column_id
        WHERE p.site_id = ? ORDER BY unixepoch(d.published_at) DESC, d.id LIMIT ${PER_SITE})`,
    )
    .join(' UNION ALL ');
  const guides = `SELECT d.id, d.title, d.kind, d.published_at, d.validity, p.site_id, p.column_id, c.slug, c.name AS column_name, NULL AS tags,
      json_extract(d.guide, '$.scenes') AS scenes
    FROM placements p JOIN documents d ON d.id = p.document_id JOIN columns c ON c.id = p.column_id
    WHERE d.kind = 'guide' AND p.site_id IN (${ids.map(() => '?').join(',')})`;
  const [itemRows, guideRows] = await db.batch<Row>([db.prepare(perSite).bind(...ids), db.prepare(guides).bind(...ids)]);
  const views = await viewWeights(db, ids, now);
  const nearness = new Map(sites);
  const rank = new Map(ids.map((id, i) => [id, i]));
  const items = new Map<string, PoolItem>();
  for (const r of itemRows!.results) {
    // 办事指南 are reached through 我的常用服务, not recommended as reading.
    if (r.kind === 'guide') continue;
    const prev = items.get(r.id);
    if (prev && rank.get(prev.siteId)! <= rank.get(r.site_id)!) continue;
    items.set(r.id, {
      id: r.id,
      title: r.title,
      siteId: r.site_id,
      nearness: nearness.get(r.site_id) ?? 'other',
      columnId: r.column_id,
      columnName: r.column_name,
      path: `/${r.slug}/${r.id}.html`,
      publishedAt: r.published_at,
      validity: r.validity,
      tags: parseTags(r.tags),
      views: views.get(r.id) ?? 0,
    });
  }
  const guideRefs: GuideRef[] = guideRows!.results
    .map((r) => ({
      id: r.id,
      title: r.title,
      siteId: r.site_id,
      path: `/${r.slug}/${r.id}.html`,
      scenes: parseScenes(r.scenes),
      nearness: nearness.get(r.site_id) ?? 'other',
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
  return { items: [...items.values()], guides: guideRefs };
}

function parseTags(s: string | null): { interest: InterestCode; confidence: number }[] {
  if (!s) return [];
  return s.split(',').map((pair) => {
    const [interest, confidence] = pair.split(':');
    return { interest: interest as InterestCode, confidence: Number(confidence) };
  });
}

function parseScenes(s: string | null): SceneCode[] {
  if (!s) return [];
  try {
    const list: unknown = JSON.parse(s);
    return Array.isArray(list) ? list.filter((x): x is SceneCode => SceneCodeSchema.safeParse(x).success) : [];
  } catch {
    return [];
  }
}

/**
 * The nearest guide for each chosen scene: `preference` lists site ids in the order a citizen would go to them
 * (their county, city, the region — a matter is handled where one lives), then the visited site. Scenes without
 * a guide anywhere near are left out.
 */
export function guidesFor(pool: Pool, scenes: readonly SceneCode[], preference: readonly string[]): Map<SceneCode, GuideRef> {
  const rankOf = (siteId: string) => {
    const i = preference.indexOf(siteId);
    return i < 0 ? preference.length : i;
  };
  const out = new Map<SceneCode, GuideRef>();
  for (const scene of scenes) {
    let best: GuideRef | undefined;
    for (const g of pool.guides) if (g.scenes.includes(scene) && (!best || rankOf(g.siteId) < rankOf(best.siteId))) best = g;
    if (best) out.set(scene, best);
  }
  return out;
}

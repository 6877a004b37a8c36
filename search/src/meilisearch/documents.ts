/**
 * A SearchDocument as Meilisearch stores it. Meilisearch segments Chinese with jieba and matches words and
 * word prefixes only, so 处理 never finds 待处理 in the original text. Each searchable text is therefore also
 * stored as its bigram stream (tokenize.ts: 待处理 → 待处 处理), which is what the index searches; the original
 * title, body and summary are kept for display, highlighting and cropping. Placements are flattened into plain
 * arrays because Meilisearch filters on arrays of scalars, not on fields of objects inside an array; filters
 * that combine placement facts use `placementKeys`, so that they hold on one and the same placement, as in the
 * D1 index.
 */
import type { PlacementRef, SearchDocument } from '../schema.ts';
import type { Area } from '../area.ts';
import { cstYear } from '@ywtc/cms-schema';
import { indexText } from '../tokenize.ts';

/** A type, not an interface: the client wants documents assignable to Record<string, any>. */
export type MeiliDocument = {
  /** Primary key: the id, base64url-encoded (Meilisearch ids allow only [A-Za-z0-9_-]). */
  key: string;
  id: string;
  title: string;
  docNumber: string | null;
  keywords: string[];
  body: string;
  summary: string;
  kind: string;
  issuer: string | null;
  validity: string | null;
  publishedAt: string;
  /** Seconds since the epoch: the recency sort needs a number. */
  publishedTs: number;
  year: number;
  placements: { siteId: string; path: string }[];
  interprets: string[];
  /** 地区 of the issuer (area.ts), shown with each result. */
  area: Area | null;
  siteIds: string[];
  columnKinds: string[];
  levels: string[];
  /** Each placement's region and, for a city (4501), its region (45): 45 filters the whole region. */
  regions: string[];
  /** Every combination of two or more facts of one placement (placementKey). */
  placementKeys: string[];
  /** Every substring of the issuer up to MAX_ISSUER_FILTER characters: the issuer filter matches a part. */
  issuerParts: string[];
  titleGrams: string;
  docNumberGrams: string;
  keywordsGrams: string;
  bodyGrams: string;
};

/** The primary key field; set explicitly, since Meilisearch would otherwise infer `id`, which may hold dots. */
export const PRIMARY_KEY = 'key';
/** Meilisearch rejects document ids longer than 511 bytes; 80 UTF-8 characters encode to at most 427. */
const MAX_KEY_LENGTH = 511;
const KEY_RE = /^[A-Za-z0-9_-]+$/;

/** base64url (no padding) of the id's UTF-8 bytes: reversible, and only characters Meilisearch accepts. */
export function encodeKey(id: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(id)) binary += String.fromCharCode(byte);
  const key = btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) throw new Error(`文档编号无法作为 Meilisearch 主键：${id}`);
  return key;
}

export function decodeKey(key: string): string {
  if (!KEY_RE.test(key)) throw new Error(`不是有效的 Meilisearch 主键：${key}`);
  const binary = atob(key.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
}

const unique = (values: readonly (string | null)[]) => [...new Set(values.filter((v): v is string => v !== null))];

/** The regions a placement counts in: its own, and the whole region (first two digits) for a city. */
export const regionFacets = (region: string) => (region.length > 2 ? [region, region.slice(0, 2)] : [region]);

/** Facts of one placement a filter can name, in a fixed order. */
export interface PlacementFacts {
  site?: string;
  column?: string;
  level?: string;
  region?: string;
}
const FACT_ORDER = [
  ['site', 's'],
  ['column', 'c'],
  ['level', 'l'],
  ['region', 'r'],
] as const;

/** One string for a set of facts (s=gxzf|c=policy): what a combined filter looks up. */
export function placementKey(f: PlacementFacts): string {
  return FACT_ORDER.filter(([k]) => f[k] !== undefined)
    .map(([k, tag]) => `${tag}=${f[k] ?? ''}`)
    .join('|');
}

/** The keys of every combination of two or more of a placement's facts (at most 18 per placement). */
export function placementKeysOf(p: PlacementRef): string[] {
  const values: [keyof PlacementFacts, string[]][] = [
    ['site', [p.siteId]],
    ['column', p.columnKind ? [p.columnKind] : []],
    ['level', p.level ? [p.level] : []],
    ['region', p.region ? regionFacets(p.region) : []],
  ];
  const out: string[] = [];
  const walk = (i: number, facts: PlacementFacts, n: number) => {
    if (i === values.length) {
      if (n >= 2) out.push(placementKey(facts));
      return;
    }
    const [k, vs] = values[i]!;
    walk(i + 1, facts, n);
    for (const v of vs) walk(i + 1, { ...facts, [k]: v }, n + 1);
  };
  walk(0, {}, 0);
  return out;
}

/** Longest issuer part a filter may name (SearchParams.issuer allows 60 characters). */
export const MAX_ISSUER_FILTER = 60;
export function issuerParts(issuer: string | null): string[] {
  if (!issuer) return [];
  const chars = [...issuer];
  const out = new Set<string>();
  for (let i = 0; i < chars.length; i++) for (let j = i + 1; j <= Math.min(chars.length, i + MAX_ISSUER_FILTER); j++) out.add(chars.slice(i, j).join(''));
  return [...out];
}

export function toMeiliDocument(d: SearchDocument): MeiliDocument {
  const ms = Date.parse(d.publishedAt);
  if (Number.isNaN(ms)) throw new Error(`发布时间无效：${d.publishedAt}`);
  return {
    key: encodeKey(d.id),
    id: d.id,
    title: d.title,
    docNumber: d.docNumber,
    keywords: d.keywords,
    body: d.body,
    summary: d.summary,
    kind: d.kind,
    issuer: d.issuer,
    validity: d.validity,
    publishedAt: d.publishedAt,
    publishedTs: Math.floor(ms / 1000),
    // The year as written (its own offset), as the D1 index files it.
    year: cstYear(d.publishedAt),
    placements: d.placements.map((p) => ({ siteId: p.siteId, path: p.path })),
    interprets: d.interprets,
    area: d.area,
    siteIds: unique(d.placements.map((p) => p.siteId)),
    columnKinds: unique(d.placements.map((p) => p.columnKind)),
    levels: unique(d.placements.map((p) => p.level)),
    regions: unique(d.placements.flatMap((p) => (p.region ? regionFacets(p.region) : []))),
    placementKeys: unique(d.placements.flatMap(placementKeysOf)),
    issuerParts: issuerParts(d.issuer),
    titleGrams: indexText(d.title),
    docNumberGrams: d.docNumber ? indexText(d.docNumber) : '',
    // One keyword per line, so no bigram spans two keywords.
    keywordsGrams: indexText(d.keywords.join('\n')),
    bodyGrams: indexText(d.body),
  };
}

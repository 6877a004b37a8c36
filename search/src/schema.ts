import { z } from 'zod';
import { ColumnKindSchema, DocumentKindSchema, SiteKindSchema, ValiditySchema } from '@ywtc/cms-schema';
import { AreaSchema, ReaderSchema, type Area } from './area.ts';

/** Levels of government a site belongs to, for the 层级 filter (from its division code). */
export const LEVELS = { province: '自治区级', city: '市级', county: '县级' } as const;
export const LevelSchema = z.enum(['province', 'city', 'county']);
/** A city-level division (4 digits, e.g. 4501 南宁市) or the region itself (45), for the 地区 filter. */
export const RegionSchema = z.string().regex(/^\d{2}(\d{2})?$/, '地区代码应为 2 或 4 位数字');

/** Where one site shows a document: the facts the site, region, level and column filters use. */
export const PlacementRefSchema = z.object({
  siteId: z.string().regex(/^[a-z0-9-]+$/),
  path: z.string().startsWith('/'),
  /** Kind of the column it sits in on that site (null: not in a column, e.g. the eval's documents). */
  columnKind: ColumnKindSchema.nullable().default(null),
  siteKind: SiteKindSchema.nullable().default(null),
  level: LevelSchema.nullable().default(null),
  region: RegionSchema.nullable().default(null),
});
export type PlacementRef = z.infer<typeof PlacementRefSchema>;

/** What the search index holds of a document: derived from the content store by `toSearchDocument`. */
export const SearchDocumentSchema = z.object({
  id: z.string().min(1).max(80),
  title: z.string().min(1).max(300),
  docNumber: z.string().max(60).nullable(),
  keywords: z.array(z.string().max(40)).max(30),
  /** Plain text of the body. */
  body: z.string().max(2_000_000),
  summary: z.string().max(500),
  kind: DocumentKindSchema,
  issuer: z.string().max(120).nullable(),
  validity: ValiditySchema.nullable(),
  publishedAt: z.iso.datetime({ offset: true }),
  /** Sites that show the document, with the document's path on each. */
  placements: z.array(PlacementRefSchema).max(300),
  /** Ids of the policies this document interprets (政策解读 → 政策文件): results group them together. */
  interprets: z.array(z.string().min(1).max(80)).max(20).default([]),
  /** Whose government issued it (area.ts): results show it, and search ranks near documents first. Null: unknown. */
  area: AreaSchema.nullable().default(null),
});
export type SearchDocument = z.infer<typeof SearchDocumentSchema>;
/** A document as callers may send it (defaults not yet applied), e.g. to the publishing API. */
export type SearchDocumentInput = z.input<typeof SearchDocumentSchema>;

export const SearchParamsSchema = z.object({
  q: z.string().max(100, '搜索词不能超过 100 个字').default(''),
  site: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional(),
  kind: DocumentKindSchema.optional(),
  validity: ValiditySchema.optional(),
  year: z.coerce.number().int().min(1949).max(2100).optional(),
  issuer: z.string().trim().min(1).max(60).optional(),
  column: ColumnKindSchema.optional(),
  level: LevelSchema.optional(),
  region: RegionSchema.optional(),
  sort: z.enum(['relevance', 'date']).default('relevance'),
  page: z.coerce.number().int().min(1).max(100).default(1),
  size: z.coerce.number().int().min(1).max(50).default(10),
  /**
   * Where the reader is, set by the Worker from the site searched (never read from the query string): results
   * near the reader rank first (area.ts). Absent, ranking is by the text alone, as the evaluation measures it.
   */
  reader: ReaderSchema.optional(),
});
export type SearchParams = z.infer<typeof SearchParamsSchema>;

/** What a result shows of a document: a hit's, and a best bet's stored snapshot. */
export interface DocumentFacts {
  title: string;
  docNumber: string | null;
  kind: string;
  issuer: string | null;
  validity: string | null;
  publishedAt: string;
  summary: string;
  /** 地区 of the issuer (area.ts); null when unknown. */
  area?: Area | null;
}

export interface SearchHit extends DocumentFacts {
  id: string;
  placements: { siteId: string; path: string }[];
  /** Why it is where it is: admins' best bets first, then an exact 发文字号, then text relevance. */
  match: 'pinned' | 'doc-number' | 'text';
  /**
   * A short passage around the query's words as safe HTML: text escaped, matches wrapped in <mark>.
   * Falls back to the escaped summary when no passage holds a query word.
   */
  snippet: string;
  /** The other half of a policy ↔ interpretation pair: shown under the hit instead of as separate hits. */
  related: RelatedHit[];
}
export interface RelatedHit {
  id: string;
  title: string;
  relation: 'interpretation' | 'policy';
  placements: { siteId: string; path: string }[];
}
/** `total` is exact unless `totalIsLowerBound` (counting stops at 1,000). */
export interface SearchResult {
  query: string;
  total: number;
  totalIsLowerBound: boolean;
  page: number;
  size: number;
  hits: SearchHit[];
  /** A corrected query when the typed one looks misspelt (e.g. a wrong character), for “您是不是要找”. */
  suggestion?: string | null;
}

/**
 * One interface, two backends: the embedded D1 index (d1.ts, the default) and Meilisearch (meilisearch/,
 * when MEILISEARCH_HOST is set). Best bets, analytics and policy Q&A sit above this in the Worker and work
 * the same over either.
 */
export interface SearchBackend {
  readonly name: 'd1' | 'meilisearch';
  /** Adds or replaces documents (by id). */
  index(docs: readonly SearchDocument[]): Promise<void>;
  /** Removes documents by id; unknown ids are ignored. */
  remove(ids: readonly string[]): Promise<void>;
  search(params: SearchParams): Promise<SearchResult>;
  /** Replaces the synonym dictionary (groups of equivalent terms, e.g. [社保, 社会保险]). */
  setSynonyms(groups: readonly (readonly string[])[]): Promise<void>;
}

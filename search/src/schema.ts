import { z } from 'zod';
import { DocumentKindSchema, ValiditySchema } from '@ywtc/cms-schema';

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
  placements: z.array(z.object({ siteId: z.string(), path: z.string().startsWith('/') })).max(300),
});
export type SearchDocument = z.infer<typeof SearchDocumentSchema>;

export const SearchParamsSchema = z.object({
  q: z.string().max(100, '搜索词不能超过 100 个字').default(''),
  site: z.string().regex(/^[a-z0-9-]+$/).optional(),
  kind: DocumentKindSchema.optional(),
  validity: ValiditySchema.optional(),
  year: z.coerce.number().int().min(1949).max(2100).optional(),
  sort: z.enum(['relevance', 'date']).default('relevance'),
  page: z.coerce.number().int().min(1).max(100).default(1),
  size: z.coerce.number().int().min(1).max(50).default(10),
});
export type SearchParams = z.infer<typeof SearchParamsSchema>;

export interface SearchHit {
  id: string;
  title: string;
  docNumber: string | null;
  kind: string;
  issuer: string | null;
  validity: string | null;
  publishedAt: string;
  summary: string;
  placements: { siteId: string; path: string }[];
  /** Why it came first: an exact 发文字号 match ranks above any text match. */
  match: 'doc-number' | 'text';
}
/** `total` is exact unless `totalIsLowerBound` (counting stops at 1,000). */
export interface SearchResult { query: string; total: number; totalIsLowerBound: boolean; page: number; size: number; hits: SearchHit[] }

import { z } from 'zod';
import { DocumentIdSchema } from './document.ts';
import { SiteIdSchema } from './site.ts';
import { InstantSchema } from './time.ts';
import { text } from './text.ts';
import { defineAccess } from './access.ts';

/**
 * 先审后发: an editor's entry is a draft until approved, and only approved entries are published or answer a
 * search. No default: whoever writes an entry says which it is (the seed imports published entries as approved).
 */
export const QA_STATUSES = ['draft', 'approved'] as const;
export const QaStatusSchema = z.enum(QA_STATUSES);
export type QaStatus = z.infer<typeof QaStatusSchema>;

/** A policy Q&A entry (政策问答), always tied to the document that answers it. */
export const QaEntrySchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{4,80}$/),
  siteId: SiteIdSchema,
  question: text().trim().min(4).max(300),
  answer: text().trim().min(1).max(5000),
  sourceDocumentId: DocumentIdSchema,
  status: QaStatusSchema,
  /** Last edit by an editor; null for entries imported as they were published. */
  updatedAt: InstantSchema.nullable().default(null),
});
export type QaEntry = z.infer<typeof QaEntrySchema>;

/**
 * What an editor writes. Tighter than stored entries (which include imported ones): a question a citizen could
 * type in the search box, and an answer that fits a card above the results.
 */
export const QaEntryInputSchema = z.object({
  siteId: SiteIdSchema,
  question: text().trim().min(4, '问题至少 4 个字').max(200, '问题不能超过 200 个字'),
  answer: text().trim().min(1, '答复不能为空').max(2000, '答复不能超过 2000 个字'),
  sourceDocumentId: DocumentIdSchema,
});
export type QaEntryInput = z.infer<typeof QaEntryInputSchema>;

/**
 * The policy Q&A knowledge base in the CMS: the site's editors write entries, a first-level reviewer (or a site
 * admin above) signs them off; the questions nobody's entry answered are the editors' to-do list.
 */
export const QA_ACCESS = defineAccess({
  read: { who: ['staff'], anyOf: ['qa.write', 'qa.review'] },
  write: { who: ['staff'], action: 'qa.write' },
  review: { who: ['staff'], action: 'qa.review' },
});

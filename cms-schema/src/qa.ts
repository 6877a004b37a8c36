import { z } from 'zod';
import { DocumentIdSchema } from './document.ts';
import { SiteIdSchema } from './site.ts';

/** A policy Q&A entry (政策问答), always tied to the document that answers it. */
export const QaEntrySchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{4,80}$/),
  siteId: SiteIdSchema,
  question: z.string().trim().min(4).max(300),
  answer: z.string().trim().min(1).max(5000),
  sourceDocumentId: DocumentIdSchema,
});
export type QaEntry = z.infer<typeof QaEntrySchema>;

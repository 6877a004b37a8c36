/**
 * A document's interest tags (千人千网): the editor's choice when the document carries one, otherwise the
 * classifier's guesses with their confidence. A guess below LOW_CONFIDENCE is still used for recommendations
 * but marked for editors (needsReview), who confirm it by choosing the document's 兴趣领域 in the CMS.
 */
import { z } from 'zod';
import { DocumentIdSchema } from '../document.ts';
import { InterestCodeSchema } from './interests.ts';

export const DocumentTagSchema = z.object({
  documentId: DocumentIdSchema,
  interest: InterestCodeSchema,
  confidence: z.number().min(0).max(1),
  source: z.enum(['editor', 'auto']),
  needsReview: z.boolean(),
});
export type DocumentTag = z.infer<typeof DocumentTagSchema>;

/**
 * Search administration as CMS work (audited, by role): the search log (daily totals, hot and zero-result
 * queries; no personal data in it) is read by site admins and platform admins; best bets and synonyms change
 * what every site's search answers, so platform admins set them. The public search itself is anyone's.
 */
import { z } from 'zod';
import { defineAccess } from './access.ts';

export const SEARCH_ACCESS = defineAccess({
  query: { who: ['anonymous', 'staff', 'machine', 'unit', 'apiKey'] },
  analytics: { who: ['staff'], action: 'search.read' },
  manage: { who: ['staff'], action: 'search.manage' },
});

/** A best bet as an admin enters it: the query as typed (normalized by the search package) and a document id. */
export const PinInputSchema = z.object({
  q: z.string({ error: '请填写搜索词' }).max(100, '搜索词不能超过 100 个字'),
  documentId: z.string({ error: '请填写文档 ID' }).trim().min(1, '请填写文档 ID').max(80, '文档 ID 不能超过 80 个字符'),
});

/** A synonym group as typed: terms separated by |, commas, 、 or spaces; each 2–20 letters or digits. */
export const SynonymTermsSchema = z
  .string({ error: '请填写同义词组' })
  .max(300, '同义词组过长')
  .transform((s) => [
    ...new Set(
      s
        .normalize('NFKC')
        .toLowerCase()
        .split(/[|,，、;；\s]+/)
        .filter(Boolean),
    ),
  ])
  .pipe(
    z
      .array(z.string().regex(/^[\p{L}\p{N}]{2,20}$/u, '每个词 2–20 个字，只能包含文字和数字（单字会误配其他词）'))
      .min(2, '同义词组至少需要两个不同的词')
      .max(12, '同义词组最多 12 个词'),
  );

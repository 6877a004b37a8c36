/**
 * 热点信息推荐: the signals it ranks by and the editors' say over it. Page views are counted per day, site and
 * document only — no address, cookie, agent or time of day — so nothing in them is about a person.
 */
import { z } from 'zod';
import { defineAccess } from '../access.ts';
import { DocumentIdSchema } from '../document.ts';
import { SiteIdSchema } from '../site.ts';
import { DateOnlySchema, InstantSchema } from '../time.ts';

export const PageViewDaySchema = z.object({
  day: DateOnlySchema,
  siteId: SiteIdSchema,
  documentId: DocumentIdSchema,
  views: z.int().min(0),
});
export type PageViewDay = z.infer<typeof PageViewDaySchema>;

export const HOT_ACTIONS = { pin: '置顶', block: '屏蔽' } as const;
export type HotAction = keyof typeof HOT_ACTIONS;
export const HotOverrideSchema = z.object({
  siteId: SiteIdSchema,
  documentId: DocumentIdSchema,
  action: z.enum(['pin', 'block']),
  accountId: z.string().min(1).max(40),
  createdAt: InstantSchema,
});
export type HotOverride = z.infer<typeof HotOverrideSchema>;

/** What an editor sends to pin or block an item on the hot list of a site (form or JSON). */
export const HotOverrideInputSchema = z.object({
  siteId: SiteIdSchema,
  documentId: DocumentIdSchema,
  action: z.enum(['pin', 'block', 'clear'], { error: '操作只能是置顶、屏蔽或取消' }),
});

/** The hot list's editors' controls, and the queue of documents whose automatic interest tags need a look. */
export const HOT_ACCESS = defineAccess({
  read: { who: ['staff'], anyOf: ['hot.manage', 'site.manage'] },
  manage: { who: ['staff'], action: 'hot.manage' },
});

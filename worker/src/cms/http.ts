/** What every /api/cms route answers alike: no caching, and a 400 naming the field zod found wrong. */
import type { Context } from 'hono';
import type { z } from 'zod';

export const noStore = { 'Cache-Control': 'no-store' } as const;

/** The first problem, its field as a dotted path (`draft.title`), and every problem (a form marks each field). */
export function invalid(c: Context, error: z.ZodError) {
  const issues = error.issues.slice(0, 50).map((i) => ({ field: i.path.map(String).join('.') || 'body', message: i.message }));
  return c.json({ error: 'invalid', field: issues[0]!.field, message: issues[0]!.message, issues }, 400, noStore);
}

/** The request's JSON body, or null when there is none or it is not JSON (zod then names what is missing). */
export const jsonBody = (c: Context): Promise<unknown> => c.req.json().catch(() => null);

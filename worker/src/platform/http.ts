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

/** A CMS operation's result as the API answers it: the value, or the failure's status with the field named. */
export const reply = <T>(
  c: Context,
  r: { ok: true; value: T } | { ok: false; status: 400 | 403 | 404 | 409; field: string; message: string },
  status: 200 | 201 = 200,
) =>
  r.ok
    ? c.json(r.value as object, status, noStore)
    : c.json(
        {
          error: r.status === 409 ? 'conflict' : r.status === 403 ? 'forbidden' : r.status === 404 ? 'not-found' : 'invalid',
          field: r.field,
          message: r.message,
        },
        r.status,
        noStore,
      );

/**
 * 信息共享开放标准接口规范 (docs/open-data.md) as schemas: the query parameters every interface takes, the
 * cursor, the response envelope, tombstones for incremental sync, and RFC 9457 problem details. The Worker
 * validates requests with these, builds answers that satisfy them, and the OpenAPI document is generated
 * from them.
 */
import { z } from 'zod';

export const MAX_LIMIT = 500;
export const DEFAULT_LIMIT = 50;
export const FORMATS = ['json', 'csv', 'xml'] as const;
export type OpenFormat = (typeof FORMATS)[number];
export const MEDIA_TYPES: Record<OpenFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
};

/** The parameters of every interface, beside its dataset's filters. */
export const CommonQuerySchema = z.object({
  limit: z.coerce
    .number({ error: 'limit 应为 1 到 500 之间的整数' })
    .int('limit 应为整数')
    .min(1, 'limit 不能小于 1')
    .max(MAX_LIMIT, `limit 不能大于 ${MAX_LIMIT}`)
    .default(DEFAULT_LIMIT)
    .meta({ description: `每页条数，1–${MAX_LIMIT}，默认 ${DEFAULT_LIMIT}` }),
  cursor: z.string().max(300, 'cursor 过长').optional().meta({ description: '翻页游标：上一页响应中的 page.next_cursor，原样传回' }),
  since: z.iso.datetime({ offset: true, error: 'since 应为带时区的 ISO 8601 时间，如 2026-12-01T00:00:00+08:00' }).optional().meta({
    description:
      '增量同步：只返回此时间（含）之后新增、变更的记录，以及此后撤下或删除的记录（deleted）。首次同步不带此参数，之后传回上次响应的 sync.next_since',
  }),
  format: z
    .enum(FORMATS, { error: 'format 应为 json、csv 或 xml' })
    .optional()
    .meta({ description: '响应格式：json（默认）、csv 或 xml；也可用 Accept 请求头指定' }),
});
export type CommonQuery = z.infer<typeof CommonQuerySchema>;

/**
 * A cursor names where the next page starts: for a listing, the sort key and id of the last record; for an
 * incremental sync, the change sequence number reached. It is base64url JSON, opaque to clients, and checked
 * on the way back in (a malformed or foreign cursor is a 400, never a 5xx).
 */
export const ListCursorSchema = z.object({
  m: z.literal('list'),
  k: z
    .array(z.union([z.string(), z.number()]))
    .min(1)
    .max(4),
  i: z.string().max(200),
});
export const SyncCursorSchema = z.object({ m: z.literal('sync'), s: z.int().min(0), since: z.string().max(40) });
export const CursorSchema = z.discriminatedUnion('m', [ListCursorSchema, SyncCursorSchema]);
export type Cursor = z.infer<typeof CursorSchema>;

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
export const encodeCursor = (c: Cursor): string => b64url(new TextEncoder().encode(JSON.stringify(c)));
export function decodeCursor(s: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]{1,300}$/.test(s)) return null;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    const parsed = CursorSchema.safeParse(
      JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0)))),
    );
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A record that left the interface since the consumer's last sync: withdrawn, deleted, or moved out of scope. */
export const TombstoneSchema = z.object({
  id: z.string().meta({ description: '离开本接口的记录标识' }),
  deleted_at: z.string().meta({ description: '撤下或删除的时间（ISO 8601，+08:00）', format: 'date-time' }),
});
export type Tombstone = z.infer<typeof TombstoneSchema>;

/** The one response envelope; `data` holds records of the interface's dataset. */
export const envelopeSchema = <R extends z.ZodType>(record: R) =>
  z.object({
    interface: z.object({
      code: z.string().meta({ description: '接口编码' }),
      name: z.string().meta({ description: '接口名称' }),
      version: z.string().meta({ description: '接口版本' }),
    }),
    data: z.array(record).meta({ description: '本页记录' }),
    deleted: z.array(TombstoneSchema).optional().meta({ description: '仅增量同步（since）时：自 since 起离开本接口的记录' }),
    page: z.object({
      limit: z.int(),
      next_cursor: z.string().nullable().meta({ description: '下一页游标；为 null 表示已是最后一页' }),
    }),
    sync: z
      .object({
        since: z.string().meta({ format: 'date-time' }),
        next_since: z.string().nullable().meta({ description: '最后一页时给出：下次增量同步传入的 since', format: 'date-time' }),
      })
      .optional(),
    generated_at: z.string().meta({ description: '响应生成时间（ISO 8601，+08:00）', format: 'date-time' }),
  });

/** RFC 9457 problem details, in Chinese, naming the fields that were wrong. */
export const ProblemSchema = z.object({
  type: z.string().meta({ description: '问题类型（URI）' }),
  title: z.string().meta({ description: '问题概述' }),
  status: z.int().meta({ description: 'HTTP 状态码' }),
  detail: z.string().meta({ description: '具体说明' }),
  instance: z.string().optional().meta({ description: '出问题的请求路径' }),
  errors: z
    .array(z.object({ field: z.string(), message: z.string() }))
    .optional()
    .meta({ description: '逐个字段的错误' }),
});
export type Problem = z.infer<typeof ProblemSchema>;
export const PROBLEM_MEDIA_TYPE = 'application/problem+json; charset=utf-8';

/** An instant as the interfaces show it: ISO 8601 in Beijing time (+08:00), milliseconds dropped unless asked for. */
export function toCst(instant: string | number | Date, withMs = false): string {
  const ms = typeof instant === 'number' ? instant : typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  const t = new Date(ms + 8 * 3_600_000).toISOString();
  return `${t.slice(0, withMs ? 23 : 19)}+08:00`;
}

/** Keys people put in query strings; the interfaces refuse them there (logged by proxies, kept in histories). */
export const KEY_QUERY_NAMES = ['api_key', 'apikey', 'key', 'x-api-key', 'x_api_key', 'access_token', 'token', 'appkey', 'app_key'];

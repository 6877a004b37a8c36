/**
 * RFC 9457 problem details for the open-data interfaces, in Chinese, naming the fields at fault
 * (docs/open-data.md lists the types). Every refusal of /open/v1 goes through here.
 */
import type { Context } from 'hono';
import { PROBLEM_MEDIA_TYPE, type Problem } from '@ywtc/cms-schema';
import type { z } from 'zod';

export const PROBLEM_TYPES = {
  'invalid-parameter': '请求参数不正确',
  'key-in-query': '密钥不能放在地址中',
  unauthenticated: '缺少或无法识别的密钥',
  'key-revoked': '密钥已吊销',
  'key-expired': '密钥已过期',
  'unit-suspended': '单位已被暂停使用',
  forbidden: '未获授权调用此接口',
  'grant-expired': '接口使用期限已到',
  'rate-limited': '调用过于频繁',
  'quota-exhausted': '当日调用量已用完',
  'not-found': '接口不存在',
  'since-too-old': '增量同步起点过早',
} as const;
export type ProblemType = keyof typeof PROBLEM_TYPES;

/** Problem types are documented at /open/docs#problem-<type>. */
export const problemTypeUri = (type: ProblemType) => `/open/docs#problem-${type}`;

export function problem(
  c: Context,
  status: 400 | 401 | 403 | 404 | 410 | 429,
  type: ProblemType,
  detail: string,
  extra: { errors?: Problem['errors']; headers?: Record<string, string> } = {},
): Response {
  const body: Problem = {
    type: problemTypeUri(type),
    title: PROBLEM_TYPES[type],
    status,
    detail,
    instance: new URL(c.req.url).pathname,
    ...(extra.errors ? { errors: extra.errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': PROBLEM_MEDIA_TYPE,
      'Cache-Control': 'no-store',
      ...(status === 401 ? { 'WWW-Authenticate': 'ApiKey header="X-Api-Key"' } : {}),
      ...extra.headers,
    },
  });
}

/** A zod failure as a 400 naming every field at fault. */
export function invalidParameters(c: Context, error: z.ZodError): Response {
  const errors = error.issues.map((i) => ({ field: i.path.join('.') || '(参数)', message: i.message }));
  return problem(c, 400, 'invalid-parameter', errors.map((e) => `${e.field}：${e.message}`).join('；'), { errors });
}

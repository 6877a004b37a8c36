/**
 * The open-data interfaces (/open/v1), as docs/open-data.md specifies them:
 *   GET /open/v1/interfaces          the catalogue (public)
 *   GET /open/v1/interfaces/{code}   one entry with its fields and filters (public)
 *   GET /open/v1/data/{code}         the data, for an API key granted the interface
 * A data call is checked in this order, before any data is read: no key in the query string → the key (401)
 * → the grant (403) → the parameters (400) → the short-window limit and the day's quota (429). Answers carry
 * an ETag (304 on If-None-Match) and come as JSON, CSV or XML.
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import {
  CommonQuerySchema,
  DATASETS,
  KEY_QUERY_NAMES,
  cstDate,
  decodeCursor,
  encodeCursor,
  toCst,
  type ApiKeyPrincipal,
  type Cursor,
  type DatasetKey,
  type OpenFormat,
  type OpenInterface,
} from '@ywtc/cms-schema';
import type { AppEnv } from '../env.ts';
import { authorize } from '../access/authorize.ts';
import { catalogue, registry, scopeSites, type Catalogue, type Registry } from './catalogue.ts';
import { answerKey, keepAnswer, keepable, keptAnswer, type KeptAnswer } from './answer-cache.ts';
import { QUERIES, type QueryContext } from './datasets/index.ts';
import { negotiate, render, type Envelope } from './formats.ts';
import { invalidParameters, problem } from './problem.ts';
import { quotaOf } from './quota.ts';
import { changeFloor, syncPage } from './sync.ts';
import { catalogueEntry } from './describe.ts';

/** Seconds until the next Beijing-time midnight, when daily quotas start again. */
const secondsToCstMidnight = (now: Date) => {
  const next = Date.parse(`${cstDate(now.toISOString())}T00:00:00+08:00`) + 86_400_000;
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
};

/** Refuses a key sent in the query string before anything else (it would end up in logs and histories). */
const noKeyInQuery = async (c: Context<AppEnv>, next: () => Promise<void>) => {
  const names = [...new URL(c.req.url).searchParams.keys()].map((k) => k.toLowerCase());
  const found = names.find((n) => KEY_QUERY_NAMES.includes(n));
  if (found)
    return problem(c, 400, 'key-in-query', `密钥不能放在地址的查询参数（${found}）中：地址会被代理、日志和浏览历史记下。请改用请求头 X-Api-Key 传递密钥`, {
      errors: [{ field: found, message: '请改用请求头 X-Api-Key' }],
    });
  await next();
};

/** The query string as one value per name; unknown or repeated names are errors naming the parameter. */
function queryOf(
  c: Context<AppEnv>,
  allowed: readonly string[],
): { ok: true; value: Record<string, string> } | { ok: false; errors: { field: string; message: string }[] } {
  const params = new URL(c.req.url).searchParams;
  const out: Record<string, string> = {};
  const errors: { field: string; message: string }[] = [];
  for (const [k, v] of params) {
    if (!allowed.includes(k)) errors.push({ field: k, message: `本接口没有参数 ${k.slice(0, 40)}（可用：${allowed.join('、')}）` });
    else if (k in out) errors.push({ field: k, message: `参数 ${k} 重复` });
    else out[k] = v;
  }
  return errors.length ? { ok: false, errors } : { ok: true, value: out };
}

async function etagOf(body: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body)));
  return `"${[...d.slice(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join('')}"`;
}
const etagMatches = (header: string | undefined, etag: string) =>
  !!header && header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag || t.trim() === '*');

/** The parameters an interface of a dataset takes (built once per dataset: zod objects are not free to make). */
const querySchemas = new Map<DatasetKey, z.ZodObject>();
function querySchema(dataset: DatasetKey): z.ZodObject {
  let s = querySchemas.get(dataset);
  if (!s) querySchemas.set(dataset, (s = z.object({ ...CommonQuerySchema.shape, ...(DATASETS[dataset].filters as z.ZodObject).shape })));
  return s;
}

async function callInterface(c: Context<AppEnv>): Promise<Response> {
  const now = new Date();
  const key = c.get('principal') as ApiKeyPrincipal;
  const code = c.req.param('code')!;
  const iface = (await catalogue(c.env.DB)).byCode.get(code);
  if (!iface) return problem(c, 404, 'not-found', `没有编码为 ${code.slice(0, 20)} 的接口，请查阅开放目录 /open/v1/interfaces`);
  const today = cstDate(now.toISOString());
  const grant = key.grants.find((g) => g.code === code);
  const refuse = (r: Response) => {
    c.executionCtx.waitUntil(quotaOf(c.env, key.unitId).refuse(key.unitId, code, today));
    return r;
  };
  if (!grant)
    return refuse(
      problem(
        c,
        403,
        'forbidden',
        iface.openType === 'conditional'
          ? `接口 ${code}（${iface.name}）为有条件开放，须经${iface.ownerName}批准后才能调用，请在数据开放门户提交申请`
          : `贵单位尚未申请接口 ${code}（${iface.name}），请在数据开放门户申请（无条件开放，提交即获批）`,
      ),
    );
  if (grant.endsOn < today) return refuse(problem(c, 403, 'grant-expired', `接口 ${code} 的使用期限已于 ${grant.endsOn} 结束，请重新申请`));

  // Parameters: the common ones and the dataset's filters, nothing else.
  const schema = querySchema(iface.dataset);
  const raw = queryOf(c, Object.keys(schema.shape));
  if (!raw.ok) return problem(c, 400, 'invalid-parameter', raw.errors.map((e) => `${e.field}：${e.message}`).join('；'), { errors: raw.errors });
  const parsed = schema.safeParse(raw.value);
  if (!parsed.success) return invalidParameters(c, parsed.error);
  const { limit, cursor: cursorText, since, format, ...filters } = parsed.data as z.infer<typeof CommonQuerySchema> & Record<string, unknown>;
  const query = QUERIES[iface.dataset];
  const reg = await registry(c.env.DB, c.get('dataVersion'));
  const scope = scopeSites(reg, iface);
  const bad = (field: string, message: string) => problem(c, 400, 'invalid-parameter', `${field}：${message}`, { errors: [{ field, message }] });
  if (typeof filters.site === 'string' && (scope ? !scope.includes(filters.site) : !reg.sites.has(filters.site)))
    return bad('site', `网站 ${filters.site} 不在本接口的范围内（见网站名录接口）`);
  if (since && !query.sync) return bad('since', '本接口提供的是统计数据，不支持增量同步，请每次全量获取');
  const cursor = cursorText === undefined ? null : decodeCursor(cursorText);
  if (cursorText !== undefined && (!cursor || (cursor.m === 'sync') !== !!since || (cursor.m === 'sync' && cursor.since !== since)))
    return bad('cursor', '翻页游标无效：请原样使用上一页响应中的 page.next_cursor，并保持其他参数不变');
  if (since && Date.parse(since) < (await changeFloor(c.env.DB)))
    return problem(c, 410, 'since-too-old', 'since 早于变更记录的保留期限（90 天），请不带 since 重新全量同步');

  // Limits: the short window per key (Rate Limiting binding), then the exact daily quota (Durable Object).
  const marks: [string, number][] = [['checks', Date.now()]];
  if (c.env.OPEN_RATE_LIMIT) {
    const { success } = await c.env.OPEN_RATE_LIMIT.limit({ key: key.keyId });
    if (!success)
      return refuse(
        problem(c, 429, 'rate-limited', '调用过于频繁（每个密钥每 10 秒最多 1000 次），请稍后再试', {
          headers: { 'Retry-After': '10', 'RateLimit-Policy': '"burst";q=1000;w=10', RateLimit: '"burst";r=0;t=10' },
        }),
      );
  }
  const reset = secondsToCstMidnight(now);
  marks.push(['limit', Date.now()]);
  const quota = await quotaOf(c.env, key.unitId).take(key.unitId, code, today, grant.dailyQuota);
  marks.push(['quota', Date.now()]);
  const limitHeaders = {
    'RateLimit-Policy': `"daily";q=${grant.dailyQuota};w=86400`,
    RateLimit: `"daily";r=${Math.max(0, grant.dailyQuota - quota.used)};t=${reset}`,
  };
  if (!quota.allowed)
    return problem(c, 429, 'quota-exhausted', `接口 ${code} 今日的调用量（${grant.dailyQuota} 次）已用完，北京时间零点后恢复`, {
      headers: { 'Retry-After': String(reset), ...limitHeaders },
    });

  // The data: kept from an earlier identical call while nothing in the store changed, else queried and rendered.
  const fmt = negotiate(format, c.req.header('accept'));
  const cacheKey = keepable(iface.dataset, since) ? answerKey(c.get('dataVersion') ?? -1, code, new URL(c.req.url).search, fmt) : null;
  let answer = cacheKey ? keptAnswer(cacheKey) : undefined;
  const cached = answer !== undefined;
  if (!answer) {
    answer = await answerOf(c, { iface, reg, scope, filters, now, limit, since, cursor, fmt });
    if (cacheKey) keepAnswer(cacheKey, answer);
  }
  marks.push(['data', Date.now()]);
  // Server-Timing: where the time of this call went (the limit check, the quota, the data), for operators and consumers alike.
  const timing = marks
    .slice(1)
    .map(([name, t], i) => `${name};dur=${t - marks[i]![1]}${name === 'data' && cached ? ';desc="kept"' : ''}`)
    .join(', ');
  const headers: Record<string, string> = {
    'Server-Timing': timing,
    ETag: answer.etag,
    'Cache-Control': 'private, no-cache',
    Vary: 'Accept, X-Api-Key',
    ...limitHeaders,
    ...(answer.nextCursor ? { 'X-Next-Cursor': answer.nextCursor } : {}),
    ...(answer.nextSince ? { 'X-Next-Since': answer.nextSince } : {}),
  };
  if (etagMatches(c.req.header('if-none-match'), answer.etag)) return new Response(null, { status: 304, headers });
  return new Response(answer.body, { status: 200, headers: { 'Content-Type': answer.type, ...headers } });
}

/** One page of an interface (or of its incremental sync), rendered in the format asked for. */
async function answerOf(
  c: Context<AppEnv>,
  a: {
    iface: OpenInterface;
    reg: Registry;
    scope: string[] | null;
    filters: Record<string, unknown>;
    now: Date;
    limit: number;
    since: string | undefined;
    cursor: Cursor | null;
    fmt: OpenFormat;
  },
): Promise<KeptAnswer> {
  const { iface, since, cursor, limit } = a;
  const query = QUERIES[iface.dataset];
  const ctx: QueryContext = { db: c.env.DB, reg: a.reg, iface, dataset: iface.dataset, scope: a.scope, filters: a.filters, now: a.now };
  const envelope: Envelope = {
    interface: { code: iface.code, name: iface.name, version: iface.version },
    data: [],
    page: { limit, next_cursor: null },
    generated_at: toCst(a.now),
  };
  if (since) {
    const page = await syncPage(ctx, query, Date.parse(since), cursor?.m === 'sync' ? cursor.s : 0, limit);
    envelope.data = page.records;
    envelope.deleted = page.deleted;
    envelope.page.next_cursor = page.nextSeq === null ? null : encodeCursor({ m: 'sync', s: page.nextSeq, since });
    envelope.sync = { since, next_since: page.nextSince };
  } else {
    const page = await query.list(ctx, cursor?.m === 'list' ? { k: cursor.k, i: cursor.i } : null, limit);
    envelope.data = page.records;
    envelope.page.next_cursor = page.next ? encodeCursor({ m: 'list', k: page.next.k, i: page.next.i }) : null;
  }
  const { body, type } = render(a.fmt, envelope, Object.keys(DATASETS[iface.dataset].record.shape));
  // The ETag covers the data and format, not the moment it was generated: an unchanged answer revalidates.
  const etag = await etagOf(a.fmt + JSON.stringify({ ...envelope, generated_at: '' }));
  return { body, type, etag, nextCursor: envelope.page.next_cursor, nextSince: envelope.sync?.next_since ?? null };
}

/** The catalogue's entries as listed, made once per catalogue (it is cached per isolate). */
const listed = new WeakMap<Catalogue, ReturnType<typeof catalogueEntry>[]>();

export const openApi = new Hono<AppEnv>()
  .get('/v1/interfaces', authorize('openCatalogue', 'browse'), async (c) => {
    const cat = await catalogue(c.env.DB);
    let entries = listed.get(cat);
    if (!entries) listed.set(cat, (entries = cat.interfaces.map((i) => catalogueEntry(i))));
    return c.json({ total: entries.length, data: entries, generated_at: toCst(new Date()) }, 200, {
      'Cache-Control': 'public, max-age=60',
    });
  })
  .get('/v1/interfaces/:code', authorize('openCatalogue', 'browse'), async (c) => {
    const iface = (await catalogue(c.env.DB)).byCode.get(c.req.param('code'));
    if (!iface) return problem(c, 404, 'not-found', `没有编码为 ${c.req.param('code').slice(0, 20)} 的接口`);
    return c.json(catalogueEntry(iface, true), 200, { 'Cache-Control': 'public, max-age=60' });
  })
  .get('/v1/data/:code', noKeyInQuery, authorize('openData', 'call', 'problem'), callInterface);

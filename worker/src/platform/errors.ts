/**
 * What an exception becomes. A bug is a 500; only a dependency that is unavailable (D1, R2, Meilisearch, the
 * cards Worker) is a 503 that says to try again — a monitor must not read a bug as an outage, nor the other
 * way round. Either way the reader gets an error id, and the log gets the same id with the whole error, so a
 * citizen's report ("错误编号 …") leads an operator to the line.
 */
import type { Context } from 'hono';
import { html } from 'hono/html';

/** Thrown (or wrapped) where a call to another service failed for reasons outside this code. */
export class DependencyUnavailable extends Error {
  override name = 'DependencyUnavailable';
  readonly dependency: string;
  constructor(dependency: string, cause: unknown) {
    super(`${dependency} unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.dependency = dependency;
  }
}

/**
 * Messages of the platform's own failures as the runtime reports them: D1 and R2 when the storage layer is
 * unreachable, overloaded or restarting; a fetch that lost its connection; Meilisearch's client when the
 * server does not answer or answers 5xx. A SQL error (no such table, a constraint) is not among them: that is a bug.
 */
const UNAVAILABLE = [
  /network connection lost/i,
  /D1_ERROR.*(overloaded|timed? ?out|internal error|reset because|storage (operation|caller)|too many requests|exceeded)/i,
  /D1 DB is overloaded/i,
  /\(10001\)|\(10043\)|\(10058\)/, // R2: internal error, service unavailable, too many requests
  /We encountered an internal error/i,
  /MeiliSearchCommunicationError|MeiliSearchTimeOutError/,
  /connect(ion)? (refused|reset)|ECONNREFUSED|ECONNRESET/i,
];

export function isUnavailable(err: unknown): boolean {
  if (err instanceof DependencyUnavailable) return true;
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return UNAVAILABLE.some((re) => re.test(text));
}

const newErrorId = () => crypto.randomUUID().replace(/-/g, '').slice(0, 12);

/** Where a JSON answer is expected: the APIs (and anything that asks for JSON). */
const wantsJson = (c: Context) => {
  const path = new URL(c.req.url).pathname;
  return path.startsWith('/api/') || path.startsWith('/_ingest/') || path.endsWith('.json') || (c.req.header('accept') ?? '').startsWith('application/json');
};

export function onError(err: Error, c: Context): Response | Promise<Response> {
  const id = newErrorId();
  const unavailable = isUnavailable(err);
  console.error(`error ${id} (${unavailable ? 'dependency unavailable' : 'bug'}) ${c.req.method} ${c.req.url}`, err);
  const status = unavailable ? 503 : 500;
  const message = unavailable ? `服务暂时不可用，请稍后重试。错误编号：${id}` : `服务器内部错误，我们已记录此问题。如需反映，请提供错误编号：${id}`;
  const headers: Record<string, string> = { 'Cache-Control': 'no-store', 'X-Error-Id': id, ...(unavailable ? { 'Retry-After': '30' } : {}) };
  if (wantsJson(c)) return c.json({ error: unavailable ? 'unavailable' : 'internal', id, message }, status, headers);
  return c.html(
    html`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${unavailable ? '服务暂时不可用' : '服务器内部错误'}</title></head>
<body style="font-family:system-ui,sans-serif;font-size:18px;line-height:1.7;max-width:40rem;margin:2rem auto;padding:0 1rem"><h1>${unavailable ? '服务暂时不可用' : '服务器内部错误'}</h1><p>${message}</p><p><a href="/">返回首页</a></p></body></html>`,
    status,
    headers,
  );
}

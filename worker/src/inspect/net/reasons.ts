/**
 * How the inspector words what happened to a request (links.ts, probe.ts), in the Chinese a site's admin reads in
 * a finding: an HTTP status with its meaning, a timeout with its limit, a network failure by its cause. Errors
 * are read by their code where Node (undici) gives one and by their message where workerd does.
 */

const STATUS_TEXT: Record<number, string> = {
  200: '正常',
  204: '正常（无内容）',
  304: '未修改',
  400: '请求错误',
  401: '需要登录',
  403: '禁止访问',
  404: '页面不存在',
  410: '页面已删除',
  429: '请求过多（对方限流）',
  451: '因法律原因不可用',
  500: '服务器错误',
  502: '网关错误',
  503: '服务暂不可用',
  504: '网关超时',
};

/** `404 页面不存在`, `503 服务暂不可用`, `200 正常` … (a status without its own wording gets its class's). */
export function statusReason(status: number): string {
  const text = STATUS_TEXT[status] ?? (status >= 500 ? '服务器错误' : status >= 400 ? '请求错误' : status >= 300 ? '重定向' : '正常');
  return `${status} ${text}`;
}

/** `超时（10 秒）`, `超时（0.2 秒）`. */
export const timeoutReason = (timeoutMs: number) => `超时（${Number((timeoutMs / 1000).toFixed(3))} 秒）`;

export interface NetworkFailure {
  reason: string;
  /**
   * The failure belongs to the host, not to the address: every other address on it fails the same way (no DNS
   * record, nothing listening, a bad certificate), so the checker need not ask again.
   */
  hostWide: boolean;
}

/** What a rejected fetch (not a timeout) means: the codes and messages of its cause chain. */
export function networkFailure(error: unknown): NetworkFailure {
  const words: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (typeof e === 'string') words.push(e);
    if (typeof e !== 'object') break;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string') words.push(code);
    if (typeof message === 'string') words.push(message);
  }
  const text = words.join(' ');
  // fetch's own redirect limit (probe.ts follows redirects as a browser would): a loop or a chain without end.
  if (/redirect/i.test(text)) return { reason: '重定向循环或次数过多', hostWide: false };
  if (/ENOTFOUND|EAI_AGAIN|EAI_NONAME|getaddrinfo|DNS|resolve host|name not resolved/i.test(text)) return { reason: '域名无法解析', hostWide: true };
  if (/ECONNREFUSED|connection refused/i.test(text)) return { reason: '无法连接（连接被拒绝）', hostWide: true };
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|certificate|SSL|TLS/i.test(text)) return { reason: '证书或加密连接错误', hostWide: true };
  if (/ECONNRESET|EPIPE|UND_ERR_SOCKET|socket|connection (lost|reset|closed)|other side closed/i.test(text))
    return { reason: '无法连接（连接被中断）', hostWide: false };
  if (/EHOSTUNREACH|ENETUNREACH/i.test(text)) return { reason: '无法连接（网络不可达）', hostWide: true };
  return { reason: '无法连接', hostWide: false };
}

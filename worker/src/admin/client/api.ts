/** Calls /api/cms with the session's CSRF token (from <meta name="csrf-token">); a network failure is an answer too. */

const meta = document.querySelector('meta[name="csrf-token"]');
export const csrf = meta?.getAttribute('content') ?? '';

export interface ApiIssue {
  field: string;
  message: string;
}
/** What the CMS API answers: a document, a check report, or an error naming the field. */
export interface ApiData {
  id?: string;
  revision?: number;
  state?: string;
  level?: number;
  message?: string;
  field?: string;
  issues?: ApiIssue[];
  errors?: CheckIssue[];
  warnings?: CheckIssue[];
}
export interface CheckIssue {
  field: string;
  message: string;
  excerpt?: string;
}
export interface ApiResult {
  ok: boolean;
  status: number;
  data: ApiData;
}

export async function api(method: string, path: string, body?: unknown): Promise<ApiResult> {
  const headers: Record<string, string> = { 'X-CSRF-Token': csrf, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/cms${path}`, { method, credentials: 'same-origin', headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch {
    return { ok: false, status: 0, data: { message: '网络连接失败，请检查网络后重试（本页内容已保留）' } };
  }
  const data = (await res.json().catch(() => ({}))) as ApiData | null;
  return { ok: res.ok, status: res.status, data: data ?? {} };
}

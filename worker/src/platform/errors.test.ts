/**
 * What an exception becomes: a bug is a 500, a dependency that is unavailable a 503 with Retry-After; both with
 * an error id that the log carries too. Failures are injected into the bindings a real request uses.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import worker from '../index.ts';
import { GXZF_FILES, publish, seedRegistry } from '../testing/sites.ts';
import { isUnavailable } from './errors.ts';

async function get(url: string, bindings: typeof env): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(url), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** A D1 binding whose every statement fails with `error` when it runs (as the runtime reports D1 failures). */
function failingDb(error: Error): D1Database {
  const stmt = {
    bind: () => stmt,
    first: () => Promise.reject(error),
    all: () => Promise.reject(error),
    run: () => Promise.reject(error),
    raw: () => Promise.reject(error),
  };
  return { ...env.DB, prepare: () => stmt, batch: () => Promise.reject(error) } as unknown as D1Database;
}

beforeAll(async () => {
  await seedRegistry();
  await publish('gxzf', GXZF_FILES, 'v1');
});
afterEach(() => vi.restoreAllMocks());

describe('errors', () => {
  it('answers a bug with 500 and an error id, in the page and in the log', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const bug = failingDb(new TypeError("Cannot read properties of undefined (reading 'site_id')"));
    const res = await get('http://www.gxzf.gov.cn/yw/a1.html', { ...env, DB: bug });
    expect(res.status).toBe(500);
    const id = res.headers.get('x-error-id')!;
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(res.headers.get('retry-after')).toBeNull();
    expect(await res.text()).toContain(`错误编号：${id}`);
    expect(log.mock.calls.some((c) => String(c[0]).includes(id) && String(c[0]).includes('bug'))).toBe(true);
  });

  it('answers an unavailable R2 or D1 with 503 and Retry-After — JSON where JSON was asked for', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const r2Down = {
      ...env.PAGES,
      get: () => Promise.reject(new Error('get: We encountered an internal error. Please try again. (10001)')),
    } as unknown as R2Bucket;
    const page = await get('http://www.gxzf.gov.cn/yw/a1.html', { ...env, PAGES: r2Down });
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('30');
    expect(await page.text()).toContain('服务暂时不可用');
    const d1Down = failingDb(new Error('D1_ERROR: Network connection lost.'));
    const api = await get('http://127.0.0.1:8787/search.json?q=%E6%94%BF%E5%8A%A1', { ...env, DB: d1Down });
    expect(api.status).toBe(503);
    expect(await api.json()).toMatchObject({ error: 'unavailable', id: api.headers.get('x-error-id') });
  });

  it("tells the platform's own failures from bugs by what the runtime reports", () => {
    for (const e of [
      'D1_ERROR: Network connection lost.',
      'D1 DB is overloaded. Too many requests queued.',
      'D1_ERROR: Internal error while starting up D1 DB storage caused object to be reset.',
      'put: We encountered an internal error. Please try again. (10001)',
      'MeiliSearchCommunicationError: fetch failed',
    ])
      expect(isUnavailable(new Error(e)), e).toBe(true);
    for (const e of [
      'D1_ERROR: no such table: documents: SQLITE_ERROR',
      "TypeError: Cannot read properties of undefined (reading 'x')",
      'D1_ERROR: UNIQUE constraint failed: accounts.username',
    ])
      expect(isUnavailable(new Error(e)), e).toBe(false);
  });
});

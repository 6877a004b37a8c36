/** /favicon.ico answers on every kind of host with a real icon, so no page load costs a 404. */
import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedRegistry } from '../testing/sites.ts';

beforeAll(async () => {
  await seedRegistry();
});

describe('/favicon.ico', () => {
  it.each(['http://127.0.0.1:8787', 'http://www.nanning.gov.cn', 'http://www.gxzf.gov.cn.localhost:8787'])('is an ICO image on %s', async (origin) => {
    const res = await SELF.fetch(`${origin}/favicon.ico`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/x-icon');
    const bytes = new Uint8Array(await res.arrayBuffer());
    // ICONDIR: reserved 0, type 1 (icon), one image of 16×16 at 32 bits.
    expect([...bytes.slice(0, 8)]).toEqual([0, 0, 1, 0, 1, 0, 16, 16]);
    expect(bytes.length).toBe(6 + 16 + 40 + 16 * 16 * 4 + 16 * 4);
  });
});

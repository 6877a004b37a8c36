/** The cards Worker behind the CARDS binding, as the page Worker and an operator reach it. */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

const spec = {
  title: '关于做好2026年城乡居民基本医疗保险工作的通知',
  siteName: '南宁市人民政府门户网站',
  date: '2026-12-04',
  colors: { primary: '#b3121b', primaryDark: '#8a0d14', accent: '#8f5400', surface: '#fbf3f2' },
};
const isPng = (b: Uint8Array) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
/** Width and height from the IHDR chunk. */
const size = (b: Uint8Array) => {
  const v = new DataView(b.buffer, b.byteOffset);
  return [v.getUint32(16), v.getUint32(20)];
};

describe('the cards Worker', () => {
  it('draws 1200×630 PNGs over RPC, one per spec, different for different titles', async () => {
    const [a, b] = await env.CARDS!.render([spec, { ...spec, title: '示例：另一篇文件' }]);
    expect(isPng(a!) && isPng(b!)).toBe(true);
    expect(size(a!)).toEqual([1200, 630]);
    expect(a).not.toEqual(b);
  });

  it('answers a POSTed spec with image/png, and a bad one with 400 naming the field', async () => {
    const ok = await env.CARDS!.fetch('https://cards.internal/', { method: 'POST', body: JSON.stringify(spec) });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/png');
    expect(isPng(new Uint8Array(await ok.arrayBuffer()))).toBe(true);
    const bad = await env.CARDS!.fetch('https://cards.internal/', {
      method: 'POST',
      body: JSON.stringify({ ...spec, colors: { ...spec.colors, accent: 'red' } }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid', field: 'colors.accent' });
    expect((await env.CARDS!.fetch('https://cards.internal/', { method: 'POST', body: 'not json' })).status).toBe(400);
    expect((await env.CARDS!.fetch('https://cards.internal/')).status).toBe(405);
  });
});

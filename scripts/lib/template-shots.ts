/**
 * Thumbnails for the 模板库 (/_templates): each template's live preview (/_templates/<id>/) opened in Debian's
 * Chromium at 1280×800 and captured at a quarter of the size, then stored in R2 through the publishing API.
 * Only templates without a thumbnail for the current renderer build are taken.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS } from './browser.ts';

export async function takeTemplateShots(origin: string, token: string, log: (line: string) => void = () => {}): Promise<{ taken: number; ms: number }> {
  const t0 = Date.now();
  const auth = { Authorization: `Bearer ${token}` };
  const { missing } = await (await fetch(`${origin}/_ingest/gallery/missing`, { headers: auth })).json<{ missing: string[] }>();
  if (missing.length === 0) return { taken: 0, ms: Date.now() - t0 };
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\`, then run npm run templates:shots`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  try {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 0.25 });
    const page = await ctx.newPage();
    let taken = 0;
    for (const id of missing) {
      const res = await page.goto(`${origin}/_templates/${id}/`, { waitUntil: 'load' });
      if (!res || res.status() !== 200) throw new Error(`preview of ${id}: HTTP ${res?.status() ?? 'no response'}`);
      const png = await page.screenshot({ type: 'png' });
      const put = await fetch(`${origin}/_ingest/gallery/${id}.png`, {
        method: 'PUT',
        headers: { ...auth, 'Content-Type': 'image/png' },
        body: new Uint8Array(png),
      });
      if (!put.ok) throw new Error(`thumbnail of ${id}: HTTP ${put.status} ${await put.text()}`);
      if (++taken % 40 === 0) log(`模板缩略图 ${taken}/${missing.length}`);
    }
    return { taken, ms: Date.now() - t0 };
  } finally {
    await browser.close();
  }
}

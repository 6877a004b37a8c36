/**
 * Share cards: every character of a title is in the font satori is given (no tofu, rare Guangxi place names
 * and surnames included), the PNG is 1200×630 with text on it, and document pages point og:image at the card,
 * which is among the site's rendered files.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { gunzipSync, inflateSync } from 'node:zlib';
import { themeFor } from '@ywtc/themes';
import { nodeCardRenderer } from '../publisher/cards/node.ts';
import { CARD_HEIGHT, CARD_WIDTH, MISSING_MARK, type CardRenderer } from '../publisher/cards/card.ts';
import { cmapCodePoints } from '../publisher/cards/cmap.ts';
import { ensureRenderer, loadRenderer, rendererAssets } from '../publisher/renderer.ts';
import { indexStore, sitePages } from '../publisher/routes.ts';
import { renderSite } from '../publisher/render-site.ts';
import { smallStore } from './fixture.ts';

let cards: CardRenderer;
beforeAll(async () => {
  cards = await nodeCardRenderer();
}, 60_000);

/** Decodes the PNGs resvg writes (8-bit RGBA, non-interlaced) to RGBA pixels. */
function decodePng(png: Uint8Array): { width: number; height: number; px: Uint8Array } {
  const v = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let at = 8,
    width = 0,
    height = 0;
  const idat: Uint8Array[] = [];
  while (at < png.byteLength) {
    const len = v.getUint32(at),
      type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (type === 'IHDR') {
      width = v.getUint32(at + 8);
      height = v.getUint32(at + 12);
      expect([png[at + 16], png[at + 17]]).toEqual([8, 6]);
    }
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4,
    px = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!,
      row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= 4 ? px[y * stride + x - 4]! : 0,
        b = y > 0 ? px[(y - 1) * stride + x]! : 0,
        c = x >= 4 && y > 0 ? px[(y - 1) * stride + x - 4]! : 0;
      const p = a + b - c,
        pa = Math.abs(p - a),
        pb = Math.abs(p - b),
        pc = Math.abs(p - c);
      const pred = f === 0 ? 0 : f === 1 ? a : f === 2 ? b : f === 3 ? (a + b) >> 1 : pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      px[y * stride + x] = (row[x]! + pred) & 0xff;
    }
  }
  return { width, height, px };
}
/** Pixels in the title area (below the site name, above the date bar) that differ from the card background. */
function inkInTitleArea(png: Uint8Array, surface: string): number {
  const { width, px } = decodePng(png);
  const bg = [1, 3, 5].map((i) => parseInt(surface.slice(i, i + 2), 16));
  let n = 0;
  for (let y = 160; y < 500; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      if (Math.abs(px[i]! - bg[0]!) + Math.abs(px[i + 1]! - bg[1]!) + Math.abs(px[i + 2]! - bg[2]!) > 60) n++;
    }
  return n;
}

const RARE = [
  '关于邕宁区蒲庙镇㟖村道路改造工程的公示',
  '獞字改僮再改壮：壮族称谓的历史沿革',
  '覃韦黄蒙莫禤銮等姓氏户籍登记常见问题解答',
  '壮族三月三·歌圩节活动安排（那坡县、隆林各族自治县）',
  '𬱖州（钦州古称）文物保护单位名录',
];

describe('share cards', () => {
  it('have a glyph for every character of the title, site name and date in the font passed to satori', async () => {
    const specs = RARE.map((title) => ({ title, siteName: '邕宁区人民政府门户网站', date: '2026-11-28', colors: themeFor('portal-red').colors }));
    const font = cards.subsetFont(cards.charactersOf(specs));
    expect(font.byteLength).toBeLessThan(200_000); // a subset, not the 5 MB font
    const has = cmapCodePoints(font);
    for (const s of specs) {
      expect(cards.shown(s.title), 'no character replaced').toBe(s.title);
      for (const ch of s.title + s.siteName + s.date)
        expect(has.has(ch.codePointAt(0)!), `${ch} U+${ch.codePointAt(0)!.toString(16)} in "${s.title}"`).toBe(true);
    }
  });

  it('show a character no font has as 〓, never as an empty box', () => {
    expect(cards.shown('𰻞𰻞面')).toBe(`${MISSING_MARK}${MISSING_MARK}面`);
    expect(
      cmapCodePoints(cards.subsetFont(cards.charactersOf([{ title: '𰻞𰻞面', siteName: 'x', date: '2026-01-01', colors: themeFor('unit-blue').colors }]))).has(
        MISSING_MARK.codePointAt(0)!,
      ),
    ).toBe(true);
  });

  it('render 1200×630 PNGs with the title drawn, more ink for a longer title', async () => {
    const colors = themeFor('unit-blue').colors;
    const [short, long] = await cards.render([
      { title: '覃韦', siteName: '南宁市人民政府门户网站', date: '2026-11-28', colors },
      { title: RARE[2]!, siteName: '南宁市人民政府门户网站', date: '2026-11-28', colors },
    ]);
    const img = decodePng(long!);
    expect([img.width, img.height]).toEqual([CARD_WIDTH, CARD_HEIGHT]);
    const a = inkInTitleArea(short!, colors.surface),
      b = inkInTitleArea(long!, colors.surface);
    expect(a).toBeGreaterThan(1500); // two bold 64 px characters
    expect(b).toBeGreaterThan(a * 4);
  });
});

describe('document pages and their cards', () => {
  it('point og:image and twitter:image at the card, which is among the site files', async () => {
    ensureRenderer();
    const renderer = await loadRenderer();
    const ix = indexStore(smallStore(['rd-nanning']));
    const made = new Map<string, Uint8Array>();
    const result = await renderSite(renderer, ix, 'rd-nanning', 'https://{domain}', rendererAssets(), {
      renderer: nodeCardRenderer,
      cache: { get: (e) => made.get(e), set: (e, b) => void made.set(e, b) },
    });
    const { html } = sitePages(ix, 'rd-nanning', { originFor: (d) => `https://${d}` });
    const docs = html.filter((p) => p.type === 'document');
    expect(docs.length).toBeGreaterThan(3);
    const files = new Map(result.files.map((f) => [f.path, f]));
    for (const model of docs.slice(0, 5)) {
      if (model.type !== 'document') continue;
      // The bytes that go into the pack — what readers are served — not a fresh render.
      const published = files.get(model.path)!;
      expect(published.bytes.byteLength, model.path).toBeGreaterThan(0);
      const page = new TextDecoder().decode(published.encoding === 'gzip' ? gunzipSync(published.bytes) : published.bytes);
      const card = `/cards/${model.doc.id}.png`;
      const url = `https://${model.site.site.domains[0]}${card}`;
      expect(page).toContain(`<meta property="og:image" content="${url}">`);
      expect(page).toContain(`<meta name="twitter:image" content="${url}">`);
      expect(page).toContain('<meta name="twitter:card" content="summary_large_image">');
      expect(page).toContain('<meta property="og:image:width" content="1200">');
      expect(page).toContain('<meta property="og:image:height" content="630">');
      expect(page).toMatch(/<meta property="og:image:alt" content="[^"]+">/);
      const f = files.get(card);
      expect(f, card).toBeDefined();
      expect(f!.type).toBe('image/png');
      expect([...f!.bytes.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    }
  }, 300_000);
});

/**
 * Share cards: one 1200×630 PNG per document page (og:image / twitter:image) with the document's title, the
 * site's name, the publish date and the site's theme colours. satori lays the card out as SVG with the glyphs
 * as paths, resvg rasterises it. Both run from WebAssembly modules handed in already compiled, so the same code
 * gives the same bytes in Node (sites/publisher/render-site.ts) and in the Worker (incremental publishes).
 *
 * Font: IBM Plex Sans SC Bold (OFL), subset per batch of cards to exactly the characters shown (5 MB → tens of
 * KB). It covers all of CJK Unified Ideographs but 21 code points added in Unicode 13–14, all of Extension A and
 * the 通用规范汉字表 characters of Extensions B–E (e.g. 𬱖); a character no font here has is shown as 〓, the
 * typesetter's mark for a missing character, never as an empty box.
 */
import satori, { init as initLayout } from 'satori/standalone';
import { Resvg, initWasm as initResvg } from '@resvg/resvg-wasm';
import { encodePng } from './png.ts';
import type { CardSpec } from '../../src/model.ts';
import { Subsetter } from './subset.ts';
import { cmapCodePoints } from './cmap.ts';
import { woffToSfnt } from './woff.ts';
export { CARD_VERSION, cardKey } from './card-key.ts';

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;
/** 〓 (geta mark): stands for a character the fonts lack. */
export const MISSING_MARK = '\u3013';
export const FONT_NAME = 'IBM Plex Sans SC';

export type CardInput = CardSpec;

/** The wasm modules and font a card renderer needs, loaded the runtime's way (cards/node.ts, worker/src/render/cards.ts). */
export interface CardAssets {
  layout: WebAssembly.Module;
  resvg: WebAssembly.Module;
  hbSubset: WebAssembly.Module;
  font: Uint8Array;
}

let layoutReady: Promise<void> | null = null;
let resvgReady: Promise<void> | null = null;

type El = { type: string; props: { style?: Record<string, unknown>; children?: El | string | (El | string)[] } };
const el = (type: string, style: Record<string, unknown>, children?: El | string | (El | string)[]): El => ({
  type,
  props: { style, ...(children !== undefined ? { children } : {}) },
});

function titleSize(title: string): number {
  const n = [...title].length;
  return n <= 18 ? 64 : n <= 36 ? 56 : n <= 60 ? 48 : 42;
}

export class CardRenderer {
  /** Code points the font has. */
  readonly covered: Set<number>;
  private readonly subsetter: Subsetter;
  private constructor(covered: Set<number>, subsetter: Subsetter) {
    this.covered = covered;
    this.subsetter = subsetter;
  }

  static async create(assets: CardAssets): Promise<CardRenderer> {
    layoutReady ??= initLayout(assets.layout);
    resvgReady ??= initResvg(assets.resvg);
    await Promise.all([layoutReady, resvgReady]);
    const sfnt = woffToSfnt(assets.font);
    return new CardRenderer(cmapCodePoints(sfnt), new Subsetter(assets.hbSubset, sfnt));
  }

  /** The text as the card shows it: characters the font lacks become 〓, control characters go. */
  shown(text: string): string {
    let out = '';
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue;
      out += cp === 0x20 || this.covered.has(cp) ? ch : MISSING_MARK;
    }
    return out;
  }

  /** The characters a batch of cards shows: what the subset font must hold. */
  charactersOf(cards: CardInput[]): string {
    const chars = new Set<string>(MISSING_MARK);
    for (const c of cards) for (const t of [this.shown(c.title), this.shown(c.siteName), c.date]) for (const ch of t) chars.add(ch);
    return [...chars].sort().join('');
  }

  /** The font cut to `characters`; what satori is given. */
  subsetFont(characters: string): Uint8Array {
    const font = this.subsetter.subset(characters);
    if (!font) throw new Error('font subsetting failed');
    return font;
  }

  element(c: CardInput): El {
    const title = this.shown(c.title);
    const { primary, primaryDark, accent, surface } = c.colors;
    return el(
      'div',
      { width: CARD_WIDTH, height: CARD_HEIGHT, display: 'flex', flexDirection: 'column', backgroundColor: surface, fontFamily: FONT_NAME, fontWeight: 700 },
      [
        el('div', { height: 24, backgroundColor: primary, display: 'flex' }),
        el('div', { display: 'flex', flexDirection: 'column', flexGrow: 1, padding: '56px 80px 0 80px' }, [
          el('div', { display: 'flex', alignItems: 'center', fontSize: 36, color: primary }, [
            el('div', { width: 14, height: 40, backgroundColor: primary, marginRight: 20 }),
            this.shown(c.siteName),
          ]),
          el('div', { display: 'flex', flexGrow: 1, alignItems: 'center' }, [
            el('div', { display: 'block', fontSize: titleSize(title), lineHeight: 1.35, color: '#1f1f1f', lineClamp: 4 }, title),
          ]),
        ]),
        el(
          'div',
          {
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'space-between',
            height: 96,
            padding: '0 80px',
            borderTop: `4px solid ${primaryDark}`,
            backgroundColor: '#ffffff',
          },
          [el('div', { fontSize: 32, color: accent }, c.date), el('div', { display: 'flex', width: 120, height: 12, backgroundColor: primary })],
        ),
      ],
    );
  }

  async svg(c: CardInput, font: Uint8Array): Promise<string> {
    const data = font.buffer.slice(font.byteOffset, font.byteOffset + font.byteLength) as ArrayBuffer;
    // satori's types want a ReactNode; a plain {type, props} tree is what it reads.
    return satori(this.element(c), { width: CARD_WIDTH, height: CARD_HEIGHT, fonts: [{ name: FONT_NAME, data, weight: 700, style: 'normal' }] });
  }

  png(svg: string): Uint8Array {
    const r = new Resvg(svg, { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } });
    const image = r.render();
    const png = encodePng(image.width, image.height, image.pixels);
    image.free();
    r.free();
    return png;
  }

  /** Cards for a batch (a site's documents): one subset font for all of them. */
  async render(cards: CardInput[]): Promise<Uint8Array[]> {
    if (cards.length === 0) return [];
    const font = this.subsetFont(this.charactersOf(cards));
    const out: Uint8Array[] = [];
    for (const c of cards) out.push(this.png(await this.svg(c, font)));
    return out;
  }
}

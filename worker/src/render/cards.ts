/**
 * Share cards inside the Worker: the same renderer as the Node publisher (sites/publisher/cards/card.ts), fed
 * with the wasm modules and the font wrangler bundles (the font as a Data module, rule in wrangler.toml). satori's
 * own run-time wasm compilation is answered by wasm-shim.ts. An incremental publish thus renders the card of a
 * new or changed document with its page.
 */
import './wasm-shim.ts'; // before satori loads
import layout from '../../../node_modules/satori/layout.wasm';
import resvg from '../../../node_modules/@resvg/resvg-wasm/index_bg.wasm';
import hbSubset from '../../../node_modules/harfbuzzjs/hb-subset.wasm';
import font from '../../../node_modules/@ibm/plex-sans-sc/fonts/complete/woff/hinted/IBMPlexSansSC-Bold.woff';
import { CardRenderer } from '@ywtc/sites/cards';
import type { CardSource } from '@ywtc/sites/edge';

let renderer: Promise<CardRenderer> | null = null;

export const workerCardSource: CardSource = {
  renderer: () => (renderer ??= CardRenderer.create({ layout, resvg, hbSubset, font: new Uint8Array(font) })),
};

/** The card renderer in Node: wasm modules and the font read from the installed packages. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CardRenderer, type CardAssets } from './card.ts';

const require = createRequire(import.meta.url);
const file = (spec: string) => readFileSync(require.resolve(spec));
export const FONT_FILE = '@ibm/plex-sans-sc/fonts/complete/woff/hinted/IBMPlexSansSC-Bold.woff';

export function nodeCardAssets(): CardAssets {
  return {
    layout: new WebAssembly.Module(file('satori/layout.wasm')),
    resvg: new WebAssembly.Module(file('@resvg/resvg-wasm/index_bg.wasm')),
    hbSubset: new WebAssembly.Module(file('harfbuzzjs/hb-subset.wasm')),
    font: new Uint8Array(readFileSync(require.resolve(FONT_FILE))),
  };
}

let renderer: Promise<CardRenderer> | null = null;
export const nodeCardRenderer = (): Promise<CardRenderer> => (renderer ??= CardRenderer.create(nodeCardAssets()));

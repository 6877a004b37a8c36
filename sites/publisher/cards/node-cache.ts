/** Node's card source: the renderer, and cards kept on disk (node_modules/.cache/ywtc-cards) by ETag across runs. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeCardRenderer } from './node.ts';
import type { CardSource } from './site-cards.ts';

const DIR = join(import.meta.dirname, '../../../node_modules/.cache/ywtc-cards');

export function nodeCardSource(useDisk = process.env.YWTC_CARD_CACHE !== '0'): CardSource {
  if (!useDisk) return { renderer: nodeCardRenderer };
  return {
    renderer: nodeCardRenderer,
    cache: {
      get: (etag) => {
        const f = join(DIR, etag + '.png');
        return existsSync(f) ? new Uint8Array(readFileSync(f)) : undefined;
      },
      set: (etag, png) => {
        mkdirSync(DIR, { recursive: true });
        writeFileSync(join(DIR, etag + '.png'), png);
      },
    },
  };
}

/**
 * A pointer's `rendererHash` records what built the live version: `<renderer source hash>|<origin template>`
 * (sites/publisher/publish.ts). Updates made in the Worker reuse the origin so links stay as they were built.
 */
import type { Pointer } from '@ywtc/cms-schema';

export function stampOf(p: Pointer): { hash: string; originTemplate: string } {
  const bar = p.rendererHash.indexOf('|');
  return bar < 0 ? { hash: p.rendererHash, originTemplate: 'https://{domain}' } : { hash: p.rendererHash.slice(0, bar), originTemplate: p.rendererHash.slice(bar + 1) };
}

export const stampFor = (rendererHash: string, originTemplate: string) => `${rendererHash}|${originTemplate}`;

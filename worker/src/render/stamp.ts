/**
 * A pointer's `rendererHash` records what built the live version: `<renderer source hash>|<origin template>`
 * (sites/publisher/publish.ts). Updates made in the Worker reuse the origin so links stay as they were built.
 */
import type { Pointer } from '@ywtc/cms-schema';

export function stampOf(p: Pointer): { hash: string; originTemplate: string; cards: boolean } {
  const bar = p.rendererHash.indexOf('|');
  const raw = bar < 0 ? p.rendererHash : p.rendererHash.slice(0, bar);
  return {
    hash: raw.replace(/\+nocards$/, ''),
    originTemplate: bar < 0 ? 'https://{domain}' : p.rendererHash.slice(bar + 1),
    cards: !raw.endsWith('+nocards'),
  };
}

/**
 * `cards: false` marks a version some of whose document pages lack their share card (the Worker renders none):
 * the next full publish (sites/publisher/publish.ts) then takes the site for not up to date and adds them.
 */
export const stampFor = (rendererHash: string, originTemplate: string, cards: boolean) =>
  `${rendererHash.replace(/\+nocards$/, '')}${cards ? '' : '+nocards'}|${originTemplate}`;

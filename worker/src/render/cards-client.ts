/**
 * Share cards for pages the Worker renders (incremental publishes, template switches, whole-site renders):
 * drawn by the cards Worker through the CARDS service binding (cards/worker.ts), so this Worker carries no
 * font or wasm. Without the binding — or when the cards Worker fails — the pages go out without og:image and
 * the version is stamped `+nocards` (stamp.ts), which the next full publish completes.
 */
import type { CardSource } from '@ywtc/sites/edge';
import type { Env } from '../env.ts';

export function cardSourceFor(env: Pick<Env, 'CARDS'>): CardSource {
  return {
    renderer: () => {
      const cards = env.CARDS;
      if (!cards) return Promise.reject(new Error('no CARDS binding: share cards are drawn by the ywtc-cards Worker'));
      return Promise.resolve({ render: (specs) => cards.render(specs) });
    },
  };
}

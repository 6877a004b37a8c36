/**
 * Share cards inside the Worker: not rendered here yet. satori (0.63) instantiates its HarfBuzz from embedded
 * bytes when its module loads and, through emscripten's addFunction, compiles small wrapper modules at run
 * time; workerd allows neither (“Wasm code generation disallowed by embedder”). The first can be answered with
 * harfbuzzjs 0.10.0's hb.wasm compiled by wrangler (the same bytes), the second would need those wrappers
 * precompiled too — left for later (docs/architecture.md, Share cards).
 *
 * Until then an incremental publish renders the pages without a card for documents whose card the live
 * version lacks (their pages carry no og:image), and the next full publish (`npm run publish`) renders them.
 */
import type { CardSource } from '../../../sites/publisher/cards/site-cards.ts';

export const workerCardSource: CardSource = {
  renderer: () => Promise.reject(new Error('share cards are rendered by the full publisher, not in the Worker')),
};

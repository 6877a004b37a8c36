/**
 * Share-card rendering cost: cards for one site's documents (real seed titles), as the publisher renders them —
 * one font subset for the batch, then satori + resvg per card. Prints ms per card. `-- --site ID --runs N`.
 */
import { parseArgs } from 'node:util';
import { nodeCardRenderer } from '../../sites/publisher/cards/node.ts';
import { indexStore, sitePages } from '../../sites/publisher/routes.ts';
import { smallStore } from '../../sites/test/fixture.ts';

const { values } = parseArgs({ options: { site: { type: 'string', default: 'nnxn' }, runs: { type: 'string', default: '3' } } });
const site = values.site;
const ix = indexStore(smallStore([site]));
const specs = sitePages(ix, site, { originFor: (d) => `https://${d}` }).html.flatMap((p) => (p.type === 'document' && p.card ? [p.card.spec] : []));
let t = performance.now();
const cards = await nodeCardRenderer();
console.log(`init (wasm + font): ${(performance.now() - t).toFixed(0)} ms; ${specs.length} cards of ${site}`);
for (let run = 1; run <= Number(values.runs); run++) {
  t = performance.now();
  const font = cards.subsetFont(cards.charactersOf(specs));
  const subsetMs = performance.now() - t;
  let svgMs = 0,
    pngMs = 0,
    bytes = 0;
  for (const s of specs) {
    const a = performance.now();
    const svg = await cards.svg(s, font);
    const b = performance.now();
    bytes += cards.png(svg).byteLength;
    pngMs += performance.now() - b;
    svgMs += b - a;
  }
  const total = subsetMs + svgMs + pngMs;
  console.log(
    `run ${run}: subset ${subsetMs.toFixed(0)} ms (${font.byteLength} B font), satori ${(svgMs / specs.length).toFixed(1)} + resvg ${(pngMs / specs.length).toFixed(1)} → ${(total / specs.length).toFixed(1)} ms/card, ${(bytes / specs.length / 1024).toFixed(0)} KB/card`,
  );
}

/**
 * The cards Worker (`ywtc-cards`, wrangler.cards.toml): draws the 1200×630 share cards of document pages with
 * the same renderer as the Node publisher (sites/publisher/cards/card.ts) — satori, resvg and HarfBuzz as wasm
 * modules and the IBM Plex Sans SC font (5 MB) bundled as bytes. It is a Worker of its own so that the Worker
 * serving every page stays small and starts fast (docs/benchmarks.md, "Worker bundles"); the page Worker
 * reaches it through the CARDS service binding (render/cards-client.ts) only when it publishes.
 *
 * RPC: `render(specs)` → one PNG per spec. HTTP, for operators and tests: POST a spec or a list of specs as
 * JSON; one card comes back as image/png, several as their lengths (u32, big-endian) and bytes in a row.
 */
import './wasm-shim.ts'; // before satori loads
import { WorkerEntrypoint } from 'cloudflare:workers';
import { z } from 'zod';
import layout from '../../../node_modules/satori/layout.wasm';
import resvg from '../../../node_modules/@resvg/resvg-wasm/index_bg.wasm';
import hbSubset from '../../../node_modules/harfbuzzjs/hb-subset.wasm';
import font from '../../../node_modules/@ibm/plex-sans-sc/fonts/complete/woff/hinted/IBMPlexSansSC-Bold.woff';
import { CardRenderer } from '@ywtc/sites/cards';
import type { CardSpec } from '@ywtc/sites/edge';

let renderer: Promise<CardRenderer> | null = null;
const cards = () => (renderer ??= CardRenderer.create({ layout, resvg, hbSubset, font: new Uint8Array(font) }));

const Hex = z.string().regex(/^#[0-9a-f]{6}$/i, '颜色须为 #RRGGBB');
const CardSpecSchema = z.object({
  title: z.string().min(1).max(300),
  siteName: z.string().min(1).max(100),
  date: z.iso.date(),
  colors: z.object({ primary: Hex, primaryDark: Hex, accent: Hex, surface: Hex }),
});
/** At most this many cards in one call: a site's new documents of one publish, never a whole cluster. */
const MAX_BATCH = 200;
const BatchSchema = z.array(CardSpecSchema).min(1).max(MAX_BATCH);

export default class Cards extends WorkerEntrypoint {
  /** One PNG per spec, in order. */
  async render(specs: CardSpec[]): Promise<Uint8Array[]> {
    const parsed = BatchSchema.parse(specs);
    return (await cards()).render(parsed);
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.method !== 'POST') return new Response('POST a card spec (JSON)', { status: 405, headers: { Allow: 'POST' } });
    const body: unknown = await request.json().catch(() => undefined);
    const single = !Array.isArray(body);
    const parsed = BatchSchema.safeParse(single ? [body] : body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = (single ? issue.path.slice(1) : issue.path).join('.') || 'body';
      return Response.json({ error: 'invalid', field, message: issue.message }, { status: 400 });
    }
    const pngs = await (await cards()).render(parsed.data);
    if (single) return new Response(pngs[0], { headers: { 'Content-Type': 'image/png' } });
    const out = new Uint8Array(pngs.reduce((n, p) => n + 4 + p.byteLength, 0));
    let at = 0;
    for (const p of pngs) {
      new DataView(out.buffer).setUint32(at, p.byteLength);
      out.set(p, at + 4);
      at += 4 + p.byteLength;
    }
    return new Response(out, { headers: { 'Content-Type': 'application/octet-stream' } });
  }
}

/**
 * The renderer's calling convention, shared by the Node publisher (renderer.ts loads the Astro build from disk)
 * and the Worker (worker/src/render/ bundles the same build): a page model goes in through `locals`, bytes come
 * out. No Node APIs here, so both runtimes produce the same bytes from the same model.
 */
import type { Chrome, ChromeModel, FeedModel, PageModel } from '../src/model.ts';

export type RenderFn = (request: Request, locals: Record<string, unknown>) => Promise<Response>;

/** Pages come back as UTF-8 bytes, as Astro produced them: decoding to a string only to encode it again cost ~8%. */
export interface Renderer {
  page(model: PageModel): Promise<Uint8Array>;
  feed(model: FeedModel): Promise<Uint8Array>;
  chrome(model: ChromeModel): Promise<Chrome>;
}

export function rendererFrom(render: RenderFn): Renderer {
  const call = async (route: string, locals: Record<string, unknown>, path: string): Promise<Uint8Array> => {
    const res = await render(new Request(`http://renderer.invalid/render/${route}`), locals);
    const body = new Uint8Array(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`render ${path}: HTTP ${res.status}\n${new TextDecoder().decode(body).slice(0, 2000)}`);
    return body;
  };
  return {
    page: (model) => call('page', { page: model }, model.path),
    feed: (model) => call('feed', { feed: model }, model.path),
    chrome: async (model) => {
      const text = new TextDecoder().decode(await call('chrome', { chrome: model }, model.path));
      // Astro prefixes a route's output with a doctype; the pieces go inside a page, so it is dropped.
      const [header, footer] = text.replace(/^<!DOCTYPE html>/i, '').split('<!--ywtc:chrome-split-->');
      if (header === undefined || footer === undefined) throw new Error(`chrome ${model.path}: marker missing`);
      return { header, footer };
    },
  };
}

/**
 * The site renderer inside the Worker: the same Astro server build the Node publisher loads (sites/dist,
 * bundled by wrangler), called the same way, so a page re-rendered here has the bytes a full publish gives it.
 */
import { render } from '@ywtc/sites/renderer';
import { assets, rendererHash } from '@ywtc/sites/renderer-meta';
import { prepareFile, rendererFrom, type PackFile } from '@ywtc/sites/edge';

export const renderer = rendererFrom(render);
export { rendererHash };

/** The stylesheet this build's pages link to, as site path → bytes. */
export const rendererAssetBytes = (): Map<string, Uint8Array> =>
  new Map(Object.entries(assets).map(([path, b64]) => [path, Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]));

let assetFiles: Map<string, PackFile> | null = null;
/** The same, ready for a pack. */
export function rendererAssetFiles(): Map<string, PackFile> {
  assetFiles ??= new Map([...rendererAssetBytes()].map(([path, bytes]) => [path, prepareFile(path, bytes)]));
  return assetFiles;
}

/**
 * Written next to the build by `ensureRenderer` (publisher/renderer.ts) for the Worker, which bundles the same
 * renderer: the hash of the sources it was built from, and the static files its pages reference.
 */
export declare const rendererHash: string;
/** Site path → file bytes as base64 (the stylesheet under /_astro/). */
export declare const assets: Record<string, string>;

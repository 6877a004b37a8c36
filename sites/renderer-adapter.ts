import type { AstroIntegration } from 'astro';

/**
 * A build-only adapter: the server build exports `render(request, locals)` instead of starting an HTTP
 * server, so the publisher can render every page of every site in one warm process (≈0.6 ms a page)
 * rather than paying `astro build`'s per-page static pipeline.
 */
export default function rendererAdapter(): AstroIntegration {
  return {
    name: 'ywtc-renderer',
    hooks: {
      'astro:config:done': ({ setAdapter }) => {
        setAdapter({
          name: 'ywtc-renderer',
          entrypointResolution: 'auto',
          serverEntrypoint: new URL('./src/renderer-entry.ts', import.meta.url).pathname,
          adapterFeatures: { buildOutput: 'server' },
          supportedAstroFeatures: { serverOutput: 'stable', staticOutput: 'stable', hybridOutput: 'stable', sharpImageService: 'unsupported' },
        });
      },
    },
  };
}

import { defineConfig, passthroughImageService } from 'astro/config';
import tailwindcss from '@tailwindcss/vite';
import rendererAdapter from './renderer-adapter.ts';

// A server build whose entry exports render(): see renderer-adapter.ts and publisher/.
export default defineConfig({
  output: 'server',
  adapter: rendererAdapter(),
  build: { assets: '_astro' },
  compressHTML: true,
  // No image processing at render time: the same build runs inside the Worker (worker/src/render/), where sharp cannot.
  image: { service: passthroughImageService() },
  devToolbar: { enabled: false },
  vite: { plugins: [tailwindcss()] },
});

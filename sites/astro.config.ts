import { defineConfig } from 'astro/config';
import tailwindcss from '@tailwindcss/vite';
import rendererAdapter from './renderer-adapter.ts';

// A server build whose entry exports render(): see renderer-adapter.ts and publisher/.
export default defineConfig({
  output: 'server',
  adapter: rendererAdapter(),
  build: { assets: '_astro' },
  compressHTML: true,
  devToolbar: { enabled: false },
  vite: { plugins: [tailwindcss()] },
});

import { defineConfig } from 'astro/config';
import tailwindcss from '@tailwindcss/vite';
import rendererAdapter from './renderer-adapter.ts';

export default defineConfig({
  output: 'server',
  adapter: rendererAdapter(),
  build: { assets: '_astro' },
  vite: { plugins: [tailwindcss()] },
});
